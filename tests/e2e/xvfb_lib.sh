# xvfb_lib.sh — what the Xvfb drive scripts share (sourced, not run).

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
