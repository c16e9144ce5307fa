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

#include "bench_mix.h"
#include "cli.h"
#include "machine.h"
#include "trace_ahead.h"
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

/* One timed pass of each kind; bench_trace keeps the fastest of several,
 * since on a shared machine the slow runs measure the neighbours. */
static double time_record(const char *path, uint64_t n, uint64_t *bytes)
{
    Tracer t;
    if (tracer_open(&t, path, NULL) != 0)
        return -1;
    double t0 = now();
    bench_emit_mix(&t, n);
    tracer_flush(&t);
    double s = now() - t0;
    *bytes = t.bytes;
    return tracer_close(&t) == 0 ? s : -1;
}

/* Every chunk into one buffer, up to a damaged one (then r->status says). */
static double time_decode(TraceReader *r, Event **buf, size_t *cap)
{
    double t0 = now();
    for (size_t ci = 0; ci < r->nchunks; ci++) {
        if (r->chunks[ci].count > *cap) {
            *cap = r->chunks[ci].count;
            *buf = realloc(*buf, *cap * sizeof **buf);
            if (!*buf)
                abort();
        }
        if (trace_decode_chunk(r, ci, *buf) != 0)
            break;
    }
    return now() - t0;
}

/* The same through trace_ahead with `threads` decoding threads, as `dump`,
 * `stats` and the viewer read: every event handed over in order. */
static double time_ahead(TraceReader *r, unsigned threads)
{
    double t0 = now();
    TraceAhead *a = trace_ahead_open(r, 0, threads);
    if (!a)
        return -1;
    size_t n, total = 0;
    while (trace_ahead_next(a, &n, NULL))
        total += n;
    trace_ahead_close(a);
    return total == r->nevents && r->status == TRACE_OK ? now() - t0 : -1;
}

static double fastest(double a, double b)
{
    return a < 0 || (b >= 0 && b < a) ? b : a;
}

static int bench_trace(uint64_t n, int passes)
{
    const char *path = "/tmp/gomemviz-bench.gmvt";
    double gen_s = -1, null_s = -1, file_s = -1, read_s = -1, open_s = -1;
    uint64_t bytes = 0;
    for (int i = 0; i < passes; i++) {
        double t0 = now();
        bench_generate_mix(n);
        gen_s = fastest(gen_s, now() - t0);
        null_s = fastest(null_s, time_record(NULL, n, &bytes));
        double f = time_record(path, n, &bytes);
        if (f < 0)
            return cli_error("cannot write %s: %s", path, strerror(errno));
        file_s = fastest(file_s, f);
    }
    TraceReader r;
    double t0 = now();
    if (trace_open(&r, path) != TRACE_OK)
        return cli_error("%s", r.message);
    open_s = now() - t0;
    size_t cap = 0;
    Event *buf = NULL;
    unsigned threads = trace_ahead_default_threads();
    double ahead_s = -1;
    for (int i = 0; i < passes; i++) {
        double d = time_decode(&r, &buf, &cap);
        if (r.status != TRACE_OK)
            return cli_error("%s", r.message);
        read_s = fastest(read_s, d);
        if (threads > 1 && (d = time_ahead(&r, threads)) < 0)
            return cli_error("%s", r.message);
        ahead_s = fastest(ahead_s, d);
    }
    uint64_t nread = r.nevents;
    free(buf);
    trace_close(&r);
    remove(path);
    printf("trace bench: %llu mixed events, fastest of %d passes\n", (unsigned long long)n, passes);
    printf("  generating the stream alone: %.2f ns/event (subtracted below)\n", gen_s * 1e9 / n);
    printf("  record to null sink: %.2f ns/event\n", (null_s - gen_s) * 1e9 / n);
    printf("  record to file:      %.2f ns/event (%s)\n", (file_s - gen_s) * 1e9 / n, path);
    printf("  size on disk:        %.2f bytes/event\n", (double)bytes / n);
    printf("  open (chunk walk, CRC-32, strings): %.1f million events/s\n", nread / open_s / 1e6);
    printf("  read (decode):       %.1f million events/s on one thread (%llu events)\n",
           nread / read_s / 1e6, (unsigned long long)nread);
    if (threads > 1)
        printf("  read, %u threads:     %.1f million events/s (chunks decoded ahead, in order)\n",
               threads, nread / ahead_s / 1e6);
    return EXIT_OK;
}

/* The same accesses through the whole machine: cache model only, then also
 * recorded to a null sink, then to a file.  Two cores, 80% of accesses to a
 * core's private 16 KiB, 20% to 4 shared lines, a third of them writes. */
static double machine_run(Tracer *tr, uint64_t n)
{
    MachineConfig cfg = machine_config_default();
    cfg.cache = true;
    Machine m;
    machine_init(&m, tr, &cfg);
    uint64_t seed = 12345;
    double t0 = now();
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = rng(&seed);
        unsigned core = (unsigned)(r & 1);
        m.cur_core = core; /* the P switch itself is not what we measure */
        uint64_t addr = (r >> 8) % 5 == 0 ? 0xc000100000ull + ((r >> 16) & 0xf8)
                                          : 0xc000000000ull + core * 0x10000 + ((r >> 16) & 0x3ff8);
        if ((r >> 40) % 3 == 0)
            touch_write(&m, addr, 8);
        else
            touch_read(&m, addr, 8);
    }
    double s = now() - t0;
    machine_free(&m);
    return s;
}

static int bench_machine(uint64_t n)
{
    const char *path = "/tmp/gomemviz-bench-machine.gmvt";
    double bare = machine_run(NULL, n);
    Tracer t;
    tracer_open(&t, NULL, NULL);
    double null_s = machine_run(&t, n);
    uint64_t nev = t.nevents, bytes = t.bytes;
    tracer_close(&t);
    if (tracer_open(&t, path, NULL) != 0)
        return cli_error("cannot write %s: %s", path, strerror(errno));
    double file_s = machine_run(&t, n);
    tracer_close(&t);
    remove(path);
    printf("machine bench: %llu accesses, 2 cores, cache simulation on\n", (unsigned long long)n);
    printf("  cache model, not recorded: %6.1f million accesses/s\n", n / bare / 1e6);
    printf("  recorded to null sink:     %6.1f million accesses/s (%.2f events per access)\n",
           n / null_s / 1e6, (double)nev / n);
    printf("  recorded to file:          %6.1f million accesses/s (%.2f bytes per access)\n",
           n / file_s / 1e6, (double)bytes / n);
    return EXIT_OK;
}

/* Decode speed on a real trace: open (header, chunk walk, CRC) and decode
 * timed apart. */
static int bench_read(const char *path)
{
    TraceReader r;
    double t0 = now();
    if (trace_open(&r, path) == TRACE_IO_ERROR)
        return cli_error("%s", r.message);
    if (r.status != TRACE_OK && r.nchunks == 0) { /* nothing to time */
        int rc = cli_trace_error(path, r.message, false);
        trace_close(&r);
        return rc;
    }
    double open_s = now() - t0;
    size_t cap = 0;
    Event *buf = NULL;
    double dec_s = time_decode(&r, &buf, &cap);
    unsigned threads = trace_ahead_default_threads();
    double ahead_s = r.status == TRACE_OK && threads > 1 ? time_ahead(&r, threads) : -1;
    printf("read bench: %s, %llu events, %.1f MiB (%.2f bytes/event)\n", path,
           (unsigned long long)r.nevents, r.size / 1048576.0, (double)r.size / (r.nevents ? r.nevents : 1));
    printf("  open (walk chunks, check CRCs, load strings): %.1f million events/s\n",
           r.nevents / open_s / 1e6);
    printf("  decode every event:                           %.1f million events/s\n",
           r.nevents / dec_s / 1e6);
    if (ahead_s > 0)
        printf("  decode with %u threads (trace_ahead):          %.1f million events/s\n",
               threads, r.nevents / ahead_s / 1e6);
    free(buf);
    int rc = r.status == TRACE_OK ? EXIT_OK : cli_trace_error(path, r.message, false);
    trace_close(&r);
    return rc;
}

int cmd_bench(int argc, char **argv)
{
    const char *what = "trace", *file = NULL;
    uint64_t n = 10000000, passes = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--events") && i + 1 < argc) {
            if (!cli_parse_u64(argv[++i], 1000000000, &n) || n == 0)
                return cli_bad_arg("bench", "--events: want 1 to 1000000000, got '%s'", argv[i]);
        } else if (!strcmp(argv[i], "--passes") && i + 1 < argc) {
            if (!cli_parse_u64(argv[++i], 100, &passes) || passes == 0)
                return cli_bad_arg("bench", "--passes: want 1 to 100, got '%s'", argv[i]);
        } else if (argv[i][0] == '-')
            return cli_stray("bench", argv[i], "--events --passes");
        else if ((!strcmp(what, "viewer") || !strcmp(what, "read")) && !file)
            file = argv[i]; /* bench viewer [FILE], bench read FILE */
        else
            what = argv[i];
    }
    if (!strcmp(what, "viewer"))
        return bench_viewer(file, n);
    if (!strcmp(what, "read"))
        return file ? bench_read(file) : cli_bad_arg("bench", "read needs a trace FILE");
    if (!strcmp(what, "trace"))
        return bench_trace(n, (int)passes);
    if (!strcmp(what, "machine"))
        return bench_machine(n);
    if (!strcmp(what, "syncmap"))
        return bench_syncmap();
    return cli_error("no benchmark '%s' (have: trace, read, machine, viewer, syncmap)", what);
}
