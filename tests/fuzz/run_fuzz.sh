#!/bin/sh
# A short libFuzzer run of the trace reader (clang -fsanitize=fuzzer).
# Usage: run_fuzz.sh WORKDIR [SECONDS]   (seeds: traces recorded by the model)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${1:?usage: run_fuzz.sh WORKDIR [SECONDS]}
secs=${2:-${GMV_FUZZ_SECONDS:-20}}
command -v clang >/dev/null || { echo "run_fuzz: clang not installed" >&2; exit 1; }
mkdir -p "$work/corpus" "$work/seeds"
bin="$work/fuzz_trace_read"
clang -g -O1 -std=c11 -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$src/core" \
    "$here/fuzz_trace_read.c" "$src/core/trace_read.c" "$src/core/trace_ahead.c" "$src/core/trace_dump.c" \
    "$src/core/event.c" -ldeflate -lpthread -o "$bin"
# Seeds: a real trace and its damaged variants, if the binary is next door.
if [ -n "${GMV_BINARY:-}" ] && [ -x "$GMV_BINARY" ]; then
    "$GMV_BINARY" record basics -o "$work/seeds/basics.gmvt" >/dev/null
fi
status=0
"$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=1024 -timeout=5 \
    -print_final_stats=1 "$work/corpus" "$work/seeds" >"$work/log" 2>&1 || status=$?
tail -n 12 "$work/log"
exit $status
