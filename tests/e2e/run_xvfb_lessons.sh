#!/bin/sh
# run_xvfb_lessons.sh — `gomemviz lesson 7` in a real X window under Xvfb:
# step through it, answer the question with a number key, then PgDn to
# lesson 8 and PgUp back, as a teacher would; checks the neighbouring
# lesson was recorded and opened, and that the viewer quits on Escape.
# Then lesson 5: the wheel over its map pane must change the frame.
#
# usage: run_xvfb_lessons.sh path/to/gomemviz
set -eu
BIN=${1:?usage: run_xvfb_lessons.sh GOMEMVIZ}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/xvfb_lib.sh"
e2e_begin lessons xvfb-run xdotool

cat > "$T/drive.sh" <<'DRIVE'
#!/bin/sh
set -eu
BIN=$1 T=$2
. "$3" # xvfb_lib.sh
cd "$T"
GOMEMVIZ_SHOT_DIR="$T" "$BIN" lesson 7 > "$T/out" 2> "$T/err" &
PID=$!
WID=$(timeout 30 xdotool search --sync --name 'Lesson 7' | head -1)
xdotool windowfocus --sync "$WID" 2>/dev/null || true
sleep 0.5
for k in Right Right 2 Right; do xdotool key --delay 150 "$k"; done
xdotool key Next
i=0
while [ $i -lt 100 ] && ! xdotool search --name 'Lesson 8' >/dev/null 2>&1; do sleep 0.2; i=$((i+1)); done
xdotool search --name 'Lesson 8' >/dev/null || { echo "PgDn did not open lesson 8"; kill $PID; exit 1; }
xdotool key Prior
i=0
while [ $i -lt 100 ] && ! xdotool search --name 'Lesson 7' >/dev/null 2>&1; do sleep 0.2; i=$((i+1)); done
xdotool search --name 'Lesson 7' >/dev/null || { echo "PgUp did not go back to lesson 7"; kill $PID; exit 1; }
xdotool key s
sleep 1
quit_viewer $PID
# Lesson 5 at its 4th step (a growing map), a shot; the wheel over the map
# pane (its rows grow taller), another shot.
mkdir -p "$T/zoom"
GOMEMVIZ_SHOT_DIR="$T/zoom" "$BIN" lesson 5 > "$T/out5" 2> "$T/err5" &
PID=$!
WID=$(timeout 30 xdotool search --sync --name 'Lesson 5' | head -1)
xdotool windowfocus --sync "$WID" 2>/dev/null || true
sleep 0.5
for k in Right Right Right Right; do xdotool key --delay 150 "$k"; done
xdotool mousemove --window "$WID" 800 400 # the pointer rests there for both
sleep 1
xdotool key s
for i in 1 2 3 4 5 6; do xdotool click 4; done
sleep 1
xdotool key s
sleep 1
quit_viewer $PID
DRIVE
chmod +x "$T/drive.sh"
if ! xvfb-run -a -s "-screen 0 1600x900x24" "$T/drive.sh" "$BIN" "$T" "$HERE/xvfb_lib.sh"; then
    echo "FAIL: driving the lessons"; cat "$T/err" 2>/dev/null; exit 1
fi
[ -f "$T/gomemviz-lesson07.gmvt" ] && [ -f "$T/gomemviz-lesson08.gmvt" ] ||
    { echo "FAIL: lesson traces missing"; ls "$T"; exit 1; }
ls "$T"/gomemviz-*.png >/dev/null 2>&1 || { echo "FAIL: no screenshot"; exit 1; }
set -- "$T"/zoom/gomemviz-*.png
[ $# -eq 2 ] || { echo "FAIL: want 2 lesson 5 shots, got $#"; ls "$T/zoom"; exit 1; }
if cmp -s "$1" "$2"; then echo "FAIL: the wheel over the map pane changed nothing"; exit 1; fi
echo "ok: lesson 7 -> PgDn lesson 8 -> PgUp lesson 7, screenshot saved; lesson 5's map zooms"
