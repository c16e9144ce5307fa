/*
 * lesson07_false_sharing.c — Lesson 7: cache lines and false sharing.
 *
 * Two goroutines on two cores each increment their own counter.  The
 * counters are different variables, but they sit in one 64-byte line, and
 * MESI moves whole lines: every write by one core invalidates the other
 * core's copy.  Padding b onto its own line removes every invalidation.
 * run() is modelled as Go 1.19 compiles it: wg is moved to heap (Go puts
 * it right after c, in the counters' line) and each go func() allocates
 * its closure; the claims count the sharing on the counters' own lines.
 * The model's estimate is set beside a measurement on real hardware
 * (bench/false_sharing.c, docs/false-sharing-hw.md).
 */
#include <stdio.h>

#include "lesson.h"
#include "sched.h"

enum { N = 100 }; /* increments per goroutine */

static const char source[] =
    "type counters struct {\n"          /* 1 */
    "    a int64 // goroutine A, core 0\n"
    "    b int64 // goroutine B, core 1\n"
    "}\n"
    "\n"                                /* 5 */
    "type padded struct {\n"
    "    a int64\n"
    "    _ [56]byte // b starts 64 bytes after a\n"
    "    b int64\n"
    "}\n"                               /* 10 */
    "\n"
    "func run(c *counters) {\n"
    "    var wg sync.WaitGroup\n"
    "    wg.Add(2)\n"
    "    go func() { for i := 0; i < N; i++ { c.a++ }; wg.Done() }()\n" /* 15 */
    "    go func() { for i := 0; i < N; i++ { c.b++ }; wg.Done() }()\n"
    "    wg.Wait()\n"
    "}\n";

/* Every string a learner reads, in one table (a translation replaces it). */
enum { S_LAYOUT, S_FIRST, S_PINGPONG, S_VERDICT, S_PADDED, S_COMPARE, S_HARDWARE, S_NSTEPS };
static const LessonText steps[S_NSTEPS] = {
    {"Two counters, one cache line",
     "a and b are separate variables, 8 bytes apart. A cache moves memory in "
     "64-byte lines, so both counters travel together.", 1},
    {"Core 0 takes the line",
     "Goroutine A reads a (a miss: the line comes from memory) and writes it. "
     "Core 0 now holds the only copy, Modified.", 15},
    {"Ping-pong",
     "Each core writes only its own counter, yet every write needs the whole "
     "line in Modified state: the other core's copy is invalidated and the "
     "data crosses between the caches (a HITM).", 16},
    {"It is false sharing",
     "The writer's bytes and the victim's bytes never overlap: no data was "
     "really shared. The cost is the layout's, not the program's. (wg, moved "
     "to the heap, sits 16 bytes after c, in the same line: its Done calls "
     "write it too.)", 16},
    {"The padded layout",
     "Now 56 bytes of padding push b onto the next line. Each core keeps its "
     "own line in Modified state and hits in its cache. The invalidations "
     "left are not a's or b's: each goroutine's Done writes the WaitGroup, "
     "and main writes the new closures into the line a core read the old "
     "ones from.", 6},
    {"Estimated cost",
     "The cost model charges each access by its outcome: a hit is a few "
     "cycles, a transfer from another core's Modified line tens of cycles.", 12},
    {"And on real hardware",
     "bench/false_sharing.c runs the same loops with atomic adds on two real "
     "CPUs. On this project's 2-vCPU Xeon VM the padded version was 5.0-6.0x "
     "faster (docs/false-sharing-hw.md). The model points the same way; its "
     "size depends on how often the cores alternate.", 0},
};

static const LessonQuestion predict = {
    "Core 1 now writes b, a different variable. What happens to core 0's copy "
    "of the line?",
    "Nothing: core 0 never touches b\nIt is invalidated\nIt is updated in place",
    2,
    "MESI tracks whole lines. To write, core 1 must own the line, so core 0's "
    "copy is invalidated even though it only ever used a."};

/* One goroutine of run(): its counter, its closure {F, c, &wg}, and the
 * WaitGroup both share (statep at +0, semap at +8, as sync.WaitGroup lays
 * them out on amd64). */
typedef struct {
    uint64_t counter, closure, wg;
    int *running;      /* goroutines that have not called Done yet */
} Job;

/* wg.Done() is Add(-1) (waitgroup.go:53): an atomic add on the state; the
 * last one, with main waiting, checks the state, stores 0 and releases
 * main's semaphore. */
static void wg_done(Machine *m, const Job *j)
{
    touch_atomic(m, j->wg, 8);
    if (--*j->running > 0)
        return;
    touch_read(m, j->wg, 8);
    touch_write(m, j->wg, 8);
    touch_atomic(m, j->wg + 8, 4); /* runtime_Semrelease */
}

static void increment(Machine *m, void *arg)
{
    const Job *j = arg;
    touch_read(m, j->closure + 8, 16); /* the closure's c and &wg */
    for (int i = 0; i < N; i++) {
        touch_read(m, j->counter, 8);  /* c.a++ is a load ... */
        touch_write(m, j->counter, 8); /* ... and a store */
    }
    wg_done(m, j);
}

typedef struct {
    uint64_t inval_false, inval_true, hitm, cycles;
    uint64_t all_inval, wg_inval, closure_inval; /* race(): the machine's; on
                                                  * wg's line; on the closures' */
} Totals;

/* Copies invalidated, on every line, by every core's writes so far. */
static uint64_t all_invalidations(const Machine *m)
{
    uint64_t n = 0;
    for (unsigned k = 0; k < m->ncores; k++)
        n += cpu_core_stats(m->cpu, (int)k)->inval_sent;
    return n;
}

/* Invalidations suffered by the line holding addr so far. */
static uint64_t line_invalidations(const Machine *m, uint64_t addr)
{
    const LineStats *s = cpu_line_stats(m->cpu, addr / m->line_size * m->line_size);
    return s ? s->inval_false + s->inval_true : 0;
}

/* The sharing the lines of a and b suffered (each line once), and the
 * whole machine's estimated cycles. */
static Totals totals(const Machine *m, uint64_t a, uint64_t b)
{
    Totals t = {0, 0, 0, m->cycles, 0, 0, 0};
    uint64_t lines[2] = {a / m->line_size, b / m->line_size};
    for (int i = 0; i < (lines[1] == lines[0] ? 1 : 2); i++) {
        const LineStats *s = cpu_line_stats(m->cpu, lines[i] * m->line_size);
        if (!s)
            continue; /* never contended */
        t.inval_false += s->inval_false;
        t.inval_true += s->inval_true;
        t.hitm += s->hitm;
    }
    return t;
}

static Totals diff(Totals a, Totals b)
{
    return (Totals){b.inval_false - a.inval_false, b.inval_true - a.inval_true,
                    b.hitm - a.hitm, b.cycles - a.cycles, 0, 0, 0};
}

/* run(c) over counters at obj+0 and obj+stride, as Go 1.19 compiles it:
 * wg is moved to heap (the goroutines capture it), 16 pointer-free bytes,
 * and each go func() allocates its closure, 24 bytes.  Main adds 2, and
 * Wait finds the count above 0, so it adds itself as a waiter and sleeps
 * until the last Done; woken, it reads the state once more. */
static Totals race(Machine *m, uint64_t obj, uint64_t stride, uint64_t seed)
{
    Totals before = totals(m, obj, obj + stride);
    uint64_t all0 = all_invalidations(m);
    uint64_t wg = machine_alloc(m, 16, true, OBJ_OTHER, "sync.WaitGroup");
    uint64_t wg0 = line_invalidations(m, wg);
    machine_field(m, wg, 0, 8, "wg.state1");
    touch_atomic(m, wg, 8); /* wg.Add(2) */
    int running = 2;
    Job jobs[2] = {{obj, 0, wg, &running}, {obj + stride, 0, wg, &running}};
    uint64_t clos0[2];
    for (int g = 0; g < 2; g++) {
        jobs[g].closure = machine_alloc(m, 24, false, OBJ_OTHER,
                                        g ? "main.run.func2" : "main.run.func1");
        clos0[g] = line_invalidations(m, jobs[g].closure);
        touch_write(m, jobs[g].closure, 24);
    }
    touch_read(m, wg, 8);   /* wg.Wait(): the count is 2 ... */
    touch_atomic(m, wg, 8); /* ... so a waiter more, then sleep */
    Sched s;
    sched_init(&s, m, seed, 1);
    sched_go(&s, "main.run.func1", 0, true, increment, &jobs[0]);
    sched_go(&s, "main.run.func2", 1, true, increment, &jobs[1]);
    sched_run(&s);
    sched_free(&s);
    touch_read(m, wg, 8);
    Totals t = diff(before, totals(m, obj, obj + stride));
    t.all_inval = all_invalidations(m) - all0;
    t.wg_inval = line_invalidations(m, wg) - wg0;
    bool one_line = jobs[0].closure / m->line_size == jobs[1].closure / m->line_size;
    for (int g = 0; g < (one_line ? 1 : 2); g++) /* each line once */
        t.closure_inval += line_invalidations(m, jobs[g].closure) - clos0[g];
    return t;
}

static int run(LessonCtx *lc)
{
    Machine *m = lc->m;
    lesson_variant(lc, 0, "counters: a and b share a line");
    lesson_step(lc, &steps[S_LAYOUT]);
    uint64_t c = machine_alloc(m, 16, true, OBJ_OTHER, "main.counters");
    machine_field(m, c, 0, 8, "a");
    machine_field(m, c, 8, 8, "b");
    lesson_claim(lc, "a and b are in the same 64-byte line", c / 64 == (c + 8) / 64);

    lesson_step(lc, &steps[S_FIRST]);
    touch_read(m, c, 8);
    touch_write(m, c, 8);
    lesson_claim(lc, "core 0 holds the line Modified, core 1 not at all",
                 cpu_state(m->cpu, 0, c) == MESI_MODIFIED &&
                     cpu_state(m->cpu, 1, c) == MESI_INVALID);

    lesson_ask(lc, &predict);
    lesson_step(lc, &steps[S_PINGPONG]);
    Totals un = race(m, c, 8, 1);
    lesson_claim_range(lc, "the line crossed between the cores on most increments "
                       "(HITM transfers, out of 200 increments)", un.hitm, N, 2 * N);

    lesson_step(lc, &steps[S_VERDICT]);
    lesson_claim_eq(lc, "invalidations that were true sharing", un.inval_true, 0);
    lesson_claim_range(lc, "invalidations that were false sharing", un.inval_false, N, 2 * N);

    lesson_variant(lc, 1, "padded: b on its own line");
    lesson_step(lc, &steps[S_PADDED]);
    uint64_t p = machine_alloc(m, 72, true, OBJ_OTHER, "main.padded");
    machine_field(m, p, 0, 8, "a");
    machine_field(m, p, 64, 8, "b");
    Totals pad = race(m, p, 64, 1);
    lesson_claim_eq(lc, "invalidations of a's and b's lines with padding",
                    pad.inval_false + pad.inval_true, 0);
    lesson_claim_eq(lc, "HITM transfers of a's and b's lines with padding", pad.hitm, 0);
    lesson_claim_eq(lc, "invalidations on the WaitGroup's line: Done, from both cores",
                    pad.wg_inval, 2);
    lesson_claim_eq(lc, "invalidations in the padded run, all on the WaitGroup's and the "
                    "closures' lines", pad.all_inval, pad.wg_inval + pad.closure_inval);

    lesson_step(lc, &steps[S_COMPARE]);
    char buf[256];
    snprintf(buf, sizeof buf, "Estimated for all of run(), wg and closures included: "
             "%.1f cycles per increment shared, %.1f padded: %.1fx.",
             un.cycles / (2.0 * N), pad.cycles / (2.0 * N), (double)un.cycles / pad.cycles);
    lesson_say(lc, buf);
    lesson_claim_range(lc, "padding makes the estimate 3 to 12 times cheaper "
                       "(tenths of a time)", un.cycles * 10 / pad.cycles, 30, 120);

    lesson_step(lc, &steps[S_HARDWARE]);
    return 0;
}

const Lesson lesson07 = {
    7, "false-sharing", "Cache lines and false sharing", source, 2, true, run,
};
