/*
 * bench_mix.c — see bench_mix.h.  Moved from cmd_bench.c so that `bench
 * viewer` replays exactly the stream `bench trace` records.
 *
 * The stream is written once, as mix_body, and compiled twice: recording,
 * and generating only.  The second makes the same decisions, takes the same
 * branches and computes the same field values, then hands them to an empty
 * asm statement instead of the tracer, so that `bench trace` can subtract
 * exactly the generator's cost from the recording figures.
 */
#include "bench_mix.h"

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The values must exist in registers, on this path only: a volatile asm is
 * neither removed nor moved out of its branch.  Constants are left out: the
 * tracer folds them into its code, so they cost it nothing either. */
static inline __attribute__((always_inline)) void sink(const uint64_t *f, unsigned n)
{
#pragma GCC unroll 8
    for (unsigned i = 0; i < n; i++)
        if (!__builtin_constant_p(f[i]))
            __asm__ volatile("" : : "r"(f[i]));
}

#define EMIT(ID, ...)                                                          \
    do {                                                                       \
        if (record) {                                                          \
            TRACE(t, ID, __VA_ARGS__);                                         \
        } else {                                                               \
            const uint64_t f_[] = {__VA_ARGS__};                               \
            sink(f_, EVN_##ID);                                                \
        }                                                                      \
    } while (0)

static inline __attribute__((always_inline)) void
mix_body(Tracer *t, uint64_t n, int record)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull, addr = 0xc000010000ull;
    uint32_t type = record ? tracer_str(t, "runtime.bmap") : 1;
    uint32_t fn = record ? tracer_str(t, "main.work") : 2;
    (void)type, (void)fn; /* unused when recording is compiled out */
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = rng(&seed), pick = r % 100;
        addr += (int64_t)((r >> 8) % 512) - 200;
        if (pick < 80)
            EMIT(ACCESS, r >> 40 & 1, r >> 41 & 3, addr & ~7ull, 8,
                 access_info(r >> 20 & 1, OUTCOME_HIT, MESI_E, MESI_E));
        else if (pick < 88)
            EMIT(ALLOC, addr, 144, 144, 11, type, OBJ_BUCKETS, SPACE_HEAP, 0);
        else if (pick < 94)
            EMIT(MAP_SLOT_SET, 0xc000000000ull, addr & ~127ull, r >> 50 & 7, 5 + (r >> 32 & 127), 0,
                 SLOT_NUMS_KEY_ELEM, r >> 40 & 0xffff, r >> 24 & 0xffff);
        else if (pick < 97)
            EMIT(INVALIDATE, 0, 1, addr & ~63ull, 0xff, 0xff00, 1);
        else
            EMIT(FRAME_PUSH, 0, fn, 0xc800100000ull - (r & 0xff0));
    }
}

void bench_emit_mix(Tracer *t, uint64_t n)
{
    mix_body(t, n, 1);
}

void bench_generate_mix(uint64_t n)
{
    mix_body(NULL, n, 0);
}
