#!/bin/sh
# test_lessons_go.sh — lesson 3 quotes the real Go 1.19 compiler, and
# lessons 1, 2, 4-11 say (or show) where their arrays, maps and variables
# live; check them all with the compiler (lesson 10 with a stand-in for Go
# 1.20's arena package).
#
# lessons/lesson03_escape.c shows -gcflags=-m output captured from Go 1.19,
# marked GO_M("..."), GO_ML("...") and GO_M2L("...") for the flags -m,
# '-m -l' and '-m=2 -l'.  This re-runs the compiler on
# lessons/go/escape/escape.go and checks that every marked line is printed
# exactly, and that the lesson's Go source (between BEGIN/END escape.go) is
# escape.go byte for byte, so the line:column positions point where the
# viewer highlights.
#
# usage: sh tests/test_lessons_go.sh [SOURCE_DIR]
# Exit: 0 all lines found (or Go 1.19 absent: skipped, prints SKIP and
# exits 77 for ctest's SKIP_RETURN_CODE), 1 a mismatch.
set -u
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
lesson=$src/lessons/lesson03_escape.c
dir=$src/lessons/go/escape
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# The lesson's source string, unescaped, must be escape.go.
sed -n '/BEGIN escape.go/,/END escape.go/p' "$lesson" |
	sed -n 's/^ *"\(.*\)\\n"[;]*$/\1/p' |
	sed -e 's/\\t/\t/g' -e 's/\\"/"/g' -e 's/\\\\/\\/g' >"$tmp/source.go"
if ! cmp -s "$tmp/source.go" "$dir/escape.go"; then
	echo "FAIL: the Go source in $lesson differs from $dir/escape.go:"
	diff "$dir/escape.go" "$tmp/source.go"
	exit 1
fi

if ! command -v go >/dev/null 2>&1; then
	echo "SKIP: go not installed"
	exit 77
fi
case $(go version) in
*" go1.19"*) ;;
*) echo "SKIP: needs Go 1.19, found: $(go version)"; exit 77 ;;
esac
[ -n "${HOME:-}" ] || { GOCACHE=$tmp/cache; export GOCACHE; }
GOPROXY=off GOFLAGS=-buildvcs=false GO111MODULE=off
export GOPROXY GOFLAGS GO111MODULE

fail=0
check() { # MACRO FLAGS
	(cd "$dir" && go build -gcflags="$2" -o /dev/null escape.go) >"$tmp/out" 2>&1
	# GO_X("line") -> line, one per match (a text line may hold several)
	grep -o "$1(\"[^\"]*\")" "$lesson" | sed "s/^$1(\"//; s/\")\$//" >"$tmp/want"
	[ -s "$tmp/want" ] || { echo "FAIL: no $1 lines in $lesson"; fail=1; return; }
	while IFS= read -r line; do
		if ! grep -Fxq -- "$line" "$tmp/out"; then
			echo "FAIL: go build -gcflags='$2' no longer prints: $line"
			fail=1
		fi
	done <"$tmp/want"
}
check GO_M '-m'
check GO_ML '-m -l'
check GO_M2L '-m=2 -l'

# A lesson's Go source made a program: a first line (package and imports),
# the lesson's source as shown, then what it leaves out (helpers, main).
# Where the compiler puts each make, box and variable must be where the
# lesson's model puts it: each WANT is "LINE message" of -m=2 -l output at
# the lesson's own line numbers.
lesson_go() { # lesson_go FILE.c FIRST_LINE LAST_LINES WANT...
	name=$(basename "$1" .c)
	mkdir "$tmp/$name"
	{
		printf '%s\n' "$2"
		sed -n '/^static const char source/,/;$/p' "$src/lessons/$1" |
			sed -n 's/^ *"\(.*\)\\n"[;]*.*$/\1/p'
		printf '%s\n' "$3"
	} >"$tmp/$name/main.go"
	(cd "$tmp/$name" && go build -gcflags='-m=2 -l' -o /dev/null main.go) >"$tmp/$name.out" 2>&1
	sed -n 's|^\./main\.go:\([0-9]*\):[0-9]*: |\1 |p' "$tmp/$name.out" |
		awk '{ $1 = $1 - 1; print }' | sed 's| at \./main\.go:[0-9:]*$||' >"$tmp/$name.lines"
	shift 3
	for want in "$@"; do
		if ! grep -Fxq -- "$want" "$tmp/$name.lines"; then
			echo "FAIL: $name, line ${want%% *}: go build -gcflags='-m=2 -l' does not say: ${want#* }"
			fail=1
		fi
	done
}

lesson_go lesson01_slice_where.c 'package main' 'func main() { local("x"); _ = demo(4) }' \
	"2 name escapes to heap" \
	"3 make([]int64, 8) does not escape" \
	"4 make([]byte, 65536) does not escape" \
	"9 from make([]byte, 65537) (too large for stack)" \
	"10 from make([]int64, k) (non-constant size)" \
	"11 make([]int64, 4) escapes to heap"
# Lesson 2's t (9600 bytes, a constant size) sits in the frame.
lesson_go lesson02_append.c 'package main; import "runtime"; func main() {' '}' \
	"7 make([]int64, 1200) does not escape"
# count's map stays in the frame (lesson 4's hmap in the stacks pane); big's
# escapes.
lesson_go lesson04_map_layout.c 'package main' \
	"$(printf 'var sameBucket []int64\nfunc main() { _ = count(); _ = big() }')" \
	"2 make(map[int64]int64) does not escape" \
	"13 make(map[int64]int64, 100) escapes to heap"
# Lesson 7's run(): wg is moved to heap and both closures escape (the
# lesson's model allocates all three; wg lands next to c, in its line).
lesson_go lesson07_false_sharing.c 'package main; import "sync"' \
	"$(printf 'const N = 100\nfunc main() { run(new(counters)); _ = padded{} }')" \
	"13 moved to heap: wg" \
	"15 func literal escapes to heap" \
	"16 func literal escapes to heap"
# Lessons 6 and 8 make their sync.Maps with new() at package level: on the
# heap (main.init calls runtime.newobject).  A &T{...} literal there would
# be static data (a stmp), so lesson 8's lock+map comes from a function.
lesson_go lesson06_syncmap.c 'package main; import "sync"' '' \
	"1 new(sync.Map) escapes to heap"
lesson_go lesson08_read_mostly.c 'package main; import "sync"' \
	"$(printf 'type RWMap struct { mu sync.RWMutex; m map[int]int }
func newRWMap(n int) *RWMap { return &RWMap{m: make(map[int]int, n)} }
func main() { readSync(0); readRW(0) }')" \
	"1 new(sync.Map) escapes to heap" \
	"20 &RWMap{...} escapes to heap" \
	"20 make(map[int]int, n) escapes to heap"
if grep -q 'stmp' "$tmp/lesson08_read_mostly.out"; then
	echo "FAIL: lesson08_read_mostly: a package-level literal is static data (stmp), not the heap object the lesson shows"
	fail=1
fi
# The benchmarks' sync.Maps and the Mutex are moved to heap (one malloc
# each before the loop); the presized map is not (its hmap in the frame).
lesson_go lesson09_benchmark.c 'package main; import ("sync"; "testing")' \
	"$(printf 'const big = 1 << 20\nfunc main() {}')" \
	"2 moved to heap: m" \
	"8 moved to heap: m" \
	"14 moved to heap: mu" \
	"15 make(map[int]int, 64) does not escape"
# Lesson 5's maps are package variables: both on the heap.
lesson_go lesson05_map_growth.c 'package main; var m, c map[int64]int64; func main() {' '}' \
	"1 make(map[int64]int64) escapes to heap" \
	"9 make(map[int64]int64, 100) escapes to heap"
# The article's claims re-run: a local map in the frame, 64 KiB in the
# frame, 1 MiB too large, n not constant.
lesson_go lesson11_claims.c 'package main; import "sync"' \
	'func main() { localMap(); slices(4); syncMap(new(sync.Map), 1, 2) }' \
	"2 make(map[int]int) does not escape" \
	"6 make([]byte, 65536) does not escape" \
	"7 from make([]byte, 1 << 20) (too large for stack)" \
	"8 from make([]int64, n) (non-constant size)"

# Lesson 10's arenaMap uses Go 1.20's arena package (GOEXPERIMENT=arenas),
# which 1.19 lacks: a stand-in with 1.20's API lets its source compile, so
# its other tables are checked (the stand-in's own allocations are not).
mkdir -p "$tmp/gopath/src/arena"
cat >"$tmp/gopath/src/arena/arena.go" <<'GO'
// Package arena stands in for Go 1.20's (GOEXPERIMENT=arenas): same API.
package arena

type Arena struct{ n int }

func NewArena() *Arena                          { return &Arena{} }
func (a *Arena) Free()                          { a.n = 0 }
func New[T any](a *Arena) *T                    { a.n++; return new(T) }
func MakeSlice[T any](a *Arena, len, cap int) []T { a.n++; return make([]T, len, cap) }
GO
GOPATH=$tmp/gopath
export GOPATH
lesson_go lesson10_alternatives.c 'package main; import ("arena"; "sync"; "sync/atomic")' \
	"$(printf '%s\n' \
		'type RWMap struct { mu sync.RWMutex; m map[int]int }' \
		'func newRWMap(n int) *RWMap { return &RWMap{m: make(map[int]int, n)} }' \
		'type bucket struct { top [8]uint8; k, v [8]int; next int32 }' \
		'type ArenaMap struct { a *arena.Arena; mu sync.Mutex; b []bucket }' \
		'func arenaMap(a *arena.Arena, n int) *ArenaMap {' \
		'	m := arena.New[ArenaMap](a); m.a = a; m.b = arena.MakeSlice[bucket](a, 8, n/8); return m }' \
		'const big = 1 << 20' \
		'func key(g, i int) int { return big + 16*g + i }' \
		'func store(k, v int) { d[k&63].k = k; d[k&63].v.Store(int64(v)) }' \
		'func load(k int) int64 { return d[k&63].v.Load() }' \
		'func main() { worker(0); _, _, _ = a, b, c }')" \
	"2 new(sync.Map) escapes to heap" \
	"12 &RWMap{...} escapes to heap" \
	"12 make(map[int]int, n) escapes to heap"
# d, the fixed-key table, is static data: nothing on its line escapes
# (a make there, or a new, would be on the heap).
if grep -q '^5 .*escapes to heap' "$tmp/lesson10_alternatives.lines"; then
	echo "FAIL: lesson10_alternatives, line 5: the fixed-key table is on the heap, not static data"
	fail=1
fi

[ $fail = 0 ] && echo "ok: lessons 1-11 match the compiler, $(go version)"
exit $fail
