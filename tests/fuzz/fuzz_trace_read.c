/*
 * fuzz_trace_read.c — libFuzzer target for the trace reader: open any bytes,
 * decode every usable chunk, format every event.  Must never crash, hang or
 * allocate without bound (run under ASan + UBSan by tests/fuzz/run_fuzz.sh).
 */
#include <stdint.h>
#include <stdlib.h>

#include "trace_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TraceReader r;
    trace_open_mem(&r, data, size);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    char line[512];
    while (trace_cursor_next(&c, &e))
        trace_format_event(&r, &e, line, sizeof line);
    trace_cursor_free(&c);
    trace_close(&r);
    return 0;
}
