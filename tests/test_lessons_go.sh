#!/bin/sh
# test_lessons_go.sh — lesson 3 quotes the real Go 1.19 compiler, and
# lesson 1 says where each of its arrays lives; check both with the compiler.
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

# Lesson 1's source, made a program: where the compiler puts each make (and
# the box for v) must be where the lesson's model puts it.  Lines are the
# lesson's (the two-line package header is subtracted).
mkdir "$tmp/l1"
{
	printf 'package main\n\n'
	sed -n '/^static const char source/,/;$/p' "$src/lessons/lesson01_slice_where.c" |
		sed -n 's/^ *"\(.*\)\\n"[;]*.*$/\1/p'
	printf 'func main() { local("x"); _ = demo(4) }\n'
} >"$tmp/l1/main.go"
(cd "$tmp/l1" && go build -gcflags='-m=2 -l' -o /dev/null main.go) >"$tmp/l1.out" 2>&1
sed -n 's|^\./main\.go:\([0-9]*\):[0-9]*: |\1 |p' "$tmp/l1.out" |
	awk '{ $1 = $1 - 2; print }' | sed 's| at \./main\.go:[0-9:]*$||' >"$tmp/l1.lines"
for want in \
	"2 name escapes to heap" \
	"3 make([]int64, 8) does not escape" \
	"4 make([]byte, 65536) does not escape" \
	"9 from make([]byte, 65537) (too large for stack)" \
	"10 from make([]int64, k) (non-constant size)" \
	"11 make([]int64, 4) escapes to heap"; do
	if ! grep -Fxq -- "$want" "$tmp/l1.lines"; then
		echo "FAIL: lesson 1, line ${want%% *}: go build -gcflags='-m=2 -l' does not say: ${want#* }"
		fail=1
	fi
done

[ $fail = 0 ] && echo "ok: lessons 1 and 3 match the compiler, $(go version)"
exit $fail
