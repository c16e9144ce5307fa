/*
 * cmd_bench.c — `gomemviz bench`: the trace writer and reader on a stream of
 * mixed events (issue 2's targets: <= 5 ns and <= 8 bytes per event
 * recorded, >= 100 million events per second read).
 *
 * The stream imitates what the model emits: mostly accesses near the
 * previous address, with allocations, map slot updates, invalidations and
 * frame push/pop mixed in, from a fixed-seed generator (deterministic).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "trace_read.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void emit_mix(Tracer *t, uint64_t n)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull, addr = 0xc000010000ull;
    uint32_t type = tracer_str(t, "runtime.bmap"), fn = tracer_str(t, "main.work");
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = rng(&seed), pick = r % 100;
        addr += (int64_t)((r >> 8) % 512) - 200;
        if (pick < 80)
            TRACE(t, ACCESS, r >> 40 & 1, r >> 41 & 3, addr & ~7ull, 8,
                  access_info(r >> 20 & 1, OUTCOME_HIT, MESI_E, MESI_E));
        else if (pick < 88)
            TRACE(t, ALLOC, addr, 144, 144, 11, type, OBJ_BUCKETS, SPACE_HEAP, 0);
        else if (pick < 94)
            TRACE(t, MAP_SLOT_SET, 0xc000000000ull, addr & ~127ull, r >> 50 & 7, 5 + (r >> 32 & 127), 0);
        else if (pick < 97)
            TRACE(t, INVALIDATE, 0, 1, addr & ~63ull, 0xff, 0xff00, 1);
        else
            TRACE(t, FRAME_PUSH, 0, fn, 0xc800100000ull - (r & 0xff0));
    }
}

static int bench_trace(uint64_t n)
{
    const char *path = "/tmp/gomemviz-bench.gmvt";
    Tracer t;
    tracer_open(&t, NULL, NULL);
    double t0 = now();
    emit_mix(&t, n);
    tracer_flush(&t);
    double null_s = now() - t0;
    uint64_t bytes = t.bytes;
    tracer_close(&t);
    if (tracer_open(&t, path, NULL) != 0)
        return cli_error("cannot write %s: %s", path, strerror(errno));
    t0 = now();
    emit_mix(&t, n);
    if (tracer_close(&t) != 0)
        return cli_error("writing %s failed", path);
    double file_s = now() - t0;
    TraceReader r;
    if (trace_open(&r, path) != TRACE_OK)
        return cli_error("%s", r.message);
    t0 = now();
    size_t cap = 0;
    Event *buf = NULL;
    uint64_t nread = 0;
    for (size_t ci = 0; ci < r.nchunks; ci++) {
        if (r.chunks[ci].count > cap) {
            cap = r.chunks[ci].count;
            buf = realloc(buf, cap * sizeof *buf);
        }
        if (trace_decode_chunk(&r, ci, buf) != 0)
            return cli_error("%s", r.message);
        nread += r.chunks[ci].count;
    }
    double read_s = now() - t0;
    free(buf);
    trace_close(&r);
    remove(path);
    printf("trace bench: %llu mixed events\n", (unsigned long long)n);
    printf("  record to null sink: %.2f ns/event\n", null_s * 1e9 / n);
    printf("  record to file:      %.2f ns/event (%s)\n", file_s * 1e9 / n, path);
    printf("  size on disk:        %.2f bytes/event\n", (double)bytes / n);
    printf("  read (decode):       %.1f million events/s (%llu events)\n",
           nread / read_s / 1e6, (unsigned long long)nread);
    return EXIT_OK;
}

int cmd_bench(int argc, char **argv)
{
    const char *what = "trace";
    uint64_t n = 10000000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--events") && i + 1 < argc) {
            if (!cli_parse_u64(argv[++i], 1000000000, &n) || n == 0)
                return cli_usage("bench");
        } else if (argv[i][0] == '-')
            return cli_usage("bench");
        else
            what = argv[i];
    }
    if (!strcmp(what, "trace"))
        return bench_trace(n);
    return cli_error("no benchmark '%s' (have: trace)", what);
}
