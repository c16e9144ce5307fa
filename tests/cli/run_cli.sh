#!/bin/sh
# End-to-end checks of the command line as a user runs it: exit codes,
# one-line errors, record/dump/stats, damaged and truncated traces.
# Usage: run_cli.sh PATH/TO/gomemviz
set -u
bin=${1:?usage: run_cli.sh GOMEMVIZ}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME EXPECTED_STATUS COMMAND...
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' "$tmp/err" | head -5
        fails=$((fails + 1))
    else
        echo "ok   $name"
    fi
}
errlines() { wc -l <"$tmp/err" | tr -d ' '; }

check help 0 "$bin" --help
check version 0 "$bin" --version
grep -q "Go 1.19" "$tmp/out" || { echo "FAIL version text"; fails=$((fails + 1)); }
check unknown-command 2 "$bin" frobnicate
check record-help 0 "$bin" record --help
check record-list 0 "$bin" record --list
grep -q '^basics' "$tmp/out" || { echo "FAIL record --list lacks basics"; fails=$((fails + 1)); }
check record-no-args 2 "$bin" record
check record-bad-scenario 1 "$bin" record nope -o "$tmp/x.gmvt"
[ "$(errlines)" = 1 ] || { echo "FAIL bad scenario: not one line"; fails=$((fails + 1)); }
check record-bad-cores 1 "$bin" record basics -o "$tmp/x.gmvt" --cores 9
check record-unwritable 1 "$bin" record basics -o /nonexistent/dir/x.gmvt
check record 0 "$bin" record basics -o "$tmp/a.gmvt"
check record-again 0 "$bin" record basics -o "$tmp/b.gmvt"
cmp -s "$tmp/a.gmvt" "$tmp/b.gmvt" || { echo "FAIL record not deterministic"; fails=$((fails + 1)); }
check dump 0 "$bin" dump "$tmp/a.gmvt"
grep -q 'alloc addr=0xc000000000' "$tmp/out" || { echo "FAIL dump lacks the first alloc"; fails=$((fails + 1)); }
check dump-window 0 "$bin" dump "$tmp/a.gmvt" --from 5 --count 3
[ "$(wc -l <"$tmp/out")" -eq 3 ] || { echo "FAIL dump --count"; fails=$((fails + 1)); }
check stats 0 "$bin" stats "$tmp/a.gmvt"
grep -q 'peak' "$tmp/out" || { echo "FAIL stats lacks peak"; fails=$((fails + 1)); }
check stats-json 0 "$bin" stats --json "$tmp/a.gmvt"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null ||
    { echo "FAIL stats --json is not JSON"; fails=$((fails + 1)); }
check dump-missing 1 "$bin" dump "$tmp/missing.gmvt"
[ "$(errlines)" = 1 ] || { echo "FAIL missing file: not one line"; fails=$((fails + 1)); }
check dump-directory 1 "$bin" dump "$tmp"
printf 'hello\n' >"$tmp/text.gmvt"
check dump-not-a-trace 1 "$bin" dump "$tmp/text.gmvt"
grep -q 'byte 0' "$tmp/err" || { echo "FAIL not-a-trace message lacks offset"; fails=$((fails + 1)); }
size=$(wc -c <"$tmp/a.gmvt")
head -c $((size - 20)) "$tmp/a.gmvt" >"$tmp/trunc.gmvt"
check dump-truncated 0 "$bin" dump "$tmp/trunc.gmvt"
grep -q 'truncated at byte' "$tmp/err" || { echo "FAIL truncated not reported"; fails=$((fails + 1)); }
cp "$tmp/a.gmvt" "$tmp/bad.gmvt"
printf '\377' | dd of="$tmp/bad.gmvt" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
check dump-damaged 1 "$bin" dump "$tmp/bad.gmvt"
grep -q 'damaged at byte [0-9]' "$tmp/err" || { echo "FAIL damage lacks offset"; fails=$((fails + 1)); }
[ "$(errlines)" = 1 ] || { echo "FAIL damage: not one line"; fails=$((fails + 1)); }
check check-recorded 0 "$bin" check "$tmp/a.gmvt"
grep -q 'the viewer applies every event' "$tmp/out" || { echo "FAIL check of a recorded trace"; fails=$((fails + 1)); }
check check-truncated 1 "$bin" check "$tmp/trunc.gmvt"
grep -q 'truncated' "$tmp/out" || { echo "FAIL check misses truncation"; fails=$((fails + 1)); }
check check-damaged 1 "$bin" check "$tmp/bad.gmvt"
check check-usage 2 "$bin" check
# a trace written from docs/trace-format.md alone, by another program
python3 "$(dirname "$0")/write_trace.py" "$tmp/ext.gmvt"
check dump-external 0 "$bin" dump "$tmp/ext.gmvt"
grep -q 'alloc addr=0xc000000000 size=16 rounded=16 class=2' "$tmp/out" ||
    { echo "FAIL the documented format does not read back"; fails=$((fails + 1)); }
check check-external 1 "$bin" check "$tmp/ext.gmvt"
grep -q '1 x free, first: *2 free addr=0xc000001000' "$tmp/out" ||
    { echo "FAIL check does not name the ignored free"; fails=$((fails + 1)); }
check record-false-sharing 0 "$bin" record false-sharing -o "$tmp/fs.gmvt"
check stats-false-sharing 0 "$bin" stats "$tmp/fs.gmvt"
grep -q 'false-sharing and 0 true-sharing' "$tmp/out" &&
    grep -q 'wrote bytes 0-7: a' "$tmp/out" && grep -q 'wrote bytes 8-15: b' "$tmp/out" ||
    { echo "FAIL stats does not name the falsely shared counters"; fails=$((fails + 1)); }
# Lesson 7: core 0 writes a and the WaitGroups beside it, never b; the
# report lists what each core wrote, not the span from its first to its
# last byte (which held b).
check lesson7-record 0 env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen "$bin" lesson 7 -o "$tmp/l7.gmvt"
check lesson7-stats 0 "$bin" stats "$tmp/l7.gmvt"
grep -q 'core 0 wrote bytes 0-7, 16-27, 32-43: a, wg.state1 (+16), wg.state1 (+32)$' "$tmp/out" &&
    grep -q 'core 1 wrote bytes 8-23, 32-39: b, ' "$tmp/out" ||
    { echo "FAIL stats: lesson 7's writers by byte"; sed -n '/contended/,+4p' "$tmp/out"; fails=$((fails + 1)); }
check lesson7-stats-json 0 "$bin" stats --json "$tmp/l7.gmvt"
python3 -c '
import json, sys
cores = json.load(open(sys.argv[1]))["contended_lines"][0]["cores"]
assert cores[0] == {"core": 0, "wrote": 0xfff0fff00ff, "read_only": 0}, cores[0]
assert cores[1]["wrote"] & 0xff00 and not cores[0]["wrote"] & 0xff00
' "$tmp/out" || { echo "FAIL stats --json: lesson 7's written bytes per core"; fails=$((fails + 1)); }
check record-padded 0 "$bin" record false-sharing-padded -o "$tmp/fsp.gmvt"
check stats-padded 0 "$bin" stats "$tmp/fsp.gmvt"
grep -q 'none: no invalidations' "$tmp/out" ||
    { echo "FAIL padded run reports sharing"; fails=$((fails + 1)); }
# `keyframes FILE` writes FILE.keyframes beside a trace, and render opens
# with it.  One that does not fit (another trace's, or damaged) is named in
# one line, and the frame is the same: the trace is indexed as before.
check record-trace-only 0 "$bin" record basics -o "$tmp/nk.gmvt"
[ ! -e "$tmp/nk.gmvt.keyframes" ] || { echo "FAIL record wrote keyframes"; fails=$((fails + 1)); }
check keyframes 0 "$bin" keyframes "$tmp/nk.gmvt"
{ [ -s "$tmp/nk.gmvt.keyframes" ] && grep -q "nk.gmvt -> .*nk.gmvt.keyframes: [0-9]* keyframe" "$tmp/out"; } ||
    { echo "FAIL keyframes FILE: no file or no report"; fails=$((fails + 1)); }
check keyframes-missing 1 "$bin" keyframes "$tmp/missing.gmvt"
[ "$(errlines)" = 1 ] || { echo "FAIL keyframes-missing: not one line"; fails=$((fails + 1)); }
check keyframes-not-a-trace 1 "$bin" keyframes "$tmp/text.gmvt"
[ ! -e "$tmp/text.gmvt.keyframes" ] || { echo "FAIL keyframes of a non-trace"; fails=$((fails + 1)); }
"$bin" keyframes "$tmp/a.gmvt" >/dev/null
"$bin" keyframes "$tmp/fs.gmvt" >/dev/null
check render-keyframes 0 env SDL_VIDEODRIVER=offscreen "$bin" render "$tmp/a.gmvt" --at 40 --size 640x400 -o "$tmp/kf.png"
[ "$(errlines)" = 0 ] || { echo "FAIL render with its keyframes file says something"; fails=$((fails + 1)); }
cp "$tmp/fs.gmvt.keyframes" "$tmp/a.gmvt.keyframes"
check render-other-keyframes 0 env SDL_VIDEODRIVER=offscreen "$bin" render "$tmp/a.gmvt" --at 40 --size 640x400 -o "$tmp/kf2.png"
{ [ "$(errlines)" = 1 ] && grep -q "not using .*a.gmvt.keyframes: made from another trace" "$tmp/err"; } ||
    { echo "FAIL another trace's keyframes: want one line naming them"; fails=$((fails + 1)); }
cmp -s "$tmp/kf.png" "$tmp/kf2.png" || { echo "FAIL the frame changed without its keyframes"; fails=$((fails + 1)); }
"$bin" keyframes "$tmp/a.gmvt" >/dev/null
ksize=$(wc -c <"$tmp/a.gmvt.keyframes")
printf '\377' | dd of="$tmp/a.gmvt.keyframes" bs=1 seek=$((ksize / 2)) conv=notrunc 2>/dev/null
check render-damaged-keyframes 0 env SDL_VIDEODRIVER=offscreen "$bin" render "$tmp/a.gmvt" --at 40 --size 640x400 -o "$tmp/kf3.png"
{ [ "$(errlines)" = 1 ] && grep -q "a.gmvt.keyframes: damaged or cut short" "$tmp/err"; } ||
    { echo "FAIL damaged keyframes: want one line naming them"; fails=$((fails + 1)); }
cmp -s "$tmp/kf.png" "$tmp/kf3.png" || { echo "FAIL the frame changed with damaged keyframes"; fails=$((fails + 1)); }
check probe-sizeclass 0 "$bin" probe sizeclass 1 33 32768 32769
grep -q '{"size":33,"rounded":48}' "$tmp/out" || { echo "FAIL probe sizeclass 33"; fails=$((fails + 1)); }
check probe-bad-size 1 "$bin" probe sizeclass -3
check probe-unknown 2 "$bin" probe nothing
probes=$(sed 's/.*probes://' "$tmp/err")
check probe-help 0 "$bin" probe --help
for p in $probes; do # the help names every probe the dispatcher knows
    grep -q "^  $p " "$tmp/out" || { echo "FAIL probe --help lacks $p"; fails=$((fails + 1)); }
done
[ -n "$probes" ] || { echo "FAIL probe nothing lists no probes"; fails=$((fails + 1)); }
check bench-small 0 "$bin" bench trace --events 10000
# -o becomes a format string for --all: only one %d may be in it
check render-bad-pattern 1 "$bin" render "$tmp/a.gmvt" --all -o "$tmp/x%s%n.png"
[ "$(errlines)" = 1 ] || { echo "FAIL render-bad-pattern: not one line"; fails=$((fails + 1)); }
check render-into-dir 0 env SDL_VIDEODRIVER=offscreen "$bin" render "$tmp/a.gmvt" --all -o "$tmp/frames/"
[ -s "$tmp/frames/step-001.png" ] || { echo "FAIL render-into-dir: no step-001.png"; fails=$((fails + 1)); }
# --answered: the step's question answered (its explanation drawn), so the
# frame differs from the open question's; with --at it is a usage error.
check render-answered 0 env SDL_VIDEODRIVER=offscreen "$bin" render --lesson 6 --step 2 --answered --size 640x400 -o "$tmp/ans.png"
check render-open 0 env SDL_VIDEODRIVER=offscreen "$bin" render --lesson 6 --step 2 --size 640x400 -o "$tmp/open.png"
{ [ -s "$tmp/ans.png" ] && ! cmp -s "$tmp/ans.png" "$tmp/open.png"; } ||
    { echo "FAIL render --answered draws the same frame as the open question"; fails=$((fails + 1)); }
check render-answered-at 2 env SDL_VIDEODRIVER=offscreen "$bin" render --lesson 6 --at 5 --answered -o "$tmp/x.png"
# --pointer X,Y: the pointer resting there, its details drawn (here the
# timeline's: the step under it); outside the frame or malformed: one line.
check render-pointer 0 env SDL_VIDEODRIVER=offscreen "$bin" render --lesson 6 --step 2 --size 640x400 --pointer 320,375 -o "$tmp/ptr.png"
{ [ -s "$tmp/ptr.png" ] && ! cmp -s "$tmp/ptr.png" "$tmp/open.png"; } ||
    { echo "FAIL render --pointer draws the same frame as no pointer"; fails=$((fails + 1)); }
check render-pointer-outside 1 "$bin" render --lesson 6 --step 2 --size 640x400 --pointer 640,10 -o "$tmp/x.png"
grep -q "outside the 640x400 frame" "$tmp/err" || { echo "FAIL render-pointer-outside: message"; fails=$((fails + 1)); }
check render-pointer-bad 1 "$bin" render --lesson 6 --step 2 --pointer 20 -o "$tmp/x.png"
[ "$(errlines)" = 1 ] || { echo "FAIL render-pointer-bad: not one line"; fails=$((fails + 1)); }
# --map-zoom Z: the map pane's rows taller (lesson 5's growing map), as the
# wheel in the window; out of 1..4: one line.
check render-map-zoom-1 0 env SDL_VIDEODRIVER=offscreen "$bin" render --lesson 5 --step 4 --size 640x400 -o "$tmp/mz1.png"
check render-map-zoom 0 env SDL_VIDEODRIVER=offscreen "$bin" render --lesson 5 --step 4 --size 640x400 --map-zoom 3 -o "$tmp/mz3.png"
{ [ -s "$tmp/mz3.png" ] && ! cmp -s "$tmp/mz1.png" "$tmp/mz3.png"; } ||
    { echo "FAIL render --map-zoom draws the same frame as no zoom"; fails=$((fails + 1)); }
check render-map-zoom-bad 1 "$bin" render --lesson 5 --step 4 --map-zoom 0.5 -o "$tmp/x.png"
[ "$(errlines)" = 1 ] || { echo "FAIL render-map-zoom-bad: not one line"; fails=$((fails + 1)); }

# A file that is no trace: each command names it, in one line.
printf 'hello\n' >"$tmp/not.gmvt"
for cmd in "render $tmp/not.gmvt -o $tmp/n.png" "bench viewer $tmp/not.gmvt" "bench read $tmp/not.gmvt" "play $tmp/not.gmvt"; do
    # shellcheck disable=SC2086 # the words split on purpose
    check "not-a-trace: ${cmd%% /*}" 1 env SDL_VIDEODRIVER=offscreen "$bin" $cmd
    { [ "$(errlines)" = 1 ] && grep -q "not.gmvt: .*bad magic" "$tmp/err"; } ||
        { echo "FAIL not-a-trace: ${cmd%% /*}: want one line naming the file"; fails=$((fails + 1)); }
done
# play with SDL's offscreen driver (what render uses) would open a window
# no one sees and no key reaches, and never end: one line instead.
check play-offscreen 1 env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen timeout 30 "$bin" play "$tmp/b.gmvt"
{ [ "$(errlines)" = 1 ] && grep -q "SDL_VIDEODRIVER=offscreen shows no window" "$tmp/err"; } ||
    { echo "FAIL play-offscreen: want one line"; fails=$((fails + 1)); }
# --at past the end is an error, as --step past the last step is.
check render-at-past-end 1 env SDL_VIDEODRIVER=offscreen "$bin" render "$tmp/a.gmvt" --at 99999999 -o "$tmp/n.png"
grep -q -- "--at 99999999: the trace has [0-9]* events" "$tmp/err" ||
    { echo "FAIL render-at-past-end: message"; fails=$((fails + 1)); }
[ ! -e "$tmp/n.png" ] || { echo "FAIL a PNG was written for a bad trace or --at"; fails=$((fails + 1)); }

# A command line that cannot mean anything: exit 2 and one line that says
# what is wrong with it (ARGS|what the line must say).  Run where no file
# of those names exists.
mkdir "$tmp/empty"
here=$(pwd)
case $bin in */*) abs=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;; *) abs=$bin ;; esac
cd "$tmp/empty" || exit 1
while IFS='|' read -r args says; do
    # shellcheck disable=SC2086 # the words split on purpose
    check "bad-args: $args" 2 "$abs" $args
    { [ "$(errlines)" = 1 ] && grep -q -- "$says" "$tmp/err"; } ||
        { echo "FAIL bad-args: $args: want one line saying '$says'"; sed 's/^/  | /' "$tmp/err"; fails=$((fails + 1)); }
done <<EOF
render --lesson 1 --step abc -o x.png|--step: want a step number from 1, got 'abc'
render --lesson 1 --step 0 -o x.png|got '0'
render --lesson 1 --step 2 --all -o x.png|--all draws every step: leave out --step
render --lesson 1 --at 3 --gif -o x.gif|--gif draws every step: leave out --at
render --lesson 1 --step 2 --at 3 -o x.png|--step and --at: choose one
render --lesson 1|-o OUT is missing
render -o x.png|give a trace FILE or --lesson N
render a.gmvt --lesson 2 -o x.png|not both
render a.gmvt b.gmvt -o x.png|unexpected 'b.gmvt'
render --lesson 1 --frob -o x.png|unknown option '--frob'
render --lesson 1 -o x.png --step|--step needs a value
render a.gmvt --handout -o d/|--handout needs --lesson N
render --lesson 6 --at 5 --answered -o x.png|use --step K, not --at
play a.gmvt b.gmvt|unexpected 'b.gmvt'
bench --events 0|--events: want 1 to 1000000000
bench --frob|unknown option '--frob'
bench read|read needs a trace FILE
dump --from x a.gmvt|--from: want an event number
dump a.gmvt --count|--count needs a value
record basics|-o FILE is missing
record basics -o x.gmvt --frob|unknown option '--frob'
stats --json a.gmvt b.gmvt|unexpected 'b.gmvt'
keyframes a.gmvt b.gmvt|unexpected 'b.gmvt'
keyframes --frob|unknown option '--frob'
EOF
[ -z "$(ls -A "$tmp/empty")" ] || { echo "FAIL a bad command line wrote a file"; fails=$((fails + 1)); }
cd "$here" || exit 1

[ "$fails" -eq 0 ] && echo "all CLI checks passed" || echo "$fails CLI checks failed"
[ "$fails" -eq 0 ]
