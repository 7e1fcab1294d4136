#!/usr/bin/env bash
# One entry point for the project's chores; package.json's scripts call it.
#
#   scripts/lrlab.sh setup [serve|test]  install what is missing (Debian packages, npm packages)
#   scripts/lrlab.sh build [serve|test]  build the WebAssembly module (serve) or everything (test)
#   scripts/lrlab.sh dist                setup + build the WebAssembly module + write dist/ (the static site)
#   scripts/lrlab.sh start               setup + build + serve the article (PORT, default 8080)
#   scripts/lrlab.sh test                setup + build + every test suite, one summary line
#   scripts/lrlab.sh bench [--quick]     setup + build + the speed table (native, WASM, TensorFlow.js)
#   scripts/lrlab.sh fuzz [SECONDS]      setup + build + libFuzzer on the config language (default 600 s)
#
# Every step checks before it works, so a second run with nothing to do is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Emscripten 3.1.6 on Debian needs this to find acorn (shared/TOOLCHAIN.md).
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

log() {
  if [ -t 2 ]; then printf '\033[1m[lrlab]\033[0m %s\n' "$*" >&2; else printf '[lrlab] %s\n' "$*" >&2; fi
}

# Debian packages each mode needs.
PACKAGES_SERVE=(cmake g++ emscripten libeigen3-dev nlohmann-json3-dev catch2)
# clang and its runtime libraries: the sanitized build and the fuzzer.
PACKAGES_TEST=("${PACKAGES_SERVE[@]}" chromium clang libclang-rt-14-dev)

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s ' "$pkg"
    fi
  done
}

setup() {
  local mode="${1:-test}" missing
  if ! command -v dpkg-query >/dev/null; then
    log "this setup expects Debian 12 (dpkg/apt). Install by hand: cmake g++ emscripten (3.1.x)," \
        "Eigen 3.4, nlohmann-json 3, Catch2 v2, and Chromium for the browser tests; then run again."
    exit 1
  fi
  if [ "$mode" = serve ]; then
    missing="$(missing_packages "${PACKAGES_SERVE[@]}")"
  else
    missing="$(missing_packages "${PACKAGES_TEST[@]}")"
  fi
  if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
      log "missing Debian packages: $missing"
      log "install them with:  sudo apt-get update && sudo apt-get install -y $missing"
      exit 1
    fi
    log "installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q $missing
  fi
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "Node.js 18+ and npm are needed: apt-get install -y nodejs npm"
    exit 1
  fi
  # npm packages, from the committed lock file, only when it changed.
  local stamp=node_modules/.lrlab-lock.sha256 want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

configure() {  # configure DIR [cmake args...] — only once per build folder
  local dir="$1"; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    log "configuring $dir"
    "$@" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
  fi
}

build() {
  local mode="${1:-test}" jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  mkdir -p build
  configure build/wasm emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    -DEigen3_DIR=/usr/share/eigen3/cmake -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node
  if [ "$mode" = serve ]; then
    log "building the WebAssembly module (and the config schema it writes)"
    # The module first: that also brings an older build folder's build system
    # up to date, so it knows the schema target.
    cmake --build build/wasm -j "$jobs" --target lrlab_web
    cmake --build build/wasm -j "$jobs" --target lrlab_hero
    cmake --build build/wasm -j "$jobs" --target lrlab_schema
    return
  fi
  configure build/native cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
  log "building natively (build/native)"
  cmake --build build/native -j "$jobs"
  log "building WebAssembly (build/wasm)"
  cmake --build build/wasm -j "$jobs"
  # ASan + UBSan, and the fuzzer: clang (README "Reliability").
  configure build/sanitize env CXX=clang++ cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Release -DLRLAB_SANITIZE=ON
  log "building with sanitizers and the fuzzer (build/sanitize)"
  cmake --build build/sanitize -j "$jobs"
}

case "${1:-}" in
  setup) setup "${2:-test}" ;;
  build) build "${2:-test}" ;;
  dist)
    setup serve
    build serve
    log "writing dist/"
    exec node scripts/build-dist.mjs
    ;;
  start)
    setup serve
    build serve
    exec node scripts/serve.mjs
    ;;
  bench)
    setup test
    build test
    exec node scripts/bench.mjs "${@:2}"
    ;;
  test)
    setup test
    build test
    exec node scripts/run-tests.mjs
    ;;
  fuzz)
    setup test
    build test
    exec node scripts/fuzz.mjs run "${2:-600}"
    ;;
  *)
    echo "usage: scripts/lrlab.sh setup|build|dist|start|test|bench|fuzz" >&2
    exit 1
    ;;
esac
