/*
 * false_sharing_model.c — the two-counter workload on the cache model.
 *
 * The workload of false_sharing.c, run on the simulated machine with the
 * default cost table through the public cache API only.  Two cores each
 * increment their own 8-byte counter n times: at offsets 0 and 8 of one line
 * (unpadded) or 0 and 64 (padded).  An increment is one locked RMW (atomic)
 * or a read then a write (volatile).
 *
 * The cache model prices each access but has no clock, so this program keeps
 * a small timeline to turn prices into the number the hardware benchmark
 * reports (wall time / n, both threads running at once):
 *   - each core runs its accesses back to back;
 *   - an access that needs the bus (anything but a hit) also waits until the
 *     line is free: the core holding it finishes its current access first;
 *   - every access keeps its line busy until it ends.
 * Padded, the two lines never meet and the cores run in parallel; unpadded,
 * the line serialises them.
 *
 * Real cores do not take strict turns: a core that owns the line often
 * completes a few increments before the other core's request is served.
 * So each layout is run with bursts of k increments per turn.
 *
 * Usage: false_sharing_model [increments per core (1000000)] [GHz (3.07)]
 */
#include <stdio.h>
#include <stdlib.h>

#include "cache.h"

#define BASE 0xc000010000ull

typedef struct {
    uint64_t core_clock[2];
    uint64_t line_free[2]; /* by line: BASE, BASE + 64 */
} Timeline;

typedef struct {
    double cycles_per_op;  /* wall cycles / increments per core */
    uint64_t hitm, inval_false, inval_true;
} ModelRun;

/* Place one access on the timeline. */
static void schedule(Timeline *t, int core, const AccessResult *r)
{
    size_t li = (size_t)((r->line - BASE) / 64);
    uint64_t start = t->core_clock[core];
    if (r->outcome != CACHE_HIT && t->line_free[li] > start)
        start = t->line_free[li];
    t->core_clock[core] = start + r->cycles;
    if (t->line_free[li] < t->core_clock[core])
        t->line_free[li] = t->core_clock[core];
}

static void increment(Cpu *cpu, Timeline *t, int core, uint64_t addr, bool atomic)
{
    AccessResult r;
    if (atomic) {
        cpu_access(cpu, core, addr, 8, ACC_ATOMIC, &r);
        schedule(t, core, &r);
        return;
    }
    cpu_access(cpu, core, addr, 8, ACC_READ, &r);
    schedule(t, core, &r);
    cpu_access(cpu, core, addr, 8, ACC_WRITE, &r);
    schedule(t, core, &r);
}

static ModelRun run(long n, uint64_t offset1, bool atomic, long burst)
{
    CacheConfig cfg = cache_config_default();
    Cpu cpu;
    if (!cpu_init(&cpu, &cfg)) {
        fprintf(stderr, "false_sharing_model: out of memory\n");
        exit(1);
    }
    Timeline t = {{0, 0}, {0, 0}};
    for (int core = 0; core < 2; core++) /* warm up: the cold misses are not the point */
        increment(&cpu, &t, core, BASE + (core ? offset1 : 0), atomic);
    t = (Timeline){{0, 0}, {0, 0}};
    for (long done = 0; done < n; done += burst)
        for (int core = 0; core < 2; core++)
            for (long k = 0; k < burst && done + k < n; k++)
                increment(&cpu, &t, core, BASE + (core ? offset1 : 0), atomic);

    uint64_t wall = t.core_clock[0] > t.core_clock[1] ? t.core_clock[0] : t.core_clock[1];
    ModelRun m = {(double)wall / (double)n, 0, 0, 0};
    const LineStats *s = cpu_line_stats(&cpu, BASE);
    if (s) {
        m.hitm = s->hitm;
        m.inval_false = s->inval_false;
        m.inval_true = s->inval_true;
    }
    cpu_free(&cpu);
    return m;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    double ghz = argc > 2 ? atof(argv[2]) : 3.07;
    if (n < 1 || ghz <= 0) {
        fprintf(stderr, "usage: false_sharing_model [increments >= 1] [GHz]\n");
        return 2;
    }
    const long bursts[] = {1, 2, 4, 16, 64};
    printf("model: wall cycles per increment per core (ns at %.2f GHz), %ld increments per core\n",
           ghz, n);
    printf("  %-8s %5s %18s %18s %9s  %s\n", "kind", "burst", "unpadded (0/8)", "padded (0/64)",
           "slowdown", "unpadded line: hitm, false/true invalidations");
    for (int atomic = 1; atomic >= 0; atomic--) {
        for (size_t b = 0; b < sizeof bursts / sizeof bursts[0]; b++) {
            ModelRun u = run(n, 8, atomic, bursts[b]);
            ModelRun p = run(n, 64, atomic, bursts[b]);
            printf("  %-8s %5ld %8.1f (%5.1f ns) %8.1f (%5.1f ns) %8.2fx  %llu, %llu/%llu\n",
                   atomic ? "atomic" : "volatile", bursts[b], u.cycles_per_op,
                   u.cycles_per_op / ghz, p.cycles_per_op, p.cycles_per_op / ghz,
                   u.cycles_per_op / p.cycles_per_op, (unsigned long long)u.hitm,
                   (unsigned long long)u.inval_false, (unsigned long long)u.inval_true);
        }
    }
    return 0;
}
