/*
 * sched.c — coroutine goroutines and a seeded scheduler.
 *
 * Invariant: see sched.h.  Control only ever moves scheduler -> goroutine
 * -> scheduler (never goroutine to goroutine), so each switch is one
 * swapcontext and AddressSanitizer is told about every stack change.
 */
#include "sched.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define GMV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GMV_ASAN 1
#endif
#endif
#ifdef GMV_ASAN
#include <sanitizer/common_interface_defs.h>
#else
static inline void __sanitizer_start_switch_fiber(void **f, const void *b, size_t n)
{
    (void)f, (void)b, (void)n;
}
static inline void __sanitizer_finish_switch_fiber(void *f, const void **b, size_t *n)
{
    (void)f, (void)b, (void)n;
}
#endif

#define CORO_STACK (512u * 1024u)

static uint64_t next_rand(Sched *s)
{
    uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void sched_init(Sched *s, Machine *m, uint64_t seed, unsigned preempt_one_in)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->rng = seed;
    s->preempt_one_in = preempt_one_in ? preempt_one_in : 1;
    s->running = -1;
    m->sched = s;
}

void sched_free(Sched *s)
{
    for (unsigned g = 0; g < MACHINE_MAX_G; g++)
        free(s->co[g].stack);
    s->m->sched = NULL;
    memset(s, 0, sizeof *s);
}

/* Goroutine -> scheduler.  exiting: this stack will never run again. */
static void to_home(Sched *s, GoCoro *co, bool exiting)
{
    __sanitizer_start_switch_fiber(exiting ? NULL : &co->fake_stack,
                                   s->home_bottom, s->home_size);
    swapcontext(&co->ctx, &s->home);
    __sanitizer_finish_switch_fiber(co->fake_stack, &s->home_bottom, &s->home_size);
}

static void trampoline(unsigned hi, unsigned lo)
{
    Sched *s = (Sched *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    __sanitizer_finish_switch_fiber(NULL, &s->home_bottom, &s->home_size);
    GoCoro *co = &s->co[s->running];
    co->fn(s->m, co->arg);
    co->state = GS_DONE;
    TRACE(s->m->tr, G_EXIT, (unsigned)s->running);
    to_home(s, co, true);
    abort(); /* a finished goroutine is never resumed */
}

unsigned sched_go(Sched *s, const char *name, unsigned core, bool bound,
                  GoFunc fn, void *arg)
{
    unsigned g = machine_go(s->m, name, core);
    GoCoro *co = &s->co[g];
    co->stack = malloc(CORO_STACK);
    if (!co->stack || getcontext(&co->ctx) != 0)
        abort();
    co->ctx.uc_stack.ss_sp = co->stack;
    co->ctx.uc_stack.ss_size = CORO_STACK;
    co->ctx.uc_link = NULL;
    uintptr_t p = (uintptr_t)s;
    makecontext(&co->ctx, (void (*)(void))trampoline, 2, (unsigned)(p >> 32),
                (unsigned)(p & 0xffffffffu));
    co->fn = fn;
    co->arg = arg;
    co->state = GS_RUNNABLE;
    co->core = (int)core;
    co->bound = bound;
    return g;
}

/* Seeded choice among the runnable goroutines; -1 if there are none. */
static int pick(Sched *s)
{
    int ids[MACHINE_MAX_G], n = 0;
    for (int g = 0; g < MACHINE_MAX_G; g++)
        if (s->co[g].state == GS_RUNNABLE)
            ids[n++] = g;
    return n ? ids[next_rand(s) % (uint64_t)n] : -1;
}

int sched_run(Sched *s)
{
    unsigned main_g = s->m->cur_g, main_core = s->m->cur_core;
    for (;;) {
        int g = pick(s);
        if (g < 0)
            break;
        GoCoro *co = &s->co[g];
        machine_switch(s->m, (unsigned)g, (unsigned)co->core);
        s->running = g;
        s->switches++;
        __sanitizer_start_switch_fiber(&s->home_fake, co->stack, CORO_STACK);
        swapcontext(&s->home, &co->ctx);
        __sanitizer_finish_switch_fiber(s->home_fake, NULL, NULL);
        s->running = -1;
    }
    machine_switch(s->m, main_g, main_core);
    for (int g = 0; g < MACHINE_MAX_G; g++)
        if (s->co[g].state == GS_BLOCKED)
            return -1;
    return 0;
}

void sched_preempt(Machine *m)
{
    Sched *s = m->sched;
    if (s->running < 0 || next_rand(s) % s->preempt_one_in != 0)
        return;
    to_home(s, &s->co[s->running], false);
}

void sched_gosched(Machine *m)
{
    Sched *s = m->sched;
    if (s && s->running >= 0)
        to_home(s, &s->co[s->running], false);
}

void sched_block(Machine *m, uint64_t addr)
{
    Sched *s = m->sched;
    assert(s && s->running >= 0 && "blocking outside a goroutine would deadlock");
    GoCoro *co = &s->co[s->running];
    co->state = GS_BLOCKED;
    co->wait_on = addr;
    co->wait_seq = s->seq++;
    TRACE(m->tr, G_BLOCK, (unsigned)s->running, addr);
    to_home(s, co, false);
}

bool sched_wake_one(Machine *m, uint64_t addr)
{
    Sched *s = m->sched;
    if (!s)
        return false;
    int best = -1;
    for (int g = 0; g < MACHINE_MAX_G; g++) {
        const GoCoro *co = &s->co[g];
        if (co->state == GS_BLOCKED && co->wait_on == addr &&
            (best < 0 || co->wait_seq < s->co[best].wait_seq))
            best = g;
    }
    if (best < 0)
        return false;
    GoCoro *co = &s->co[best];
    co->state = GS_RUNNABLE;
    if (!co->bound) /* a woken goroutine runs on whichever P takes it */
        co->core = (int)(next_rand(s) % m->ncores);
    TRACE(m->tr, G_UNBLOCK, (unsigned)best);
    return true;
}
