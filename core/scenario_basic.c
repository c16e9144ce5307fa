/*
 * scenario_basic.c — "basics": the address space on its own.  Stack frames
 * and locals, small objects in several size classes, the tiny allocator,
 * a large object in its own pages, a second goroutine allocating from its own
 * P's spans, garbage, a GC cycle that frees it, and a bump arena.
 */
#include "arena.h"
#include "scenario.h"

static void small_objects(Machine *m)
{
    scenario_mark(m, "small objects: one span per size class");
    static const struct { uint64_t size; ObjKind kind; const char *type; } objs[] = {
        {48, OBJ_HMAP, "runtime.hmap"},
        {144, OBJ_BUCKETS, "[1]bucket[int64]int64"},
        {24, OBJ_OTHER, "[]int header"},
        {33, OBJ_ARRAY, "[33]byte"},
        {1000, OBJ_ARRAY, "[125]int64"},
        {48, OBJ_HMAP, "runtime.hmap"},
    };
    for (unsigned i = 0; i < sizeof objs / sizeof objs[0]; i++)
        machine_alloc(m, objs[i].size, false, objs[i].kind, objs[i].type);
}

static void tiny_objects(Machine *m)
{
    scenario_mark(m, "tiny allocator: pointer-free objects < 16 B share a block");
    uint64_t a = machine_alloc(m, 8, true, OBJ_BOXED, "int64");
    machine_alloc(m, 4, true, OBJ_BOXED, "int32");
    machine_alloc(m, 1, true, OBJ_BOXED, "bool");
    machine_alloc(m, 12, true, OBJ_ARRAY, "[12]byte"); /* does not fit: new block */
    heap_garbage(&m->heap, a);
}

static void stack_frames(Machine *m)
{
    scenario_mark(m, "frames and locals on the goroutine stack");
    Stack *s = machine_stack(m);
    stack_local(s, "n", "int", 8, 8);
    stack_push(s, "main.fill");
    uint64_t hdr = stack_local(s, "buf", "[]byte", 24, 8);
    uint64_t arr = stack_local(s, "buf.array", "[64]byte", 64, 8);
    touch_write(m, hdr, 24);
    touch_write(m, arr, 64);
    stack_pop(s);
}

static void large_and_garbage(Machine *m)
{
    scenario_mark(m, "a large object (> 32 KiB) gets its own pages");
    uint64_t big = machine_alloc(m, 40000, true, OBJ_ARRAY, "[40000]byte");
    uint64_t old = machine_alloc(m, 512, false, OBJ_ARRAY, "[64]*int");
    scenario_mark(m, "dropped objects are garbage until the GC runs");
    heap_garbage(&m->heap, big);
    heap_garbage(&m->heap, old);
    heap_gc(&m->heap);
    machine_alloc(m, 512, false, OBJ_ARRAY, "[64]*int"); /* reuses the slot */
}

static void second_goroutine(Machine *m)
{
    scenario_mark(m, "another goroutine on core 1 allocates from its own P's spans");
    unsigned g = machine_go(m, "main.worker", 1);
    machine_switch(m, g, 1);
    machine_alloc(m, 48, false, OBJ_HMAP, "runtime.hmap");
    machine_alloc(m, 8, true, OBJ_BOXED, "int64");
    machine_switch(m, 0, 0);
}

static void arena(Machine *m)
{
    scenario_mark(m, "an arena: bump allocation, freed in bulk");
    Arena a;
    arena_init(&a, &m->heap, 1, 64 * 1024);
    for (int i = 0; i < 4; i++)
        arena_alloc(&a, 144, 8, OBJ_BUCKETS, "bucket");
    arena_release(&a);
    heap_gc(&m->heap);
}

static int run(Machine *m)
{
    stack_frames(m);
    small_objects(m);
    tiny_objects(m);
    large_and_garbage(m);
    second_goroutine(m);
    arena(m);
    return heap_check(&m->heap) ? 0 : 1;
}

const Scenario scenario_basics = {
    "basics", "stacks, size classes, tiny and large objects, garbage, GC, arena",
    2, false, run,
};
