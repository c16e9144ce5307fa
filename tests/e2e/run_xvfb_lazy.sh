#!/bin/sh
# run_xvfb_lazy.sh — the window opens a trace of many chunks lazily (the
# index pass runs between frames) and is asked at once for the far end and
# then the start: what it shows must be what `render` draws there after a
# full index, pixel for pixel.  Then the same with the trace's keyframes
# file (`gomemviz keyframes`), which replaces the index pass.
#
# usage: run_xvfb_lazy.sh path/to/gomemviz
set -eu
BIN=${1:?usage: run_xvfb_lazy.sh GOMEMVIZ}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/xvfb_lib.sh"
e2e_begin lazy xvfb-run xdotool
"$BIN" record map-churn --cache -o "$T/c.gmvt" >/dev/null
N=$("$BIN" stats "$T/c.gmvt" | sed -n 's/^trace: \([0-9]*\) events.*/\1/p')
[ "${N:-0}" -gt 40000 ] || { echo "FAIL: expected a trace of several chunks, got ${N:-no} events"; exit 1; }

cat > "$T/drive.sh" <<'DRIVE'
#!/bin/sh
set -eu
BIN=$1 T=$2 D=$4
. "$3" # xvfb_lib.sh
shots() { ls "$D"/gomemviz-*.png 2>/dev/null | wc -l; }
wait_shots() { i=0; while [ "$(shots)" -lt "$1" ] && [ $i -lt 75 ]; do sleep 0.2; i=$((i+1)); done; }
GOMEMVIZ_SHOT_DIR="$D" "$BIN" play "$T/c.gmvt" > "$T/play.out" 2> "$T/play.err" &
PID=$!
WID=$(timeout 20 xdotool search --sync --name 'gomemviz' | head -1)
xdotool windowfocus --sync "$WID" 2>/dev/null || true
# The pointer starts mid-screen, over a pane: its details box would be in
# the screenshot (S saves what the window shows) but not in render's PNG.
xdotool mousemove --sync 0 0
sleep 0.3
xdotool key End s
wait_shots 1
xdotool key Home s
wait_shots 2
quit_viewer $PID
DRIVE
chmod +x "$T/drive.sh"
for mode in lazy keyframes; do
    mkdir "$T/$mode"
    if [ $mode = keyframes ]; then
        "$BIN" keyframes "$T/c.gmvt" >/dev/null
        [ -s "$T/c.gmvt.keyframes" ] || { echo "FAIL: no keyframes file"; exit 1; }
    fi
    if ! xvfb-run -a -s "-screen 0 1600x900x24" "$T/drive.sh" "$BIN" "$T" "$HERE/xvfb_lib.sh" "$T/$mode"; then
        echo "FAIL: driving the viewer ($mode)"; cat "$T/play.err" 2>/dev/null; exit 1
    fi
    [ ! -s "$T/play.err" ] || { echo "FAIL: play said something ($mode)"; cat "$T/play.err"; exit 1; }
    for pos in "$N" 0; do
        SHOT=$(printf '%s/%s/gomemviz-%06d.png' "$T" "$mode" "$pos")
        [ -f "$SHOT" ] || { echo "FAIL: no screenshot at event $pos ($mode)"; ls "$T/$mode"; cat "$T/play.err"; exit 1; }
        "$BIN" render "$T/c.gmvt" --at "$pos" --size 1600x900 -o "$T/r.png" >/dev/null
        cmp -s "$SHOT" "$T/r.png" || { echo "FAIL: the window at event $pos differs from render's frame ($mode)"; exit 1; }
        cmp -s "$SHOT" "$(printf '%s/lazy/gomemviz-%06d.png' "$T" "$pos")" ||
            { echo "FAIL: the window at event $pos differs with its keyframes file"; exit 1; }
        echo "ok: event $pos in the window ($mode) equals render's PNG"
    done
done
