/*
 * replay_traces.h — traces that exercise keyframes, for test_replay.c and
 * test_keyframes_file.c: a long random walk over every kind of event, and
 * inserts all over a big map (whose keyframes are element deltas).
 */
#ifndef GMV_REPLAY_TRACES_H
#define GMV_REPLAY_TRACES_H

#include "testutil.h"
#include "viz_synth.h"

/* A long mixed trace: the synthetic lesson, then a random walk of events. */
static inline void mixed(MemTrace *mt, unsigned n)
{
    TraceParams p = trace_params_default();
    memtrace_open(mt, &p);
    Tracer *t = &mt->tr;
    synth_lesson(t);
    uint64_t seed = 12345, addr = 0xc000100000ull;
    uint32_t ty = tracer_str(t, "T");
    for (unsigned i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned pick = (unsigned)(seed >> 33) % 10;
        uint64_t a = addr + ((seed >> 40) % 64) * 48;
        if (pick < 3)
            TRACE(t, ALLOC, a, 48, 48, 5, ty, OBJ_HMAP, SPACE_HEAP, 0);
        else if (pick < 4)
            TRACE(t, GARBAGE, a);
        else if (pick < 5)
            TRACE(t, FREE, a, 48);
        else if (pick < 8)
            TRACE(t, ACCESS, (seed >> 20) & 1, 0, a, 8,
                  access_info((seed >> 21) & 1, OUTCOME_MISS_MEM, MESI_I, MESI_E + ((seed >> 22) & 1)));
        else if (pick < 9)
            TRACE(t, INVALIDATE, 0, 1, a & ~63ull, 0xff, 0xff00, 1);
        else
            TRACE(t, MARK, tracer_str(t, "m"));
    }
    memtrace_close(mt);
}

/* Inserts all over a map of 1024 buckets, a growth that evacuates them,
 * frames pushed and popped: keyframes hold the words that changed (deltas
 * on a chain, world_delta.c), not every bucket page each time, and every
 * position still comes out exact. */
static inline void random_buckets(MemTrace *mt, unsigned n)
{
    TraceParams p = trace_params_default();
    memtrace_open(mt, &p);
    Tracer *t = &mt->tr;
    const uint64_t h = 0xc000010000ull, b0 = 0xc000100000ull, b1 = 0xc000200000ull;
    uint32_t lab = tracer_str(t, "k"), fn = tracer_str(t, "main.f");
    TRACE(t, MAP_NEW, h, 8, 8, 144, 10, tracer_str(t, "map[int64]int64"));
    TRACE(t, MAP_BUCKETS, h, b0, 10, 1024);
    TRACE(t, G_CREATE, 1, 0, 0xc800000000ull, 0xc800002000ull);
    uint64_t seed = 5, grow = n / 4, end = grow + 1024;
    for (unsigned i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t r = seed >> 16;
        bool old = i < grow;
        if (i == grow)
            TRACE(t, MAP_GROW_START, h, 10, 11, 0, b0, b1);
        if (i >= grow && i < end)
            TRACE(t, MAP_EVACUATE, h, i - grow, 1, r & 1);
        if (i == end) /* the old array goes: the records after it move down */
            TRACE(t, MAP_GROW_END, h);
        if (i > end && i % 97 == 0) { /* a small map grows: two records move */
            uint64_t h2 = 0xc000400000ull + i * 0x1000, b2 = h2 + 0x100, b3 = h2 + 0x400;
            TRACE(t, MAP_NEW, h2, 8, 8, 144, 0, lab);
            TRACE(t, MAP_BUCKETS, h2, b2, 0, 1);
            TRACE(t, MAP_SLOT_SET, h2, b2, 0, 9, lab, SLOT_NUMS_KEY_ELEM, 1, 1);
            TRACE(t, MAP_GROW_START, h2, 0, 1, 0, b2, b3);
            TRACE(t, MAP_SLOT_SET, h2, b3, 0, 9, lab, SLOT_NUMS_KEY_ELEM, 1, 1);
            TRACE(t, MAP_SLOT_SET, h2, b3 + 144, 1, 9, lab, SLOT_NUMS_KEY_ELEM, 2, 2);
            TRACE(t, MAP_EVACUATE, h2, 0, 1, 1);
            TRACE(t, MAP_GROW_END, h2);
        }
        if (i > end && i % 97 == 5) { /* ... and is found at its new place */
            uint64_t h2 = 0xc000400000ull + (i - 5) * 0x1000, b3 = h2 + 0x400;
            TRACE(t, MAP_SLOT_SET, h2, b3 + 144, 2, 9, lab, SLOT_NUMS_KEY_ELEM, 3, 3);
        }
        if (i > end && i % 97 == 9) { /* then gets a new array: its records go */
            uint64_t h2 = 0xc000400000ull + (i - 9) * 0x1000;
            TRACE(t, MAP_BUCKETS, h2, h2 + 0x800, 0, 1);
            TRACE(t, MAP_SLOT_SET, h2, h2 + 0x800, 0, 9, lab, SLOT_NUMS_KEY_ELEM, 4, 4);
        }
        if (r % 16 == 0)
            TRACE(t, FRAME_PUSH, 1, fn, 0xc800001f00ull - (i % 8) * 64);
        else if (r % 16 == 1)
            TRACE(t, FRAME_POP, 1, 0xc800001f00ull - (i % 8) * 64);
        else
            TRACE(t, MAP_SLOT_SET, h, (old ? b0 : b1) + (r >> 8) % (old ? 1024 : 2048) * 144,
                  (r >> 20) % 8, 5 + (r >> 24) % 200, lab, SLOT_NUMS_KEY_ELEM, (int64_t)(r >> 30),
                  (int64_t)i);
    }
    memtrace_close(mt);
}

#endif
