/*
 * lesson01_slice_where.c — Lesson 1: where a slice lives.
 *
 * A slice is a 24-byte header {ptr, len, cap} plus a backing array.  The
 * header is a local; the array goes in the frame only if the compiler can
 * prove three things: the size is a constant, it is at most 64 KiB, and the
 * slice does not outlive the frame.  Each make in the Go source below takes
 * one of the four paths, and the lesson checks where the model put it.  The
 * article's "<= 32 bytes, stackSmallSize = 128" rule is checked and refuted.
 *
 * Invariant: every number the narration states is a claim on the model.
 */
#include "iface.h"
#include "lesson.h"
#include "slice.h"

static const char source[] =
    "func local(name string) {\n"          /* 1 */
    "    var v any = name         // boxed\n"
    "    a := make([]int64, 8)    // 64 B\n"
    "    b := make([]byte, 65536) // 64 KiB\n"
    "    keep = v; a[0], b[0] = 1, 1\n"      /* 5 */
    "}\n"
    "var keep any // a package variable\n"
    "func demo(k int) []int64 {\n"
    "    c := make([]byte, 65537) // +1\n"
    "    d := make([]int64, k)    // k == 4\n" /* 10 */
    "    e := make([]int64, 4)\n"
    "    c[0], d[0] = 1, 1\n"
    "    return e\n"
    "}\n";

enum {
    S_HEADER, S_ARRAY, S_64K, S_TOOBIG, S_NONCONST, S_ARTICLE, S_ESCAPES,
    S_GC, S_NSTEPS
};
static const LessonText steps[S_NSTEPS] = {
    {"A slice is three words",
     "a's header is a local in the frame: ptr, len, cap, 8 bytes each. The "
     "article says the header shrank to 16 bytes. Go 1.19: 24. 16 is a "
     "string header (ptr, len): boxing name made one.", 3},
    {"A small constant make stays in the frame",
     "make([]int64, 8) has a constant size and a never leaves local, so its "
     "64-byte array sits in the frame, below its header. No heap "
     "allocation.", 3},
    {"Up to 64 KiB still fits",
     "A constant-size make stays in the frame up to 64 KiB "
     "(ir.MaxImplicitStackVarSize): b's 65536 bytes are in the frame too.", 4},
    {"One byte more: too large for stack",
     "local returned: its frame, a and b are gone, nothing to free. In demo, "
     "65537 bytes is over the limit: \"too large for stack\". A large heap "
     "object, rounded up to 8 KiB pages.", 9},
    {"Non-constant size: the heap, however small",
     "A frame's size is fixed at compile time, so an array whose length is "
     "known only at run time cannot be in it: \"non-constant size\". "
     "d is 32 bytes, and on the heap.", 10},
    {"The article's 32-byte rule, checked",
     "The article: slices of at most 32 bytes go on the stack, "
     "stackSmallSize = 128. Go 1.19: b (65536 B) was in the frame, d "
     "(32 B) is not. 128 is _StackSmall, the stack-split slack.", 10},
    {"Escapes: the array outlives the frame",
     "e is returned, so its array must outlive demo: \"escapes\", heap. "
     "demo returns; c and d become garbage, e lives on in the caller's s.", 13},
    {"A GC cycle",
     "The collector frees the unreachable objects: c, d and the string box. "
     "e stays: s still holds it.", 13},
};

static const LessonQuestion predict = {
    "make([]int64, k), k == 4 (32 B): where is the array?",
    "In demo's frame: 32 bytes is small\nOn the heap: k is not a constant\n"
    "In the frame if k turns out small",
    2,
    "The compiler decides before the program runs. It cannot size the frame "
    "for an unknown k, so it calls makeslice: the heap."};

static const GoType INT64 = {8, 8, false, "int64"};
static const GoType BYTE = {1, 1, false, "byte"};

static bool on_stack(Slice s)
{
    return s.array >= STACK_REGION;
}

typedef struct {
    Slice a, b, c, d, e;
    Eface v;
} Locals;

static void header(LessonCtx *lc, Locals *l, BoxMem *bm)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_HEADER]);
    uint64_t vslot = stack_local(machine_stack(m), "v", "any", EFACE_SIZE, 8);
    l->v = iface_string(m, bm, "gopher");
    iface_store(m, bm, vslot, l->v);
    uint64_t sp = machine_stack(m)->sp;
    l->a = slice_make(m, &INT64, 8, 8, (MakeSite){false, true, "a"});
    lesson_claim_eq(lc, "a slice header takes 24 bytes of the frame", sp - l->a.hdr, 24);
    lesson_claim_eq(lc, "the string header boxed for v, bytes",
                    heap_object_size(&m->heap, l->v.data), 16);
}

static void frame_arrays(LessonCtx *lc, Locals *l)
{
    Machine *m = lc->m;
    uint64_t mallocs0 = m->heap.stats.mallocs;
    lesson_step(lc, &steps[S_ARRAY]);
    lesson_claim(lc, "a's 64-byte array is in the frame", on_stack(l->a));

    lesson_step(lc, &steps[S_64K]);
    l->b = slice_make(m, &BYTE, 65536, 65536, (MakeSite){false, true, "b"});
    lesson_claim(lc, "b's 65536-byte array is in the frame", on_stack(l->b));
    lesson_claim_eq(lc, "heap allocations for a and b", m->heap.stats.mallocs - mallocs0, 0);
}

static void heap_arrays(LessonCtx *lc, Locals *l)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_TOOBIG]);
    stack_pop(machine_stack(m));
    iface_drop(m, l->v);
    stack_push(machine_stack(m), "main.demo");
    l->c = slice_make(m, &BYTE, 65537, 65537, (MakeSite){false, true, "c"});
    lesson_claim(lc, "c's 65537-byte array is on the heap", slice_on_heap(l->c));
    lesson_claim_eq(lc, "c's heap object: 9 pages of 8 KiB",
                    heap_object_size(&m->heap, l->c.array), 9 * 8192);

    lesson_ask(lc, &predict);
    lesson_step(lc, &steps[S_NONCONST]);
    l->d = slice_make(m, &INT64, 4, 4, (MakeSite){false, false, "d"});
    lesson_claim(lc, "d's array is on the heap", slice_on_heap(l->d));
    lesson_claim_eq(lc, "d's heap object, bytes", heap_object_size(&m->heap, l->d.array), 32);
}

static void article(LessonCtx *lc, const Locals *l)
{
    lesson_step(lc, &steps[S_ARTICLE]);
    uint64_t bbytes = l->b.cap * l->b.et->size, dbytes = l->d.cap * l->d.et->size;
    lesson_claim(lc, "b: 65536 B (over 32), was in the frame",
                 bbytes == 65536 && on_stack(l->b));
    lesson_claim(lc, "d: 32 B (at most 32), on the heap",
                 dbytes == 32 && slice_on_heap(l->d));
}

/* e escapes; demo returns into main, which keeps e as s. */
static void escapes(LessonCtx *lc, Locals *l)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_ESCAPES]);
    l->e = slice_make(m, &INT64, 4, 4, (MakeSite){true, true, "e"});
    lesson_claim(lc, "e's array is on the heap", slice_on_heap(l->e));
    stack_pop(machine_stack(m));
    Slice s = l->e; /* s := demo(4): main's header now holds e's array */
    s.hdr = stack_local(machine_stack(m), "s", "slice header", SLICE_HEADER_SIZE, 8);
    slice_store(m, s);
    slice_drop(m, l->c);
    slice_drop(m, l->d);
    lesson_claim(lc, "e's array is still live after demo returns",
                 heap_object_state(&m->heap, l->e.array) == SLOT_LIVE);
}

static int run(LessonCtx *lc)
{
    Machine *m = lc->m;
    BoxMem bm;
    boxmem_init(&bm);
    Locals l;
    stack_push(machine_stack(m), "main.local");
    header(lc, &l, &bm);
    frame_arrays(lc, &l);
    heap_arrays(lc, &l);
    article(lc, &l);
    escapes(lc, &l);

    lesson_step(lc, &steps[S_GC]);
    uint64_t freed = heap_gc(&m->heap);
    lesson_claim_eq(lc, "objects the GC freed (c, d, the box)", freed, 3);
    lesson_claim(lc, "e survives the GC", heap_object_state(&m->heap, l.e.array) == SLOT_LIVE);
    boxmem_free(&bm);
    return heap_check(&m->heap) ? 0 : 1;
}

const Lesson lesson01 = {
    1, "slice-where", "Where a slice lives", source, 1, false, run,
};
