#!/bin/sh
# gomemviz set-up and entry point.  On a fresh Debian 12 machine:
#   ./run.sh          install what is missing, build (Release), run the main job
#   ./run.sh test     install what is missing, build (Debug: ASan+UBSan), run all tests
# Both are idempotent: the second run installs nothing and rebuilds only what changed.
set -eu
cd "$(dirname "$0")"
mode=${1:-run}

PACKAGES="gcc make cmake pkg-config libdeflate-dev libpng-dev libsdl2-dev libsdl2-ttf-dev
libcmocka-dev golang-go clang xvfb xauth xdotool python3 ca-certificates"

install_missing() {
    missing=""
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "run.sh: installing:$missing"
    sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || { echo "run.sh: need root or sudo to install:$missing" >&2; exit 1; }
        sudo=sudo
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

build() { # build DIR TYPE [cmake args]
    dir=$1 type=$2
    shift 2
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
    fi
    cmake --build "$dir" -j"$(nproc)"
}

case "$mode" in
run)
    install_missing
    build build/release Release -DBUILD_TESTING=OFF
    exec build/release/gomemviz
    ;;
test)
    install_missing
    build build/debug Debug
    cd build/debug
    exec ctest --output-on-failure -j"$(nproc)"
    ;;
*)
    echo "usage: ./run.sh [run|test]" >&2
    exit 2
    ;;
esac
