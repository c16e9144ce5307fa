/*
 * bench_mix.c — see bench_mix.h.  Moved from cmd_bench.c so that `bench
 * viewer` replays exactly the stream `bench trace` records.
 */
#include "bench_mix.h"

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

void bench_emit_mix(Tracer *t, uint64_t n)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull, addr = 0xc000010000ull;
    uint32_t type = tracer_str(t, "runtime.bmap"), fn = tracer_str(t, "main.work");
    (void)type, (void)fn; /* unused when recording is compiled out */
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = rng(&seed), pick = r % 100;
        addr += (int64_t)((r >> 8) % 512) - 200;
        if (pick < 80)
            TRACE(t, ACCESS, r >> 40 & 1, r >> 41 & 3, addr & ~7ull, 8,
                  access_info(r >> 20 & 1, OUTCOME_HIT, MESI_E, MESI_E));
        else if (pick < 88)
            TRACE(t, ALLOC, addr, 144, 144, 11, type, OBJ_BUCKETS, SPACE_HEAP, 0);
        else if (pick < 94)
            TRACE(t, MAP_SLOT_SET, 0xc000000000ull, addr & ~127ull, r >> 50 & 7, 5 + (r >> 32 & 127), 0,
                  SLOT_NUMS_KEY_ELEM, r >> 40 & 0xffff, r >> 24 & 0xffff);
        else if (pick < 97)
            TRACE(t, INVALIDATE, 0, 1, addr & ~63ull, 0xff, 0xff00, 1);
        else
            TRACE(t, FRAME_PUSH, 0, fn, 0xc800100000ull - (r & 0xff0));
    }
}
