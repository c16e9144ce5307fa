/*
 * lesson03_escape.c — Lesson 3: escape analysis, beside the real compiler.
 *
 * The Go source is lessons/go/escape/escape.go, byte for byte.  Each step
 * runs one function of it on the model (frames, heap objects) and shows
 * the lines the real Go 1.19 compiler printed for it, captured with
 *
 *   cd lessons/go/escape && go build -gcflags=-m escape.go          GO_M
 *   cd lessons/go/escape && go build -gcflags='-m -l' escape.go     GO_ML
 *   cd lessons/go/escape && go build -gcflags='-m=2 -l' escape.go   GO_M2L
 *   go version: go version go1.19.8 linux/amd64
 *
 * so the lesson works where Go is not installed.  tests/test_lessons_go.sh
 * re-runs the compiler when Go 1.19 is present and checks that every
 * GO_M/GO_ML/GO_M2L line below is still printed, and that the source
 * matches escape.go.
 *
 * Invariant: each object the model puts on the heap is one the compiler
 * reports as escaping ("moved to heap", "escapes to heap"), and each
 * object the model keeps in a frame is one it does not report, or reports
 * as "does not escape"; the claims check the model's side.
 */
#include "lesson.h"
#include "slice.h"

/* A line the compiler printed, with the flags it was printed under. */
#define GO_M(line) line
#define GO_ML(line) line
#define GO_M2L(line) line

/* BEGIN escape.go */
static const char source[] =
    "package main\n"
    "\n"
    "// go build -gcflags=-m escape.go       (what the compiler decided)\n"
    "// go build -gcflags='-m -l' escape.go  (the same, inlining off)\n"
    "\n"
    "func newInt() *int {\n"
    "\tx := 42\n"
    "\treturn &x // x outlives newInt's frame\n"
    "}\n"
    "\n"
    "func counter() func() int {\n"
    "\tn := 0\n"
    "\treturn func() int { n++; return n }\n"
    "}\n"
    "\n"
    "func buffers(k int) byte {\n"
    "\ta := make([]byte, 65536) // 64 KiB\n"
    "\tb := make([]byte, 65537) // 64 KiB + 1\n"
    "\tc := make([]byte, k)     // size known only at run time\n"
    "\treturn a[0] + b[0] + c[0]\n"
    "}\n"
    "\n"
    "func main() {\n"
    "\tp := newInt() // inlined: x stays in main's frame\n"
    "\tprintln(*p)\n"
    "\tq := newInt() // inlined too, but q goes to a goroutine\n"
    "\tgo func() { println(*q) }()\n"
    "\tnext := counter()\n"
    "\tprintln(next(), buffers(8))\n"
    "}\n";
/* END escape.go */

enum {
    S_IDEA, S_ADDR, S_CLOSURE, S_BUFFERS, S_INLINE, S_INLINE2, S_ARTICLE,
    S_NSTEPS
};
static const LessonText steps[S_NSTEPS] = {
    {"Decided before the program runs",
     "Escape analysis is a compile-time proof: a value whose lifetime the "
     "compiler cannot bound by its frame goes on the heap. -gcflags=-m "
     "prints each decision. First, with inlining off (-l).", 4},
    {"Returning &x",
     "-m -l: " GO_ML("./escape.go:7:2: moved to heap: x") "\n"
     "newInt's frame dies at return but p keeps &x, so x is allocated on "
     "the heap. newInt's frame holds no x at all.", 7},
    {"A closure that outlives its frame",
     "-m -l: " GO_ML("./escape.go:12:2: moved to heap: n") ", "
     GO_ML("./escape.go:13:9: func literal escapes to heap") "\n"
     "The returned closure refers to n: both live on the heap.", 13},
    {"Too large, or not constant",
     "-m=2 -l: " GO_M2L("./escape.go:18:11:     from make([]byte, 65537) (too large for stack) at ./escape.go:18:11")
     "\n" GO_M2L("./escape.go:19:11:     from make([]byte, k) (non-constant size) at ./escape.go:19:11"),
     18},
    {"Inlining on: x stays in main",
     "-m: " GO_M("./escape.go:24:13: inlining call to newInt")
     ", and no \"moved to heap\" for line 24, but "
     GO_M("./escape.go:26:13: moved to heap: x") ": q is captured by "
     "the goroutine's closure.", 24},
    {"Inlining on: the closure stays too",
     "-m: " GO_M("./escape.go:28:17: inlining call to counter") ", "
     GO_M("./escape.go:28:17: func literal does not escape") "\n"
     "Inlined into main, next never leaves main: n and the closure sit in "
     "main's frame.", 28},
    {"The article's -l advice",
     "The article: use -l so inlining does not interfere. -l shows each "
     "function alone; the program Go builds is the inlined one, where "
     "newInt at line 24 and counter allocate nothing. Read both.", 24},
};

static const LessonQuestion predict = {
    "Inlining on: newInt's body is copied into main at line 24. Where is x?",
    "On the heap: moved to heap: x\nIn main's frame\nIn newInt's frame", 2,
    "After inlining, x is a local of main and p never leaves main: nothing "
    "outlives the frame, so x needs no heap."};

static const GoType BYTE = {1, 1, false, "byte"};

static bool in_heap(uint64_t a)
{
    return a >= HEAP_BASE && a < STACK_REGION;
}

/* Heap allocations of newInt (line 24) and counter (line 28). */
typedef struct {
    uint64_t newint, counter;
} Allocs;

/* Inlining off: newInt and counter return pointers to escaped values. */
static Allocs no_inline_calls(LessonCtx *lc)
{
    Machine *m = lc->m;
    Stack *st = machine_stack(m);
    Allocs a;
    uint64_t m0 = m->heap.stats.mallocs;
    lesson_step(lc, &steps[S_ADDR]);
    stack_push(st, "main.newInt");
    uint64_t x = machine_alloc(m, 8, true, OBJ_OTHER, "int (x)");
    touch_write(m, x, 8);
    stack_pop(st);
    touch_write(m, stack_local(st, "p", "*int", 8, 8), 8);
    lesson_claim(lc, "x is a heap object", in_heap(x));
    lesson_claim(lc, "x is live after newInt returns",
                 heap_object_state(&m->heap, x) == SLOT_LIVE);

    a.newint = m->heap.stats.mallocs - m0;

    lesson_step(lc, &steps[S_CLOSURE]);
    m0 = m->heap.stats.mallocs;
    stack_push(st, "main.counter");
    uint64_t n = machine_alloc(m, 8, true, OBJ_OTHER, "int (n)");
    uint64_t f = machine_alloc(m, 16, false, OBJ_OTHER, "closure {F, &n}");
    touch_write(m, f, 16);
    stack_pop(st);
    touch_write(m, stack_local(st, "next", "func() int", 8, 8), 8);
    lesson_claim(lc, "n and the closure are heap objects", in_heap(n) && in_heap(f));
    a.counter = m->heap.stats.mallocs - m0;
    return a;
}

static uint64_t buffers(LessonCtx *lc, Slice *b, Slice *c)
{
    Machine *m = lc->m;
    uint64_t m0 = m->heap.stats.mallocs;
    lesson_step(lc, &steps[S_BUFFERS]);
    stack_push(machine_stack(m), "main.buffers");
    Slice a = slice_make(m, &BYTE, 65536, 65536, (MakeSite){false, true, "a"});
    *b = slice_make(m, &BYTE, 65537, 65537, (MakeSite){false, true, "b"});
    *c = slice_make(m, &BYTE, 8, 8, (MakeSite){false, false, "c"});
    lesson_claim(lc, "a (65536 B) is in the frame", !slice_on_heap(a));
    lesson_claim(lc, "b (65537 B) and c (8 B) are on the heap",
                 slice_on_heap(*b) && slice_on_heap(*c));
    return m->heap.stats.mallocs - m0;
}

/* Inlining on: main as the compiler really builds it. */
static Allocs inlined_main(LessonCtx *lc, Slice b, Slice c)
{
    Machine *m = lc->m;
    Stack *st = machine_stack(m);
    Allocs a;
    uint64_t m0 = m->heap.stats.mallocs;
    lesson_ask(lc, &predict);
    lesson_step(lc, &steps[S_INLINE]);
    stack_pop(st); /* buffers */
    slice_drop(m, b);
    slice_drop(m, c);
    stack_pop(st);
    stack_push(st, "main.main (inlined)");
    uint64_t x1 = stack_local(st, "x", "int (line 24)", 8, 8);
    touch_write(m, x1, 8);
    a.newint = m->heap.stats.mallocs - m0;
    uint64_t x2 = machine_alloc(m, 8, true, OBJ_OTHER, "int (x, line 26)");
    uint64_t g = machine_alloc(m, 16, false, OBJ_OTHER, "closure {F, q}");
    touch_write(m, g, 16);
    lesson_claim(lc, "x of line 24 is in main's frame", !in_heap(x1));
    lesson_claim(lc, "x of line 26 is on the heap", in_heap(x2));

    lesson_step(lc, &steps[S_INLINE2]);
    uint64_t m1 = m->heap.stats.mallocs;
    touch_write(m, stack_local(st, "n", "int", 8, 8), 8);
    touch_write(m, stack_local(st, "next", "closure {F, &n}", 16, 8), 16);
    a.counter = m->heap.stats.mallocs - m1;
    lesson_claim(lc, "n and the closure are in main's frame", a.counter == 0);
    return a;
}

static int run(LessonCtx *lc)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_IDEA]);
    stack_push(machine_stack(m), "main.main (-l)");
    lesson_claim_eq(lc, "heap allocations before main runs", m->heap.stats.mallocs, 0);
    Allocs off = no_inline_calls(lc);
    Slice b, c;
    lesson_claim_eq(lc, "allocations in buffers (b and c)", buffers(lc, &b, &c), 2);
    Allocs on = inlined_main(lc, b, c);

    lesson_step(lc, &steps[S_ARTICLE]);
    lesson_claim_eq(lc, "allocations of p := newInt(), -l", off.newint, 1);
    lesson_claim_eq(lc, "... and inlined", on.newint, 0);
    lesson_claim_eq(lc, "allocations of next := counter(), -l", off.counter, 2);
    lesson_claim_eq(lc, "... and inlined", on.counter, 0);
    return heap_check(&m->heap) ? 0 : 1;
}

const Lesson lesson03 = {
    3, "escape", "Escape analysis, beside the compiler", source, 1, false, run,
};
