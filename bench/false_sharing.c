/*
 * false_sharing.c — the two-counter workload on the real machine.
 *
 * Two threads, pinned to CPUs 0 and 1, each increment their own 8-byte
 * counter N times.  Unpadded, the counters sit at offsets 0 and 8 of one
 * 64-byte line, so every increment must take the line from the other core;
 * padded (alignas(64)), each counter has a line of its own and the cores never
 * talk.  The ratio of the two times is the price of false sharing here.  A
 * third layout, 128 bytes apart, shows whether the adjacent-line prefetcher
 * (which fetches 128-byte pairs on Intel) adds anything at 64.
 *
 * Usage: false_sharing [iterations (5000000)] [reps (7)] [--volatile]
 *   default: atomic increments (LOCK XADD, like Go's atomic.AddInt64)
 *   --volatile: plain load + store through a volatile pointer (a racy
 *               counter++, like an unsynchronised Go int field)
 * Reports the median over reps of ns per increment per thread (both threads
 * run at once, so this is wall time / iterations), then one summary line.
 * Warns when a thread was descheduled for a noticeable part of a run.
 */
#define _GNU_SOURCE /* pthread_setaffinity_np, CPU_SET */

#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 101

typedef struct {
    alignas(64) _Atomic uint64_t a; /* offset 0 */
    _Atomic uint64_t b;             /* offset 8: same line */
} Unpadded;

typedef struct {
    alignas(64) _Atomic uint64_t a; /* offset 0 */
    alignas(64) _Atomic uint64_t b; /* offset 64: the next line */
} Padded64;

typedef struct {
    alignas(128) _Atomic uint64_t a; /* offset 0 */
    alignas(128) _Atomic uint64_t b; /* offset 128: the next line pair */
} Padded128;

static Unpadded unpadded;
static Padded64 padded64;
static Padded128 padded128;

typedef struct {
    _Atomic uint64_t *counter;
    long iters;
    int cpu;                /* -1: do not pin */
    bool use_volatile;
    pthread_barrier_t *start;
    double elapsed;         /* seconds, from the barrier to the last increment */
    double ran;             /* seconds this thread was on a CPU in that time */
} Worker;

static double clock_sec(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

static void *work(void *arg)
{
    Worker *w = arg;
    if (w->cpu >= 0)
        pin(w->cpu);
    pthread_barrier_wait(w->start);
    double t0 = clock_sec(CLOCK_MONOTONIC), c0 = clock_sec(CLOCK_THREAD_CPUTIME_ID);
    if (w->use_volatile) {
        /* Load and store, no lock: each store still needs the line in M. */
        volatile uint64_t *p = (volatile uint64_t *)w->counter;
        for (long i = 0; i < w->iters; i++)
            *p = *p + 1;
    } else {
        for (long i = 0; i < w->iters; i++)
            atomic_fetch_add_explicit(w->counter, 1, memory_order_relaxed);
    }
    w->elapsed = clock_sec(CLOCK_MONOTONIC) - t0;
    w->ran = clock_sec(CLOCK_THREAD_CPUTIME_ID) - c0;
    return NULL;
}

/* One run of both threads; returns ns per increment per thread, and in
 * *oncpu the smaller share of its run that a thread spent on a CPU.  False
 * sharing needs both threads at once: if another process takes a CPU, the
 * thread left alone runs uncontended and the slowdown looks smaller. */
static double run(_Atomic uint64_t *a, _Atomic uint64_t *b, long iters, bool pinned, bool vol,
                  double *oncpu)
{
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    atomic_store(a, 0);
    atomic_store(b, 0);
    Worker w[2] = {
        {a, iters, pinned ? 0 : -1, vol, &start, 0, 0},
        {b, iters, pinned ? 1 : -1, vol, &start, 0, 0},
    };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, work, &w[i]) != 0) {
            perror("false_sharing: pthread_create");
            exit(1);
        }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
    if (atomic_load(a) != (uint64_t)iters || atomic_load(b) != (uint64_t)iters) {
        fprintf(stderr, "false_sharing: counters wrong (%llu, %llu)\n",
                (unsigned long long)atomic_load(a), (unsigned long long)atomic_load(b));
        exit(1);
    }
    double slowest = w[0].elapsed > w[1].elapsed ? w[0].elapsed : w[1].elapsed;
    *oncpu = 1.0;
    for (int i = 0; i < 2; i++)
        if (w[i].ran / w[i].elapsed < *oncpu)
            *oncpu = w[i].ran / w[i].elapsed;
    return slowest * 1e9 / (double)iters;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Can we pin to CPUs 0 and 1?  Probe from a throwaway thread. */
static void *probe(void *arg)
{
    *(bool *)arg = pin(0) && pin(1);
    return NULL;
}

static bool can_pin(void)
{
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return false;
    bool ok = false;
    pthread_t t;
    if (pthread_create(&t, NULL, probe, &ok) != 0)
        return false;
    pthread_join(t, NULL);
    return ok;
}

int main(int argc, char **argv)
{
    long iters = 5000000;
    int reps = 7, nargs = 0;
    bool vol = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--volatile") == 0)
            vol = true;
        else if (nargs++ == 0)
            iters = atol(argv[i]);
        else
            reps = atoi(argv[i]);
    }
    if (iters <= 0 || reps <= 0 || reps > MAX_REPS) {
        fprintf(stderr, "usage: false_sharing [iterations] [reps 1..%d] [--volatile]\n", MAX_REPS);
        return 2;
    }
    bool pinned = can_pin();
    if (!pinned)
        fprintf(stderr, "false_sharing: cannot pin to CPUs 0 and 1; threads run unpinned\n");

    double un[MAX_REPS], p64[MAX_REPS], p128[MAX_REPS], oncpu[3 * MAX_REPS];
    for (int r = 0; r < reps; r++) { /* interleaved, so noise hits all three alike */
        un[r] = run(&unpadded.a, &unpadded.b, iters, pinned, vol, &oncpu[3 * r]);
        p64[r] = run(&padded64.a, &padded64.b, iters, pinned, vol, &oncpu[3 * r + 1]);
        p128[r] = run(&padded128.a, &padded128.b, iters, pinned, vol, &oncpu[3 * r + 2]);
    }
    double mu = median(un, reps), mp = median(p64, reps), mp128 = median(p128, reps);
    double on = median(oncpu, 3 * reps);
    if (on < 0.9)
        fprintf(stderr, "false_sharing: warning: in a typical run a thread was off its CPU "
                "%.0f%% of the time (busy machine?); the slowdown is understated\n",
                100 * (1 - on));
    printf("  %s increments; medians: offsets 0/8 %.2f ns, 0/64 %.2f ns, 0/128 %.2f ns "
           "(unpadded range %.2f-%.2f; threads on CPU %.0f%% of a run)\n",
           vol ? "volatile" : "atomic", mu, mp, mp128, un[0], un[reps - 1], 100 * on);
    printf("false_sharing: unpadded %.2f ns/op, padded %.2f ns/op, slowdown %.2fx "
           "(%ld iterations, %d reps, %ld CPUs%s, %s)\n",
           mu, mp, mu / mp, iters, reps, sysconf(_SC_NPROCESSORS_ONLN),
           pinned ? "" : " unpinned", vol ? "volatile" : "atomic");
    return 0;
}
