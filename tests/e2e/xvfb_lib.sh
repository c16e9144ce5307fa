# xvfb_lib.sh — what the Xvfb scripts and their drive scripts share
# (sourced, not run).

# e2e_begin NAME TOOL...: skip (exit 0) unless every TOOL is installed; make
# $T, a temporary directory removed at exit.  Sanitizer builds: the X11/D-Bus
# libraries SDL dlopens leak at exit, and once unloaded LeakSanitizer cannot
# name them to suppress; our own leaks are caught by test_render, which runs
# the same renderer without X.
e2e_begin() {
    e2e_name=$1
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 0; }
    done
    T=$(mktemp -d "/tmp/gomemviz-e2e-$e2e_name-XXXXXX")
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    export ASAN_OPTIONS
    # The viewer must open a real X window: a shell that renders headless
    # (SDL_VIDEODRIVER=offscreen) would leave xdotool no window to find.
    unset SDL_VIDEODRIVER
    trap 'rm -rf "$T"' EXIT
}

# quit_viewer PID: press Escape, give the viewer 10 s to exit, and return its
# exit status; kill it and fail if it does not go.
quit_viewer() {
    xdotool key Escape
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done
    if kill -0 "$1" 2>/dev/null; then
        kill "$1"
        echo "viewer did not quit on Escape"
        return 1
    fi
    wait "$1"
}
