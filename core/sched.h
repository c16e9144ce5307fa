/*
 * sched.h — goroutines on cores, interleaved deterministically at
 * memory-access granularity.
 *
 * Each goroutine is a coroutine on its own C stack (ucontext), so the model
 * code it runs — a map insert, a sync.Map Load — stays straight-line C, just
 * as the Go it translates.  Every simulated memory access is a preemption
 * point: machine_access calls sched_preempt, which, with a probability drawn
 * from a seeded generator, switches back to the scheduler; the scheduler
 * then picks the next runnable goroutine with the same generator.  The same
 * seed gives the same interleaving and the same trace.  (docs/scheduler.md
 * explains why coroutines rather than step functions or threads.)
 *
 * Invariants: at most one goroutine executes at a time; a blocked goroutine
 * is never picked; sched_run returns only when every goroutine has finished,
 * or reports a deadlock when all that remain are blocked.
 */
#ifndef GMV_SCHED_H
#define GMV_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

#include "machine.h"

typedef void (*GoFunc)(Machine *m, void *arg);

typedef enum { GS_NONE, GS_RUNNABLE, GS_BLOCKED, GS_DONE } GoState;

typedef struct {
    ucontext_t ctx;
    void *stack;
    GoFunc fn;
    void *arg;
    GoState state;
    int core;          /* the core it runs on */
    bool bound;        /* false: may move to another core after blocking */
    uint64_t wait_on;  /* address it is blocked on */
    uint64_t wait_seq; /* FIFO order among waiters */
    void *fake_stack;  /* AddressSanitizer's bookkeeping for this stack */
} GoCoro;

typedef struct Sched {
    Machine *m;
    uint64_t rng;
    unsigned preempt_one_in; /* at each access, switch with probability 1/N */
    GoCoro co[MACHINE_MAX_G];
    ucontext_t home;         /* the scheduler's own context */
    const void *home_bottom; /* its stack, for AddressSanitizer */
    size_t home_size;
    void *home_fake;
    int running;             /* goroutine executing, -1: the scheduler */
    uint64_t seq;
    uint64_t switches;
} Sched;

/* A scheduler for m; preemption at each access with probability
 * 1/preempt_one_in (1: every access is a possible switch point). */
void sched_init(Sched *s, Machine *m, uint64_t seed, unsigned preempt_one_in);
void sched_free(Sched *s);

/* `go fn(arg)`, on core (bound), or starting on core and free to migrate.
 * Returns the goroutine id. */
unsigned sched_go(Sched *s, const char *name, unsigned core, bool bound,
                  GoFunc fn, void *arg);
/* Run until every goroutine is done.  Returns 0, or -1 on deadlock. */
int sched_run(Sched *s);

/* Called by machine_access: maybe let another goroutine run. */
void sched_preempt(Machine *m);
/* Block the running goroutine on addr until sched_wake_one(addr). */
void sched_block(Machine *m, uint64_t addr);
/* Wake the goroutine that has waited longest on addr; false if none. */
bool sched_wake_one(Machine *m, uint64_t addr);
/* Let others run now (runtime.Gosched). */
void sched_gosched(Machine *m);

#endif
