/*
 * scenario_map.c — the map scenarios: "map-growth" (inserts crossing load
 * factor 6.5, evacuation spread over later writes, lookups reading the old
 * buckets meanwhile), "map-churn" (insert/delete churn piling up overflow
 * buckets until noverflow >= 2^B starts a same-size growth) and
 * "map-local" (a non-escaping map in the frame until its 9th insert).
 * Each checks the map after every step.
 */
#include "map.h"
#include "scenario.h"

static MapType t64;

static Map *new_map(Machine *m, MakeSite site)
{
    maptype_init(&t64, &GOTYPE_INT64, &GOTYPE_INT64);
    Map *h = map_make(m, &t64, 0, site);
    h->label = map_label_i64;
    return h;
}

static int map_growth(Machine *m)
{
    stack_push(machine_stack(m), "main.grow");
    scenario_mark(m, "m := make(map[int64]int64) escapes: makemap_small, hmap only");
    Map *h = new_map(m, (MakeSite){true, true, "m"});
    bool ok = true;
    int64_t k = 0;
    scenario_mark(m, "the first insert allocates one bucket; the 9th grows B 0 -> 1");
    for (; k < 52; k++)
        ok &= map_assign_i64(m, h, k, k * k) == MAP_OK && map_check(h);
    scenario_mark(m, "insert 53: 53 > 6.5 * 8 buckets: grow to B = 4, evacuate two old buckets");
    map_assign_i64(m, h, k, k * k);
    k++;
    ok &= map_growing(h) && map_check(h);
    while (map_growing(h)) {
        scenario_mark(m, "lookups read old buckets not yet evacuated; writes evacuate <= 2");
        for (int64_t j = 0; j < k; j += 7)
            ok &= map_get_i64(m, h, j, NULL);
        map_assign_i64(m, h, k, k * k);
        k++;
        ok &= map_check(h);
    }
    scenario_mark(m, "growth done: the old array is garbage");
    heap_gc(&m->heap);
    map_drop(h);
    stack_pop(machine_stack(m));
    return ok && heap_check(&m->heap) ? 0 : 1;
}

static int map_churn(Machine *m)
{
    stack_push(machine_stack(m), "main.churn");
    Map *h = new_map(m, (MakeSite){true, true, "m"});
    bool ok = true;
    int64_t next = 0;
    scenario_mark(m, "200 keys: B = 5, 32 buckets");
    for (; next < 200; next++)
        map_assign_i64(m, h, next, next);
    scenario_mark(m, "churn: delete the oldest key, insert a new one; overflow buckets pile up");
    int rounds = 0;
    while (!map_same_size_grow(h) && rounds++ < 100000) {
        map_delete_i64(m, h, next - 200);
        map_assign_i64(m, h, next, next);
        next++;
        ok &= map_check(h);
    }
    scenario_mark(m, "noverflow >= 2^B: same-size growth repacks the chains");
    ok &= map_same_size_grow(h);
    while (map_growing(h)) {
        map_delete_i64(m, h, next - 200);
        map_assign_i64(m, h, next, next);
        next++;
        ok &= map_check(h);
    }
    scenario_mark(m, "growth done: old array and its overflow buckets are garbage");
    heap_gc(&m->heap);
    map_drop(h);
    stack_pop(machine_stack(m));
    return ok && heap_check(&m->heap) ? 0 : 1;
}

static int map_local(Machine *m)
{
    stack_push(machine_stack(m), "main.count");
    scenario_mark(m, "m := make(map[int64]int64), not escaping: hmap and one bucket in the frame");
    Map *h = new_map(m, (MakeSite){false, true, "m"});
    uint64_t mallocs = m->heap.stats.mallocs;
    bool ok = true;
    for (int64_t k = 1; k <= 8; k++)
        ok &= map_assign_i64(m, h, k, k) == MAP_OK && map_check(h);
    scenario_mark(m, "8 entries, zero heap allocations");
    ok &= m->heap.stats.mallocs == mallocs;
    scenario_mark(m, "the 9th insert grows B 0 -> 1: the new array is on the heap, the hmap stays");
    map_assign_i64(m, h, 9, 9);
    ok &= map_check(h) && h->on_stack && m->heap.stats.mallocs == mallocs + 1;
    scenario_mark(m, "var n map[int64]int64; n[1] = 1 panics");
    ok &= map_assign_i64(m, NULL, 1, 1) == MAP_PANIC;
    map_drop(h);
    stack_pop(machine_stack(m));
    return ok && heap_check(&m->heap) ? 0 : 1;
}

const Scenario scenario_map_growth = {
    "map-growth", "map inserts crossing load factor 6.5, incremental evacuation",
    1, false, map_growth,
};
const Scenario scenario_map_churn = {
    "map-churn", "insert/delete churn until same-size growth",
    1, false, map_churn,
};
const Scenario scenario_map_local = {
    "map-local", "a non-escaping map in the frame until its 9th insert",
    1, false, map_local,
};
