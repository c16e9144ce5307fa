/*
 * viz_synth.h — a synthetic lesson trace for the viewer's tests: every pane
 * has something to show (source, stacks with a slice header, heap spans with
 * every object kind, garbage and a GC, a map that grows and evacuates, a
 * sync.Map that promotes, two cores false-sharing a line, claims, a question).
 *
 * It is written with the Tracer API only, as the model would, so the viewer
 * can be developed before the scenarios that emit these events exist.
 */
#ifndef GMV_VIZ_SYNTH_H
#define GMV_VIZ_SYNTH_H

#include <stdio.h>

#include "trace.h"

#define SYN_HEAP 0xc000000000ull
#define SYN_STACK0 0xc800000000ull
#define SYN_WIN 0x2000000ull

static const char synth_source[] =
    "package main\n"
    "\n"
    "import \"sync\"\n"
    "\n"
    "func main() {\n"
    "    s := make([]int, 0, 2)\n"
    "    s = append(s, 1, 2, 3)\n"
    "    m := make(map[int64]int64)\n"
    "    for i := int64(0); i < 12; i++ {\n"
    "        m[i] = i * i\n"
    "    }\n"
    "    var sm sync.Map\n"
    "    sm.Store(1, \"a\")\n"
    "    sm.Load(2)\n"
    "    go worker(&counters)\n"
    "}\n";

static inline uint32_t syn_s(Tracer *t, const char *s) { return tracer_str(t, s); }

static inline void syn_step(Tracer *t, unsigned k, const char *title, unsigned line,
                            const char *text)
{
    TRACE(t, STEP, k, syn_s(t, title));
    TRACE(t, SOURCE_LINE, line);
    TRACE(t, NARRATE, syn_s(t, text));
}

static inline void syn_access(Tracer *t, unsigned core, unsigned g, uint64_t addr,
                              unsigned size, unsigned write, unsigned outcome,
                              unsigned before, unsigned after)
{
    TRACE(t, ACCESS, core, g, addr, size, access_info(write, outcome, before, after));
}

static inline void syn_slices(Tracer *t)
{
    syn_step(t, 1, "a slice header lives in the frame", 6,
             "make([]int, 0, 2) escapes: the header is a local, the array is on the heap.");
    TRACE(t, LOCAL, 0, syn_s(t, "s"), syn_s(t, "[]int"), SYN_STACK0 + SYN_WIN - 0x20, 24);
    TRACE(t, SPAN_NEW, SYN_HEAP, 1, 2, 0, 512);
    TRACE(t, ALLOC, SYN_HEAP, 16, 16, 2, syn_s(t, "[2]int"), OBJ_ARRAY, SPACE_HEAP, 0);
    TRACE(t, SLICE_MAKE, SYN_STACK0 + SYN_WIN - 0x20, SYN_HEAP, 0, 2, 8,
          syn_s(t, "[]int"), 0, syn_s(t, "escapes"));
    syn_step(t, 2, "append grows the array", 7,
             "growslice doubles cap 2 to 4, copies the elements, and the old array becomes garbage.");
    TRACE(t, SPAN_NEW, SYN_HEAP + 0x2000, 1, 3, 0, 341);
    TRACE(t, ALLOC, SYN_HEAP + 0x2000, 32, 32, 3, syn_s(t, "[4]int"), OBJ_ARRAY, SPACE_HEAP, 0);
    TRACE(t, SLICE_COPY, SYN_HEAP + 0x2000, SYN_HEAP, 16);
    TRACE(t, SLICE_GROW, SYN_HEAP, SYN_HEAP + 0x2000, 2, 2, 4, 8);
    TRACE(t, GARBAGE, SYN_HEAP);
    TRACE(t, CLAIM, syn_s(t, "cap grows 2 -> 4 (doubling below 256)"), 1);
}

static inline void syn_map(Tracer *t)
{
    const uint64_t h = SYN_HEAP + 0x4000, b0 = SYN_HEAP + 0x6000, b1 = SYN_HEAP + 0x8000;
    const uint32_t bt = syn_s(t, "[2]bmap[int64]int64");
    syn_step(t, 3, "make(map[int64]int64): hmap and buckets", 8,
             "The hmap is 48 bytes; with B=1 there are two buckets of 8 slots (144 bytes each).");
    TRACE(t, SPAN_NEW, h, 1, 5, 0, 170);
    TRACE(t, ALLOC, h, 48, 48, 5, syn_s(t, "runtime.hmap"), OBJ_HMAP, SPACE_HEAP, 0);
    TRACE(t, MAP_NEW, h, 8, 8, 144, 1, syn_s(t, "map[int64]int64"));
    TRACE(t, SPAN_NEW, b0, 1, 19, 0, 28);
    TRACE(t, ALLOC, b0, 288, 288, 19, bt, OBJ_BUCKETS, SPACE_HEAP, 0);
    TRACE(t, MAP_BUCKETS, h, b0, 1, 2);
    char lab[32];
    for (unsigned i = 0; i < 12; i++) {
        unsigned bucket = (i * 7) % 2, slot = i / 2;
        snprintf(lab, sizeof lab, "%u:%u", i, i * i);
        if (i == 9) {
            syn_step(t, 4, "load factor 6.5 exceeded: the map grows", 9,
                     "B goes 1 -> 2; old buckets are evacuated incrementally to X or Y.");
            TRACE(t, SPAN_NEW, b1, 1, 25, 0, 17);
            TRACE(t, ALLOC, b1, 576, 576, 25, syn_s(t, "[4]bmap[int64]int64"), OBJ_BUCKETS, SPACE_HEAP, 0);
            TRACE(t, MAP_GROW_START, h, 1, 2, 0, b0, b1);
            TRACE(t, MAP_EVACUATE, h, 0, 3, 2);
            for (unsigned k = 0; k < 5; k++) {
                snprintf(lab, sizeof lab, "%u:%u", k * 2, k * k * 4);
                TRACE(t, MAP_SLOT_SET, h, b1 + (k & 1 ? 2 : 0) * 144, k / 2, 20 + k, syn_s(t, lab), 0, 0, 0);
            }
            snprintf(lab, sizeof lab, "%u:%u", i, i * i);
        }
        if (i < 9 && slot < 8)
            TRACE(t, MAP_SLOT_SET, h, b0 + bucket * 144, slot, 10 + i, syn_s(t, lab), 0, 0, 0);
        else
            TRACE(t, MAP_SLOT_SET, h, b1 + 144, i - 9, 30 + i, syn_s(t, lab), 0, 0, 0);
    }
    TRACE(t, ALLOC, SYN_HEAP + 0x2120, 144, 144, 11, syn_s(t, "bmap overflow"), OBJ_OVERFLOW, SPACE_HEAP, 0);
    TRACE(t, MAP_OVERFLOW, h, b1 + 144, SYN_HEAP + 0x2120);
    TRACE(t, MAP_SLOT_SET, h, SYN_HEAP + 0x2120, 0, 77, syn_s(t, "99:9801"), 0, 0, 0);
    TRACE(t, CLAIM, syn_s(t, "evacuation moves at most two old buckets per write"), 1);
}

static inline void syn_syncmap(Tracer *t)
{
    const uint64_t m = SYN_HEAP + 0x4030, ro = SYN_HEAP + 0x4060, rm = SYN_HEAP + 0x4090;
    const uint64_t dm = SYN_HEAP + 0x40c0, e1 = SYN_HEAP + 0x2020, e2 = SYN_HEAP + 0x2040;
    syn_step(t, 5, "sync.Map: Store goes to the dirty map", 13,
             "The first Store finds nothing in read, so it initialises dirty and marks read amended.");
    TRACE(t, SM_NEW, m);
    TRACE(t, ALLOC, ro, 48, 48, 5, syn_s(t, "sync.readOnly"), OBJ_READONLY, SPACE_HEAP, 0);
    TRACE(t, MAP_NEW, rm, 8, 16, 208, 0, syn_s(t, "map[any]*entry"));
    TRACE(t, SM_READ_STORE, m, ro, rm, 0);
    TRACE(t, MAP_NEW, dm, 8, 16, 208, 0, syn_s(t, "map[any]*entry"));
    TRACE(t, SM_DIRTY_INIT, m, dm, 0, 0);
    TRACE(t, ALLOC, e1, 8, 32, 3, syn_s(t, "sync.entry"), OBJ_ENTRY, SPACE_HEAP, 0);
    TRACE(t, ALLOC, e2, 8, 32, 3, syn_s(t, "sync.entry"), OBJ_ENTRY, SPACE_HEAP, 0);
    TRACE(t, SM_ENTRY, m, e1, 1, ENTRY_VALUE, SYN_HEAP + 0x8000);
    TRACE(t, SM_ENTRY, m, e2, 2, ENTRY_NIL, 0);
    TRACE(t, SM_READ_STORE, m, ro, rm, 1);
    TRACE(t, MAP_BUCKETS, dm, SYN_HEAP + 0x9000, 0, 1);
    TRACE(t, MAP_SLOT_SET, dm, SYN_HEAP + 0x9000, 0, 12, syn_s(t, "1"), 0, 0, 0);
    TRACE(t, MAP_SLOT_SET, dm, SYN_HEAP + 0x9000, 1, 13, syn_s(t, "2"), 0, 0, 0);
    TRACE(t, SPAN_NEW, SYN_HEAP + 0xa000, 1, 1, 1, 1024);
    TRACE(t, ALLOC, SYN_HEAP + 0xa000, 16, 16, 2, syn_s(t, "tiny block"), OBJ_TINY_BLOCK, SPACE_HEAP, 0);
    TRACE(t, ALLOC, SYN_HEAP + 0xa000, 8, 0, 2, syn_s(t, "int"), OBJ_BOXED, SPACE_TINY, 0);
    syn_step(t, 6, "misses reach len(dirty): promotion", 14,
             "Two Loads miss in read; misses == len(dirty), so dirty becomes the new read map.");
    TRACE(t, SM_MISS, m, 1, 2);
    TRACE(t, SM_MISS, m, 2, 2);
    TRACE(t, SM_PROMOTE, m, rm, dm);
    TRACE(t, SM_READ_STORE, m, ro, dm, 0);
    TRACE(t, SM_EXPUNGE, m, e2);
    TRACE(t, QUESTION, syn_s(t, "After the promotion, where does a Store of a new key go?"),
          syn_s(t, "read map|dirty map|both"), 2);
}

static inline void syn_cache(Tracer *t)
{
    const uint64_t ctr = SYN_HEAP + 0xc000;
    syn_step(t, 7, "two goroutines, one cache line: false sharing", 15,
             "Core 0 writes counters.a, core 1 writes counters.b: disjoint bytes, same line.");
    TRACE(t, COST_TABLE, 4, 200, 70, 40, 30, 20);
    TRACE(t, G_CREATE, 1, syn_s(t, "main.worker"), SYN_STACK0 + SYN_WIN, SYN_STACK0 + 2 * SYN_WIN);
    TRACE(t, FRAME_PUSH, 1, syn_s(t, "main.worker"), SYN_STACK0 + 2 * SYN_WIN);
    TRACE(t, LOCAL, 1, syn_s(t, "c"), syn_s(t, "*Counters"), SYN_STACK0 + 2 * SYN_WIN - 8, 8);
    TRACE(t, G_RUN, 1, 1);
    TRACE(t, SPAN_NEW, ctr, 1, 8, 0, 64);
    TRACE(t, ALLOC, ctr, 128, 128, 8, syn_s(t, "Counters"), OBJ_OTHER, SPACE_HEAP, 0);
    syn_access(t, 0, 0, ctr, 8, 1, OUTCOME_MISS_MEM, MESI_I, MESI_E);
    syn_access(t, 0, 0, ctr, 8, 1, OUTCOME_HIT, MESI_E, MESI_M);
    syn_access(t, 1, 1, ctr + 8, 8, 0, OUTCOME_HITM, MESI_I, MESI_S);
    TRACE(t, DOWNGRADE, 0, ctr, 1, 1);
    syn_access(t, 1, 1, ctr + 8, 8, 1, OUTCOME_UPGRADE, MESI_S, MESI_M);
    TRACE(t, INVALIDATE, 1, 0, ctr, 0xff00, 0xff, 1);
    syn_access(t, 0, 0, ctr + 64, 8, 0, OUTCOME_MISS_MEM, MESI_I, MESI_E);
    syn_access(t, 1, 1, ctr + 72, 8, 0, OUTCOME_MISS_CLEAN, MESI_I, MESI_S);
    syn_access(t, 0, 0, ctr, 8, 1, OUTCOME_HITM, MESI_I, MESI_M);
    TRACE(t, INVALIDATE, 0, 1, ctr, 0xff, 0xff00, 1);
    TRACE(t, CLAIM, syn_s(t, "padding the counters to 64 bytes removes the invalidations"), 0);
}

static inline void syn_gc(Tracer *t)
{
    syn_step(t, 8, "the GC frees the garbage", 16,
             "The old slice array is swept; its slot in the 16-byte span is free again.");
    TRACE(t, FREE, SYN_HEAP, 16);
    TRACE(t, GC, 1, 16);
    TRACE(t, FRAME_POP, 1, SYN_STACK0 + 2 * SYN_WIN);
    TRACE(t, G_EXIT, 1);
}

/* Write the synthetic lesson to an open tracer. */
/* n heap maps one after another, each with a bucket and key i (elem i),
 * each garbage before the next is made unless keep: more maps than the
 * World has records for. */
static inline void syn_many_maps(Tracer *t, int n, bool keep)
{
    uint32_t ty = syn_s(t, "map[int64]int64"), k = syn_s(t, "k");
    for (int i = 0; i < n; i++) {
        uint64_t h = SYN_HEAP + (uint64_t)i * 0x1000, b = h + 0x100;
        TRACE(t, ALLOC, h, 48, 48, 5, ty, OBJ_HMAP, SPACE_HEAP, 0);
        TRACE(t, MAP_NEW, h, 8, 8, 144, 0, ty);
        TRACE(t, MAP_BUCKETS, h, b, 0, 1);
        TRACE(t, MAP_SLOT_SET, h, b, 0, 9, k, SLOT_NUMS_KEY_ELEM, i, i);
        if (!keep)
            TRACE(t, GARBAGE, h);
    }
}

static inline void synth_lesson(Tracer *t)
{
    TRACE(t, LESSON_BEGIN, 99, syn_s(t, "Synthetic: every pane"), syn_s(t, synth_source));
    TRACE(t, G_CREATE, 0, syn_s(t, "main"), SYN_STACK0, SYN_STACK0 + SYN_WIN);
    TRACE(t, FRAME_PUSH, 0, syn_s(t, "main"), SYN_STACK0 + SYN_WIN);
    TRACE(t, G_RUN, 0, 0);
    syn_slices(t);
    syn_map(t);
    syn_syncmap(t);
    syn_cache(t);
    syn_gc(t);
}

/* Write it to path with caches on two cores; 0 on success. */
static inline int synth_write(const char *path)
{
    Tracer t;
    TraceParams p = trace_params_default();
    p.flags |= TRACE_FLAG_CACHE;
    if (tracer_open(&t, path, &p) != 0)
        return -1;
    synth_lesson(&t);
    return tracer_close(&t);
}

#endif
