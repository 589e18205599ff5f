#!/usr/bin/env bash
# Installs what is missing, then builds bt.
#   ./setup.sh          install dependencies, build ./build/bt
#   ./setup.sh test     ... and also build with ASan+UBSan, run the whole test suite in both builds
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-build}
case $mode in build|test) ;; *) echo "usage: ./setup.sh [build|test]" >&2; exit 2;; esac

packages=(gcc make cmake pkg-config libsqlite3-dev libexpat1-dev libcurl4-openssl-dev zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing packages; run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
if [ "$mode" = test ]; then
  cmake -S . -B build-san -DCMAKE_BUILD_TYPE=Debug -DBT_SANITIZE=ON >/dev/null
  cmake --build build-san -j"$jobs"
  (cd build && ctest --output-on-failure -j"$jobs")
  (cd build-san && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j"$jobs")
fi
