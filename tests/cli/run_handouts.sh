#!/bin/sh
# Every lesson's handout renders headless: one PNG per step, a README.md
# naming each step's picture, and every claim in it checked (no ✘).
# Usage: run_handouts.sh PATH/TO/gomemviz
set -u
bin=${1:?usage: run_handouts.sh GOMEMVIZ}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=offscreen
fails=0
ids=$("$bin" lessons | awk '{print $1}')
[ -n "$ids" ] || { echo "FAIL: no lessons listed"; exit 1; }
for id in $ids; do
    dir="$tmp/lesson$id"
    if ! "$bin" render --lesson "$id" --handout --size 1280x720 -o "$dir" >"$tmp/out" 2>"$tmp/err"; then
        echo "FAIL lesson $id: render exited non-zero"; sed 's/^/  | /' "$tmp/err" | head -5
        fails=$((fails + 1)); continue
    fi
    steps=$(grep -c '^## Step ' "$dir/README.md")
    pngs=$(ls "$dir"/step-*.png 2>/dev/null | wc -l)
    if [ "$steps" -lt 3 ] || [ "$steps" != "$pngs" ]; then
        echo "FAIL lesson $id: $steps steps in README.md, $pngs PNGs"; fails=$((fails + 1)); continue
    fi
    if grep -q '✘' "$dir/README.md"; then
        echo "FAIL lesson $id: a claim failed"; grep '✘' "$dir/README.md" | head -3
        fails=$((fails + 1)); continue
    fi
    echo "ok   lesson $id: $steps steps"
done
[ "$fails" -eq 0 ]
