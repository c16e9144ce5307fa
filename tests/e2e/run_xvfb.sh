#!/bin/sh
# run_xvfb.sh — the real viewer in a real X window under Xvfb, driven with
# xdotool like a person would: step, step back, one event back, play, pause,
# End, S (screenshot), Escape.  Checks the viewer saved a PNG of the window's
# size that is not blank, and exited cleanly.
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
quit_viewer $PID
DRIVE
chmod +x "$T/drive.sh"
if ! xvfb-run -a -s "-screen 0 1600x900x24" "$T/drive.sh" "$BIN" "$T" "$HERE/xvfb_lib.sh"; then
    echo "FAIL: driving the viewer"; cat "$T/play.err" 2>/dev/null; exit 1
fi
PNG=$(ls "$T"/gomemviz-*.png 2>/dev/null | head -1)
[ -n "$PNG" ] || { echo "FAIL: no screenshot saved"; cat "$T/play.err"; exit 1; }
python3 - "$PNG" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
w, h = struct.unpack('>II', data[16:24])
assert (w, h) == (1600, 900), 'screenshot is %dx%d, window is 1600x900' % (w, h)
# decode the IDAT stream and count distinct rows: a blank frame has one
raw, pos = b'', 8
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos+4]); tag = data[pos+4:pos+8]
    if tag == b'IDAT': raw += data[pos+8:pos+8+n]
    pos += 12 + n
pix = zlib.decompress(raw)
rows = {pix[i*(1+3*w)+1:(i+1)*(1+3*w)] for i in range(h)}
assert len(rows) > 100, 'screenshot looks blank (%d distinct rows)' % len(rows)
print('ok: %s %dx%d, %d distinct rows' % (sys.argv[1].split('/')[-1], w, h, len(rows)))
PY
