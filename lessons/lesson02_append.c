/*
 * lesson02_append.c — Lesson 2: append and growslice.
 *
 * append one int64 at a time to a nil slice: growslice doubles the
 * capacity below 256, then grows by (newcap + 3*256)/4 at a time, and
 * always rounds the array up to a malloc size class, which is why 512
 * grows to 848 and not 832.  Every outgrown array is garbage until a GC
 * cycle frees it.  A bulk append that needs more than twice the capacity
 * takes exactly what it needs, rounded up the same way.
 *
 * Invariant: the capacities and sizes the narration states are claims on
 * what slice_append (the model of runtime.growslice) produced.
 */
#include <stdio.h>

#include "lesson.h"
#include "sizeclass.h"
#include "slice.h"

static const char source[] =
    "var s []int64\n"                           /* 1 */
    "for i := 0; i < 600; i++ {\n"
    "    s = append(s, int64(i))\n"
    "}\n"
    "runtime.GC() // frees outgrown arrays\n"   /* 5 */
    "\n"
    "t := make([]int64, 1200)\n"
    "s = append(s, t...) // len 600 + 1200\n";  /* 8 */

enum {
    S_NIL, S_FIRST, S_DOUBLE, S_GENTLE, S_ROUND, S_GARBAGE, S_GC, S_BULK,
    S_NSTEPS
};
static const LessonText steps[S_NSTEPS] = {
    {"A nil slice",
     "var s []int64: a 24-byte header in the frame, ptr nil, len 0, cap 0. "
     "No array yet.", 1},
    {"The first append",
     "s is full (len == cap), so append calls growslice. It allocates a new "
     "array: for a nil []int64, room for exactly one element.", 3},
    {"Doubling below 256",
     "Each time s is full, growslice doubles cap and copies the elements "
     "over: 1, 2, 4, ... 256. Each old array is left behind.", 3},
    {"Gentler above 256",
     "From cap 256 on, growslice adds (newcap + 3*256)/4: 2x for small "
     "slices, sliding toward 1.25x for large ones. 256 + (256+768)/4 = 512.",
     3},
    {"Rounded up to a size class",
     "512 + (512+768)/4 = 832 elements = 6656 bytes. malloc only hands out "
     "fixed size classes: roundupsize(6656) = 6784. 6784 / 8 = 848.", 3},
    {"The old arrays are garbage",
     "600 appends made 11 arrays. Nothing points to the 10 outgrown ones, "
     "but they still hold 8 KiB until the collector runs.", 3},
    {"A GC cycle",
     "runtime.GC() frees every outgrown array. Only s's array (848 "
     "elements) is left.", 5},
    {"A bulk append",
     "600 + 1200 = 1800 is more than 2 x 848, so growslice takes exactly "
     "1800: 14400 bytes, rounded to the 16384-byte class: cap 2048. t, "
     "9600 bytes with a constant size, sits in the frame.", 8},
};

static const LessonQuestion predict = {
    "len(s) == cap(s) == 512. append one more: new cap?",
    "1024 (doubled)\n832 (512 + (512+768)/4)\n848",
    3,
    "832 int64s need 6656 bytes; the nearest size class is 6784 bytes, and "
    "growslice keeps the whole block: 6784 / 8 = 848."};

static const GoType INT64 = {8, 8, false, "int64"};

/* Append one element at a time until len == n; counts the growths. */
static Slice append_to(Machine *m, Slice s, uint64_t n, unsigned *grows)
{
    while (s.len < n) {
        uint64_t cap = s.cap;
        s = slice_append(m, s, 1);
        *grows += s.cap != cap;
    }
    return s;
}

static Slice grow_small(LessonCtx *lc, Slice s)
{
    Machine *m = lc->m;
    unsigned grows = 0;
    lesson_step(lc, &steps[S_FIRST]);
    s = slice_append(m, s, 1);
    lesson_claim_eq(lc, "cap after the first append", s.cap, 1);

    lesson_step(lc, &steps[S_DOUBLE]);
    s = append_to(m, s, 256, &grows);
    lesson_claim_eq(lc, "cap at len 256", s.cap, 256);
    lesson_claim_eq(lc, "growths from cap 1 to 256", grows, 8);

    lesson_step(lc, &steps[S_GENTLE]);
    s = slice_append(m, s, 1);
    lesson_claim_eq(lc, "cap after appending to 256", s.cap, 512);
    return s;
}

static Slice grow_large(LessonCtx *lc, Slice s)
{
    Machine *m = lc->m;
    unsigned grows = 0;
    s = append_to(m, s, 512, &grows);
    lesson_ask(lc, &predict);
    lesson_step(lc, &steps[S_ROUND]);
    s = slice_append(m, s, 1);
    lesson_claim_eq(lc, "roundupsize(832 * 8)", sizeclass_roundup(832 * 8), 6784);
    lesson_claim_eq(lc, "cap after appending to 512 int64s", s.cap, 848);
    lesson_claim_eq(lc, "bytes of s's new array",
                    heap_object_size(&m->heap, s.array), 6784);
    return append_to(m, s, 600, &grows);
}

static int run(LessonCtx *lc)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_NIL]);
    uint64_t hdr = stack_local(machine_stack(m), "s", "slice header", SLICE_HEADER_SIZE, 8);
    Slice s = slice_nil(&INT64, hdr);
    slice_store(m, s);
    lesson_claim_eq(lc, "heap allocations so far", m->heap.stats.mallocs, 0);

    s = grow_small(lc, s);
    s = grow_large(lc, s);

    lesson_step(lc, &steps[S_GARBAGE]);
    lesson_claim_eq(lc, "appends that allocated (cap 1, 2, ... 512, 848)",
                    m->heap.stats.mallocs, 11);
    lesson_claim_eq(lc, "heap bytes the outgrown arrays still hold",
                    m->heap.stats.live_bytes - heap_object_size(&m->heap, s.array), 8192);

    lesson_step(lc, &steps[S_GC]);
    uint64_t freed = heap_gc(&m->heap);
    lesson_claim_eq(lc, "arrays the GC freed", freed, 10);
    lesson_claim_eq(lc, "heap bytes still in use", m->heap.stats.live_bytes, 6784);

    lesson_step(lc, &steps[S_BULK]);
    Slice t = slice_make(m, &INT64, 1200, 1200, (MakeSite){false, true, "t"});
    s = slice_append_slice(m, s, t);
    lesson_claim(lc, "t's array is in the frame", !slice_on_heap(t));
    lesson_claim_eq(lc, "roundupsize(1800 * 8)", sizeclass_roundup(1800 * 8), 16384);
    lesson_claim_eq(lc, "cap after the bulk append", s.cap, 2048);
    return heap_check(&m->heap) ? 0 : 1;
}

const Lesson lesson02 = {
    2, "append", "append and growslice", source, 1, false, run,
};
