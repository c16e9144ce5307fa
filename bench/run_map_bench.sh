#!/bin/sh
# Build and run the map benchmark three ways and against Go 1.19:
#   off   core compiled with -O2 -DGMV_NO_TRACE (recording compiled out)
#   null  recording to a null sink
#   full  recording to a file with cache simulation (with and without the
#         per-slot labels)
#   go    bench/map_bench_go (the real map)
# usage: bench/run_map_bench.sh [N (default 1000000)] [REPS (default 3)]
# Prints each run, then the best (lowest) all-ops ns/op of each and the
# ratios the issue sets targets for: off/go <= 2, full/off <= 5.
set -eu
N=${1:-1000000}
REPS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${MAP_BENCH_DIR:-$ROOT/build/map_bench}
mkdir -p "$OUT"
CORE=$(ls "$ROOT"/core/*.c)
CFLAGS="-std=c11 -O2 -DNDEBUG -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I$ROOT/core"
# shellcheck disable=SC2086
cc $CFLAGS -DGMV_NO_TRACE -o "$OUT/map_bench_off" "$ROOT/bench/map_bench.c" $CORE -ldeflate -lpthread -lm
# shellcheck disable=SC2086
cc $CFLAGS -o "$OUT/map_bench_rec" "$ROOT/bench/map_bench.c" $CORE -ldeflate -lpthread -lm
(cd "$ROOT/bench/map_bench_go" && GOFLAGS=-buildvcs=false GOPROXY=off go build -o "$OUT/map_bench_go" .)

best() { # best MODE CMD...: run REPS times, print each, remember the best "all"
	mode=$1
	shift
	b=""
	i=0
	while [ $i -lt "$REPS" ]; do
		line=$("$@")
		echo "$line"
		v=$(echo "$line" | sed 's/.*all=\([0-9.]*\).*/\1/')
		b=$(awk -v a="$b" -v v="$v" 'BEGIN { print (a == "" || v < a) ? v : a }')
		i=$((i + 1))
	done
	eval "best_$mode=$b"
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p')"
best go "$OUT/map_bench_go" "$N"
best off "$OUT/map_bench_off" off "$N"
best null "$OUT/map_bench_rec" null "$N"
best full env MAP_BENCH_TRACE="$OUT/map_bench.gmvt" "$OUT/map_bench_rec" full "$N"
echo "trace file: $(du -h "$OUT/map_bench.gmvt" | cut -f1)"
# the same without slot labels (1 million distinct "key:elem" strings)
best fullnl env MAP_BENCH_NOLABEL=1 MAP_BENCH_TRACE="$OUT/map_bench.gmvt" "$OUT/map_bench_rec" full "$N"
rm -f "$OUT/map_bench.gmvt"
# shellcheck disable=SC2154
awk -v go="$best_go" -v off="$best_off" -v nul="$best_null" -v full="$best_full" -v fnl="$best_fullnl" 'BEGIN {
	printf "best ns/op (insert+lookup averaged): go %.1f  off %.1f  null %.1f  full %.1f  full-nolabel %.1f\n", go, off, nul, full, fnl
	printf "off/go   = %.2f  (target <= 2)\n", off / go
	printf "null/off = %.2f\n", nul / off
	printf "full/off = %.2f  (target <= 5)\n", full / off
	printf "full-nolabel/off = %.2f\n", fnl / off
}'
