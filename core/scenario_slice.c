/*
 * scenario_slice.c — "slice-growth": where make puts an array (frame or
 * heap, and why), append one element at a time across several size
 * classes while the old arrays become garbage, a bulk append, a GC cycle,
 * and an index out of range.
 */
#include "scenario.h"
#include "slice.h"

static const GoType INT64 = {8, 8, false, "int64"};
static const GoType BYTE = {1, 1, false, "byte"};

static void makes(Machine *m)
{
    scenario_mark(m, "make([]int64, 8): constant size, does not escape: in the frame");
    MakeSite local = {false, true, "a"};
    slice_make(m, &INT64, 8, 8, local);
    scenario_mark(m, "make([]int64, n): non-constant size: on the heap, however small");
    MakeSite var = {false, false, "b"};
    Slice b = slice_make(m, &INT64, 4, 4, var);
    scenario_mark(m, "make([]byte, 65537): constant but over 64 KiB: too large for stack");
    MakeSite big = {false, true, "c"};
    Slice c = slice_make(m, &BYTE, 65537, 65537, big);
    scenario_mark(m, "make([]int64, 16) returned to the caller: escapes");
    MakeSite esc = {true, true, "d"};
    Slice d = slice_make(m, &INT64, 16, 16, esc);
    slice_drop(m, b);
    slice_drop(m, c);
    slice_drop(m, d);
}

static Slice appends(Machine *m)
{
    scenario_mark(m, "var s []int64; s = append(s, x) 600 times: cap 1, 2, 4 ... 512, 848");
    uint64_t hdr = stack_local(machine_stack(m), "s", "[]int64", SLICE_HEADER_SIZE, 8);
    Slice s = slice_nil(&INT64, hdr);
    slice_store(m, s);
    for (int i = 0; i < 600; i++)
        s = slice_append(m, s, 1); /* each old array becomes garbage */
    scenario_mark(m, "s = append(s, t...) with 1000 more: needed > 2*cap, so cap = needed, rounded");
    MakeSite var = {false, false, "t"};
    Slice t = slice_make(m, &INT64, 1000, 1000, var);
    s = slice_append_slice(m, s, t);
    slice_drop(m, t);
    return s;
}

static int run(Machine *m)
{
    stack_push(machine_stack(m), "main.slices");
    makes(m);
    Slice s = appends(m);
    scenario_mark(m, "a GC cycle frees the outgrown arrays");
    heap_gc(&m->heap);
    scenario_mark(m, "s3 := s[:3]; s3[5] panics: index out of range [5] with length 3");
    Slice s3 = s;
    s3.len = 3;
    slice_index(m, s3, 2, true);
    SliceStatus st = slice_index(m, s3, 5, false);
    slice_drop(m, s);
    stack_pop(machine_stack(m));
    return st == SLICE_PANIC && heap_check(&m->heap) ? 0 : 1;
}

const Scenario scenario_slice_growth = {
    "slice-growth", "make on stack or heap, append across size classes, garbage, a panic",
    1, false, run,
};
