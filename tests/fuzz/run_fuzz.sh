#!/bin/sh
# Short libFuzzer runs (clang -fsanitize=fuzzer) of the trace reader
# (seeds: a trace recorded by the model) and of the viewer's World (events
# made from the bytes; a keyframe restored and replayed from must give the
# same World).  Usage: run_fuzz.sh WORKDIR [SECONDS]   (SECONDS each)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${1:?usage: run_fuzz.sh WORKDIR [SECONDS]}
secs=${2:-${GMV_FUZZ_SECONDS:-20}}
command -v clang >/dev/null || { echo "run_fuzz: clang not installed" >&2; exit 1; }
mkdir -p "$work/corpus" "$work/seeds" "$work/corpus_world"
flags="-g -O1 -std=c11 -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
# shellcheck disable=SC2086 # flags are words
clang $flags -I"$src/core" \
    "$here/fuzz_trace_read.c" "$src/core/trace_read.c" "$src/core/trace_ahead.c" "$src/core/trace_dump.c" \
    "$src/core/event.c" -ldeflate -lpthread -o "$work/fuzz_trace_read"
# shellcheck disable=SC2086
clang $flags -I"$src/core" -I"$src/viz" "$here/fuzz_world.c" "$src"/viz/world*.c \
    "$src/core/trace.c" "$src/core/trace_writer.c" "$src/core/strtab.c" "$src/core/event.c" \
    -ldeflate -lm -o "$work/fuzz_world"
# Seeds: a real trace and its damaged variants, if the binary is next door.
if [ -n "${GMV_BINARY:-}" ] && [ -x "$GMV_BINARY" ]; then
    "$GMV_BINARY" record basics -o "$work/seeds/basics.gmvt" >/dev/null
fi
status=0
"$work/fuzz_trace_read" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=1024 -timeout=5 \
    -print_final_stats=1 "$work/corpus" "$work/seeds" >"$work/log" 2>&1 || status=$?
tail -n 12 "$work/log"
[ "$status" = 0 ] || exit "$status"
"$work/fuzz_world" -max_total_time="$secs" -max_len=8192 -rss_limit_mb=1024 -timeout=5 \
    -print_final_stats=1 "$work/corpus_world" >"$work/log_world" 2>&1 || status=$?
tail -n 12 "$work/log_world"
exit $status
