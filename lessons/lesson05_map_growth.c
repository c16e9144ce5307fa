/*
 * lesson05_map_growth.c — Lesson 5: how a Go 1.19 map grows.
 *
 * Load factor 6.5: an insert of a new key starts a growth when the count
 * would pass 6.5 per bucket (inserts 9, 14, 27, 53, 105 from empty).  The
 * growth is incremental: each assign or delete evacuates at most two old
 * buckets, splitting each into X (same index) and Y (index + old count);
 * lookups meanwhile read the old buckets and move nothing.  Insert/delete
 * churn piles up overflow buckets until noverflow >= 2^B starts a
 * same-size growth that packs them again.
 *
 * Invariant: every count the narration states is a claim on the map model
 * (core/map.h) after the operations it describes, and map_check holds
 * after each step.
 */
#include "lesson.h"
#include "map.h"

static const char source[] =
    "m = make(map[int64]int64) // m, c: package vars\n" /* 1 */
    "for k := int64(1); k <= 53; k++ {\n"
    "    m[k] = k // growth at 9, 14, 27, 53\n"
    "}\n"
    "_ = m[5]        // lookup\n"               /* 5 */
    "m[6] = 36       // update\n"
    "delete(m, 999)  // delete, key absent\n"
    "\n"
    "c = make(map[int64]int64, 100)\n"
    "for k := int64(100); ; k++ {\n"            /* 10 */
    "    delete(c, k-100) // churn\n"
    "    c[k] = k\n"
    "}\n";

enum {
    S_EIGHT, S_NINTH, S_STARTS, S_BIG, S_LOOKUP, S_XY, S_DELETE, S_DONE,
    S_CHURN, S_SAME, S_NSTEPS
};
static const LessonText steps[S_NSTEPS] = {
    {"Eight keys, one bucket",
     "m is a package variable, so it escapes: makemap_small makes only the "
     "hmap on the heap. The first insert "
     "allocates one bucket (B = 0); 8 keys fill it.", 3},
    {"The 9th insert grows the map",
     "A new key starts a growth when count+1 > 8 and > 6.5 per bucket. "
     "9 > 6.5 x 1: B becomes 1. The one old bucket is evacuated at once.", 3},
    {"6.5 per bucket",
     "13 keys fit 2 buckets (6.5 x 2); the 14th grows to B = 2. 26 fit "
     "4 buckets; the 27th grows to B = 3.", 3},
    {"Insert 53: growth in progress",
     "53 > 6.5 x 8: B 3 -> 4, 16 new buckets. The old 8 stay as "
     "oldbuckets. This insert evacuated at most 2 of them; the rest wait.", 3},
    {"Lookups read the old buckets",
     "m[5] checks whether its old bucket is evacuated yet; if not, it reads "
     "the old bucket. 53 lookups move nothing.", 5},
    {"Each write moves up to two: X and Y",
     "An update evacuates its key's old bucket and old bucket nevacuate. "
     "Old bucket i splits by one hash bit into new i (X) and i + 8 (Y).", 6},
    {"Deletes help too",
     "delete(m, 999) finds nothing, but still evacuates up to 2 old buckets "
     "first.", 7},
    {"Growth ends; the next one starts at 105",
     "A few more writes finish it: the old array is garbage and a GC frees "
     "it. Inserting on, 105 > 6.5 x 16 starts the next growth.", 3},
    {"Churn: overflow buckets pile up",
     "c: 100 keys, B = 4. Deleting old keys and inserting new ones leaves "
     "free slots in some buckets while others overflow. noverflow climbs.", 11},
    {"Same-size growth",
     "When noverflow >= 2^B (16) the map grows to the same B: evacuation "
     "packs the chains again and the old overflow buckets become garbage.",
     12},
};

static const LessonQuestion predict = {
    "B = 1: 2 buckets, 9 keys. Which insert starts the next growth?",
    "The 17th: both buckets full\nThe 14th\nThe 16th", 2,
    "Growth starts when count+1 > 6.5 per bucket: 13 keys fit 2 buckets, "
    "so the 14th insert grows the map to B = 2."};

/* Old buckets already evacuated (tophash[0] is evacuatedX/Y/Empty). */
static unsigned evacuated(const Map *h)
{
    if (!map_growing(h))
        return 0;
    uint64_t n = map_same_size_grow(h) ? 1ull << h->B : 1ull << (h->B - 1);
    unsigned done = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint8_t top = h->old.bytes[i * h->t->bucketsize];
        done += top > TOPHASH_EMPTY_ONE && top < TOPHASH_MIN;
    }
    return done;
}

/* Insert keys *k.. up to last; the insert numbers that started a growth
 * go to starts (at most n). */
static unsigned insert_to(Machine *m, Map *h, int64_t *k, int64_t last,
                          int64_t *starts, unsigned n)
{
    unsigned got = 0;
    for (; *k <= last; (*k)++) {
        uint64_t buckets = h->buckets;
        bool was = map_growing(h);
        map_assign_i64(m, h, *k, *k);
        if (!was && h->buckets != buckets && buckets && got < n)
            starts[got++] = (int64_t)h->count;
    }
    return got;
}

static void first_growths(LessonCtx *lc, Map *h, int64_t *k)
{
    Machine *m = lc->m;
    int64_t at[4] = {0};
    lesson_step(lc, &steps[S_EIGHT]);
    insert_to(m, h, k, 8, at, 4);
    lesson_claim(lc, "8 keys, B = 0", h->count == 8 && h->B == 0);

    lesson_step(lc, &steps[S_NINTH]);
    unsigned n = insert_to(m, h, k, 9, at, 4);
    lesson_claim_eq(lc, "the growth started at insert", n ? (uint64_t)at[0] : 0, 9);
    lesson_claim(lc, "B = 1, already done (one old bucket)", h->B == 1 && !map_growing(h));

    lesson_ask(lc, &predict);
    lesson_step(lc, &steps[S_STARTS]);
    n = insert_to(m, h, k, 52, at, 4);
    lesson_claim_eq(lc, "growths started in inserts 10-52", n, 2);
    lesson_claim_eq(lc, "first at insert", at[0], 14);
    lesson_claim_eq(lc, "second at insert", at[1], 27);
}

static void evacuation(LessonCtx *lc, Map *h, int64_t *k)
{
    Machine *m = lc->m;
    int64_t at[1] = {0};
    lesson_step(lc, &steps[S_BIG]);
    insert_to(m, h, k, 53, at, 1);
    unsigned e0 = evacuated(h);
    lesson_claim_eq(lc, "growth started at insert", at[0], 53);
    lesson_claim(lc, "B = 4, growing, 8 old buckets", h->B == 4 && map_growing(h));
    lesson_claim_range(lc, "old buckets evacuated so far", e0, 1, 2);

    lesson_step(lc, &steps[S_LOOKUP]);
    unsigned found = 0;
    for (int64_t j = 1; j <= 53; j++)
        found += map_get_i64(m, h, j, NULL);
    lesson_claim_eq(lc, "keys found", found, 53);
    lesson_claim_eq(lc, "old buckets the lookups evacuated", evacuated(h) - e0, 0);

    lesson_step(lc, &steps[S_XY]);
    map_assign_i64(m, h, 6, 36);
    unsigned e1 = evacuated(h);
    lesson_claim_range(lc, "old buckets the update evacuated", e1 - e0, 1, 2);

    lesson_step(lc, &steps[S_DELETE]);
    map_delete_i64(m, h, 999);
    lesson_claim_range(lc, "old buckets the delete evacuated", evacuated(h) - e1, 1, 2);
}

static void finish(LessonCtx *lc, Map *h, int64_t *k)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_DONE]);
    int64_t from = *k, at[1] = {0};
    uint64_t old = h->oldbuckets;
    while (map_growing(h))
        map_assign_i64(m, h, (*k)++, 0);
    lesson_claim_range(lc, "more inserts it took to finish", (uint64_t)(*k - from), 1, 4);
    lesson_claim_eq(lc, "the old array (8 x 144 B) was garbage, bytes",
                    heap_object_state(&m->heap, old) == SLOT_GARBAGE
                        ? heap_object_size(&m->heap, old) : 0, 1152);
    heap_gc(&m->heap);
    insert_to(m, h, k, 105, at, 1);
    lesson_claim_eq(lc, "next growth started at insert", at[0], 105);
}

static void churn(LessonCtx *lc, const MapType *t)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_CHURN]);
    Map *c = map_make(m, t, 100, (MakeSite){true, true, NULL});
    c->label = map_label_i64;
    lc->shown_map = c;
    int64_t k = 0;
    insert_to(m, c, &k, 99, NULL, 0);
    unsigned rounds = 0;
    while (c->noverflow < 16 && !map_growing(c) && rounds++ < 100000) {
        map_delete_i64(m, c, k - 100);
        map_assign_i64(m, c, k, k);
        k++;
    }
    lesson_claim(lc, "B is still 4, count still 100", c->B == 4 && c->count == 100);
    lesson_claim_eq(lc, "noverflow, now 2^B", c->noverflow, 16);

    lesson_step(lc, &steps[S_SAME]);
    map_delete_i64(m, c, k - 100);
    map_assign_i64(m, c, k, k); /* the next new key starts the growth */
    k++;
    lesson_claim(lc, "a same-size growth", map_same_size_grow(c) && c->B == 4);
    while (map_growing(c)) {
        map_delete_i64(m, c, k - 100);
        map_assign_i64(m, c, k, k);
        k++;
    }
    lesson_claim_range(lc, "noverflow after it", c->noverflow, 0, 15);
    lesson_claim(lc, "the map checks out", map_check(c));
    lc->shown_map = NULL;
    map_free(c);
}

static int run(LessonCtx *lc)
{
    Machine *m = lc->m;
    MapType t;
    maptype_init(&t, &GOTYPE_INT64, &GOTYPE_INT64);
    Map *h = map_make(m, &t, 0, (MakeSite){true, true, "m"});
    h->label = map_label_i64;
    lc->shown_map = h;
    int64_t k = 1;
    first_growths(lc, h, &k);
    evacuation(lc, h, &k);
    finish(lc, h, &k);
    bool ok = map_check(h);
    lc->shown_map = NULL;
    map_free(h);
    churn(lc, &t);
    return ok && heap_check(&m->heap) ? 0 : 1;
}

const Lesson lesson05 = {
    5, "map-growth", "How a map grows", source, 1, false, run,
};
