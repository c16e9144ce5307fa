/*
 * cache_bench.c — how many simulated accesses per second the cache model runs.
 *
 * A mixed workload, pre-generated so that only cpu_access is timed:
 *   80% private: each core walks its own 16 KiB (mostly hits)
 *   10% cold: anywhere in 8 MiB (misses, evictions, write-backs)
 *   10% shared: 32 lines every core reads and writes (HITM, upgrades,
 *       invalidations, false and true sharing, contention records)
 * and 70% reads, 25% writes, 5% atomics, sizes 1-8 bytes, never straddling.
 *
 * Usage: cache_bench [accesses (default 50000000)] [cores (default 2)]
 * Prints one summary line, then the outcome mix so the workload is visible.
 * Time is CPU time of the process (CLOCK_PROCESS_CPUTIME_ID).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cache.h"

#define TRACE_LEN (1u << 20) /* pre-generated accesses, replayed in a loop */

typedef struct {
    uint64_t addr;
    uint8_t core, size, flags;
} Op;

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static uint64_t pick_addr(uint64_t *seed, int core)
{
    const uint64_t base = 0xc000000000ull;
    uint64_t r = rng_next(seed) % 100;
    if (r < 80) /* private, 16 KiB per core */
        return base + (uint64_t)core * 0x100000 + rng_next(seed) % (16 * 1024);
    if (r < 90) /* cold */
        return base + 0x1000000 + rng_next(seed) % (8u << 20);
    return base + 0x2000000 + rng_next(seed) % (32 * 64); /* shared */
}

static void generate(Op *ops, int ncores)
{
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    for (uint32_t i = 0; i < TRACE_LEN; i++) {
        Op *op = &ops[i];
        op->core = (uint8_t)(rng_next(&seed) % (uint64_t)ncores);
        uint64_t a = pick_addr(&seed, op->core);
        uint32_t size = 1u << (rng_next(&seed) % 4); /* 1, 2, 4, 8: aligned */
        op->addr = a & ~(uint64_t)(size - 1);
        op->size = (uint8_t)size;
        uint64_t k = rng_next(&seed) % 100;
        op->flags = k < 70 ? ACC_READ : k < 95 ? ACC_WRITE : ACC_ATOMIC;
    }
}

/* CPU time of this process: on a shared machine, time other processes take
 * from us is not the model's. */
static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atoll(argv[1]) : 50000000LL;
    CacheConfig cfg = cache_config_default();
    if (argc > 2)
        cfg.ncores = atoi(argv[2]);
    const char *why = cache_config_check(&cfg);
    if (n <= 0 || why) {
        fprintf(stderr, "cache_bench: %s\n", why ? why : "accesses must be positive");
        return 2;
    }
    Op *ops = malloc(TRACE_LEN * sizeof *ops);
    Cpu cpu;
    if (!ops || !cpu_init(&cpu, &cfg)) {
        fprintf(stderr, "cache_bench: out of memory\n");
        return 1;
    }
    generate(ops, cfg.ncores);

    AccessResult r;
    uint64_t cycles = 0; /* consumed, so the loop cannot be optimised away */
    double t0 = now_sec();
    for (long long i = 0; i < n; i++) {
        const Op *op = &ops[i & (TRACE_LEN - 1)];
        cpu_access(&cpu, op->core, op->addr, op->size, op->flags, &r);
        cycles += r.cycles;
    }
    double dt = now_sec() - t0;

    printf("cache_bench: %.1f M accesses/s (%lld accesses in %.3f s of CPU time, %d cores, %u KiB %u-way, %u B lines)\n",
           (double)n / dt / 1e6, n, dt, cfg.ncores, cfg.cache_size / 1024, cfg.ways, cfg.line_size);
    uint64_t out[CACHE_NOUTCOMES] = {0}, inval = 0, fs = 0;
    for (int c = 0; c < cfg.ncores; c++) {
        const CoreStats *st = cpu_core_stats(&cpu, c);
        for (int o = 0; o < CACHE_NOUTCOMES; o++)
            out[o] += st->outcomes[o];
        inval += st->inval_sent;
        fs += st->false_sharing;
    }
    printf("  mix:");
    for (int o = 0; o < CACHE_NOUTCOMES; o++)
        printf(" %s %.1f%%", cache_outcome_name((CacheOutcome)o), 100.0 * (double)out[o] / (double)n);
    printf("; invalidations %.1f%% of accesses (%.0f%% false sharing); %.1f model cycles/access\n",
           100.0 * (double)inval / (double)n, inval ? 100.0 * (double)fs / (double)inval : 0.0,
           (double)cycles / (double)n);
    cpu_free(&cpu);
    free(ops);
    return 0;
}
