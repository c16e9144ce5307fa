#!/bin/sh
# run_xvfb.sh — the real viewer in a real X window under Xvfb, driven with
# xdotool like a person would: step, step back, one event back, play, pause,
# End, S (screenshot), a resize below the minimum, S again, Escape.  Checks
# the viewer saved a PNG of the window's size that is not blank, then a
# second one beside it (not over it) saying the window is too small, and
# exited cleanly.
#
# usage: run_xvfb.sh path/to/gomemviz
set -eu
BIN=${1:?usage: run_xvfb.sh GOMEMVIZ}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/xvfb_lib.sh"
e2e_begin window xvfb-run xdotool python3
"$BIN" record basics -o "$T/b.gmvt" >/dev/null

cat > "$T/drive.sh" <<'DRIVE'
#!/bin/sh
set -eu
BIN=$1 T=$2
. "$3" # xvfb_lib.sh
GOMEMVIZ_SHOT_DIR="$T" "$BIN" play "$T/b.gmvt" > "$T/play.out" 2> "$T/play.err" &
PID=$!
WID=$(timeout 20 xdotool search --sync --name 'gomemviz' | head -1)
xdotool windowfocus --sync "$WID" 2>/dev/null || true
sleep 0.5
for k in Right Right Left shift+Left space; do xdotool key --delay 120 "$k"; done
sleep 1.2
for k in space End s; do xdotool key --delay 150 "$k"; done
i=0
while [ $i -lt 50 ] && ! ls "$T"/gomemviz-*.png >/dev/null 2>&1; do sleep 0.2; i=$((i+1)); done
# Below the minimum size (no window manager here to refuse it), and a second
# shot of the same position: a new file, not the first one overwritten.
xdotool windowsize "$WID" 240 150
sleep 0.5
xdotool key s
i=0
while [ $i -lt 50 ] && ! ls "$T"/gomemviz-*-2.png >/dev/null 2>&1; do sleep 0.2; i=$((i+1)); done
quit_viewer $PID
DRIVE
chmod +x "$T/drive.sh"
if ! xvfb-run -a -s "-screen 0 1600x900x24" "$T/drive.sh" "$BIN" "$T" "$HERE/xvfb_lib.sh"; then
    echo "FAIL: driving the viewer"; cat "$T/play.err" 2>/dev/null; exit 1
fi
PNG=$(ls "$T"/gomemviz-*.png 2>/dev/null | grep -v -- '-2\.png$' | head -1)
[ -n "$PNG" ] || { echo "FAIL: no screenshot saved"; cat "$T/play.err"; exit 1; }
SMALL=${PNG%.png}-2.png
[ -f "$SMALL" ] || { echo "FAIL: no second screenshot ${SMALL##*/}"; ls "$T"; exit 1; }
# FILE W H MINROWS: a PNG of W x H with more than MINROWS distinct rows (a
# blank frame has one)
check_png() {
    python3 - "$@" <<'PY'
import struct, sys, zlib
path, want, minrows = sys.argv[1], (int(sys.argv[2]), int(sys.argv[3])), int(sys.argv[4])
data = open(path, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
w, h = struct.unpack('>II', data[16:24])
assert (w, h) == want, 'screenshot is %dx%d, window was %dx%d' % (w, h, *want)
raw, pos = b'', 8
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos+4]); tag = data[pos+4:pos+8]
    if tag == b'IDAT': raw += data[pos+8:pos+8+n]
    pos += 12 + n
pix = zlib.decompress(raw)
rows = {pix[i*(1+3*w)+1:(i+1)*(1+3*w)] for i in range(h)}
assert len(rows) > minrows, 'screenshot looks blank (%d distinct rows)' % len(rows)
print('ok: %s %dx%d, %d distinct rows' % (path.split('/')[-1], w, h, len(rows)))
PY
}
check_png "$PNG" 1600 900 100
check_png "$SMALL" 240 150 5 # "window too small", two lines of text
