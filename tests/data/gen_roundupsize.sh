#!/bin/sh
# Regenerates go119_roundupsize.txt: "size rounded" per line, where rounded
# is Go 1.19's runtime.roundupsize(size) as measured by goprobe (the cap of
# append([]byte(nil), size bytes...)); sizes 1..32768 and a sample of large
# sizes (page multiples above 32 KiB). A C unit test compares against it.
# usage: tests/data/gen_roundupsize.sh   (needs golang-go 1.19; offline)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../diff/goenv.sh"
GP=$(goprobe_build "${GOPROBE:-${TMPDIR:-/tmp}/gomemviz-goprobe/goprobe}")
LARGE="32769 32770 36864 40959 40960 40961 45056 49152 57344 65535 65536
65537 73728 73729 81920 100000 131072 131073 262144 262145 1000000 1048576
1048577 4194304 4194305 10000000 33554432 33554433"
# shellcheck disable=SC2046,SC2086 # word splitting intended
"$GP" sizeclass $(awk 'BEGIN { for (i = 1; i <= 32768; i++) print i }') $LARGE |
	sed 's/^{"size":\([0-9]*\),"rounded":\([0-9]*\)}$/\1 \2/' >"$HERE/go119_roundupsize.txt.tmp"
mv "$HERE/go119_roundupsize.txt.tmp" "$HERE/go119_roundupsize.txt"
echo "wrote $HERE/go119_roundupsize.txt ($(wc -l <"$HERE/go119_roundupsize.txt") lines)"
