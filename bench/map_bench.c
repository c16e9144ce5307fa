/*
 * map_bench.c — the map model's speed on Go's own benchmark shape: insert
 * 1 million int64 keys into make(map[int64]int64) (no hint, so it grows
 * 17 times), then look every one up.  bench/map_bench_go does the same in
 * Go 1.19; bench/run_map_bench.sh builds both and prints the ratios.
 *
 * usage: map_bench MODE [N]
 *   off   recording compiled out (build with -DGMV_NO_TRACE) or simply off
 *   null  recording every event into a null sink (encode, count, discard)
 *   full  recording to a file, with cache simulation (2 cores, MESI)
 * Prints one line: mode, N, ns per insert, ns per lookup, ns per op, events.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "map.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Keys in a scrambled order, as a hash map sees real keys. */
static int64_t key_of(int64_t i)
{
    return (int64_t)((uint64_t)i * 0x9e3779b97f4a7c15ull >> 1);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "off";
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    const char *path = getenv("MAP_BENCH_TRACE") ? getenv("MAP_BENCH_TRACE")
                                                   : "/tmp/map_bench.gmvt";
    Tracer tr, *t = NULL;
    MachineConfig cfg = machine_config_default();
    if (!strcmp(mode, "null") || !strcmp(mode, "full")) {
        bool full = !strcmp(mode, "full");
        TraceParams tp = trace_params_default();
        tp.flags = full ? TRACE_FLAG_CACHE : 0;
        if (tracer_open(&tr, full ? path : NULL, &tp) != 0) {
            perror(path);
            return 1;
        }
        t = &tr;
        cfg.cache = full;
    } else if (strcmp(mode, "off") != 0 || n <= 0) {
        fprintf(stderr, "usage: map_bench off|null|full [N]\n");
        return 2;
    }
    Machine m;
    machine_init(&m, t, &cfg);
    MapType mt;
    maptype_init(&mt, &GOTYPE_INT64, &GOTYPE_INT64);
    Map *h = map_make(&m, &mt, 0, (MakeSite){true, true, "m"});
    if (!getenv("MAP_BENCH_NOLABEL"))
        h->label = map_label_i64;
    double t0 = now();
    for (long i = 0; i < n; i++)
        map_assign_i64(&m, h, key_of(i), i);
    double t1 = now();
    long found = 0;
    for (long i = 0; i < n; i++)
        found += map_get_i64(&m, h, key_of(i), NULL);
    double t2 = now();
    uint64_t events = t ? t->nevents : 0;
    if (found != n || map_len(&m, h) != (uint64_t)n) {
        fprintf(stderr, "map_bench: found %ld of %ld keys\n", found, n);
        return 1;
    }
    map_free(h);
    machine_free(&m);
    if (t && tracer_close(t) != 0) {
        perror("trace");
        return 1;
    }
    printf("%s n=%ld insert=%.1f ns/op lookup=%.1f ns/op all=%.1f ns/op events=%llu\n",
           mode, n, (t1 - t0) * 1e9 / n, (t2 - t1) * 1e9 / n, (t2 - t0) * 1e9 / (2.0 * n),
           (unsigned long long)events);
    return 0;
}
