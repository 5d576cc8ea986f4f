#!/usr/bin/env bash
# The steps of action.yml (the GitHub Action), kept in a file so they read as a script and run
# as one anywhere. Inputs come as INPUT_* variables; the harness is this checkout's bin/.
#   action.sh install   what the chosen scenarios need: tmux (apt), Pi at the version each wg pins, claude
#   action.sh smoke     `run` for one build, or `matrix` for several builds or a shard; exit code as run's
#   action.sh merge     `merge` of shard folders into INPUT_ARTIFACTS
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
e2e() { node "$HERE/bin/wg-tui-e2e.js" "$@"; }
words() { tr ',\n' '  ' <<<"${1:-}"; }

# The builds: one path per line or word, globs expanded (builds/* for a sweep).
wgs=()
for pattern in $(words "${INPUT_WG:-}"); do
  for file in $pattern; do wgs+=("$file"); done
done
scenarios=($(words "${INPUT_SCENARIOS:-nex-local}"))

case "${1:-}" in
install)
  command -v tmux >/dev/null 2>&1 || { sudo apt-get update -q && sudo apt-get install -y -q tmux; }
  needs_pi=false needs_claude=false
  for s in "${scenarios[@]}"; do
    case "$s" in
    # Today's wg runs these chats through Pi; an older build ignores it.
    nex-local | nex-live | pi-local) needs_pi=true ;;
    claude-local | claude) needs_claude=true ;;
    esac
  done
  if $needs_pi; then for wg in "${wgs[@]}"; do e2e install pi --wg "$wg"; done; fi
  if $needs_claude; then e2e install claude; fi
  ;;
smoke)
  [ "${#wgs[@]}" -gt 0 ] || { echo "::error title=wg-tui-e2e::the wg input names no file" >&2; exit 3; }
  args=()
  for s in "${scenarios[@]}"; do args+=(--scenario "$s"); done
  for v in $(words "${INPUT_SETUP:-}"); do args+=(--setup "$v"); done
  for s in $(words "${INPUT_ALLOW_SKIP:-}"); do args+=(--allow-skip "$s"); done
  [ -z "${INPUT_REPEAT:-}" ] || args+=(--repeat "$INPUT_REPEAT")
  # The endpoint goes as WG_E2E_NEX_ENDPOINT (set by action.yml), never on a command line.
  if [ -n "${INPUT_SHARD:-}" ] || [ "${#wgs[@]}" -gt 1 ]; then
    builds=()
    for wg in "${wgs[@]}"; do builds+=(--wg "$wg"); done
    e2e matrix "${builds[@]}" "${args[@]}" ${INPUT_SHARD:+--shard "$INPUT_SHARD"} --artifacts "$INPUT_ARTIFACTS"
  else
    e2e run --wg "${wgs[0]}" --isolate "${args[@]}" --artifacts "$INPUT_ARTIFACTS" --junit "$INPUT_ARTIFACTS/smoke.xml"
  fi
  ;;
merge)
  folders=()
  for pattern in $(words "$INPUT_MERGE"); do
    for dir in $pattern; do folders+=("$dir"); done
  done
  e2e merge "${folders[@]}" --out "$INPUT_ARTIFACTS"
  # The merged lines in the job summary (each shard's runs wrote their own tables there).
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$INPUT_ARTIFACTS/lines.txt" ]; then
    { echo '## wg tui sweep (merged)'; echo; echo '```'; cat "$INPUT_ARTIFACTS/lines.txt"; echo '```'; } >>"$GITHUB_STEP_SUMMARY"
  fi
  ;;
*)
  echo "usage: action.sh install|smoke|merge" >&2
  exit 3
  ;;
esac
