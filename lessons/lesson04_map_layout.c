/*
 * lesson04_map_layout.c — Lesson 4: what a Go 1.19 map is made of.
 *
 * A map is a 48-byte hmap and an array of 2^B buckets; a bucket holds 8
 * tophash bytes, 8 keys, 8 elems and an overflow pointer (144 bytes for
 * map[int64]int64).  A map that does not escape keeps its hmap and one
 * bucket in the frame, so the article's "a map is always on the heap" is
 * checked and refuted: 0 allocations for 8 inserts, one of 288 bytes at
 * the 9th.  Then an overflow bucket, and make(map, 100): B = 4 with
 * preallocated overflow buckets and a mapextra.
 *
 * Invariant: every size and count the narration states is a claim on the
 * map model (core/map.h) after the operation it describes.
 */
#include <assert.h>

#include "hash.h"
#include "lesson.h"
#include "map.h"

static const char source[] =
    "func count() int64 {\n"                      /* 1 */
    "    m := make(map[int64]int64) // local\n"
    "    for k := int64(1); k <= 9; k++ {\n"
    "        m[k] = k * k\n"
    "    }\n"                                     /* 5 */
    "    for _, k := range sameBucket {\n"
    "        m[k] = k // until it overflows\n"
    "    }\n"
    "    return m[3]\n"
    "}\n"                                         /* 10 */
    "\n"
    "func big() map[int64]int64 {\n"
    "    return make(map[int64]int64, 100)\n"
    "}\n";

enum {
    S_LOCAL, S_BUCKET, S_EIGHT, S_NINTH, S_OVERFLOW, S_RETURN, S_HINT,
    S_SWISS, S_NSTEPS
};
static const LessonText steps[S_NSTEPS] = {
    {"A local map lives in the frame",
     "m never leaves count, so the compiler puts its hmap (48 bytes: count, "
     "B, hash0, buckets, ...) and one bucket in count's frame.", 2},
    {"Inside a bucket",
     "8 tophash bytes, then 8 keys, then 8 elems, then a pointer to an "
     "overflow bucket: 8 + 64 + 64 + 8 = 144 bytes for map[int64]int64.", 4},
    {"Eight inserts, no heap",
     "Each key lands in the one bucket. Its tophash byte is the top 8 bits "
     "of its hash (raised by 5 if below 5: 0-4 mark empty and evacuated "
     "slots). Heap allocations: 0.", 4},
    {"The 9th insert",
     "The article says a map is always on the heap. Go 1.19: B grows 0 -> 1 "
     "and only the new 2-bucket array (288 B) is on the heap; the hmap stays "
     "in the frame.", 4},
    {"An overflow bucket",
     "The next key for a full bucket goes into an overflow bucket (144 B). "
     "These buckets hold no pointers for the GC to follow, so a mapextra "
     "(24 B) keeps a []*bmap (24 B + 8 B) of them: 200 B, 4 objects.", 7},
    {"count returns",
     "Its hmap and first bucket vanish with the frame. The heap bucket "
     "array, the overflow bucket and its bookkeeping are garbage, 488 B, "
     "for the next GC cycle.", 9},
    {"make(map, 100): a hint",
     "Smallest B for 100 at 6.5 per bucket: 4. makeBucketArray adds a spare: "
     "17 x 144 = 2448 B, rounded up to 2688 B: room for 18, the 16 buckets "
     "and 2 spare overflow buckets, and a mapextra.", 13},
    {NULL, "This is Go 1.19's map (to 1.23); Go 1.24 uses Swiss tables.", 0},
};

static const LessonQuestion predict = {
    "A 9th key goes into the local map. Heap allocations?",
    "None: the map is in the frame\nOne: a new bucket array\n"
    "Two: the hmap moves to the heap, and the buckets",
    2,
    "B grows from 0 to 1: a 2-bucket array on the heap. The hmap stays in "
    "the frame; only the buckets pointer changes."};

/* Count the tophash bytes of bucket i of the current array >= minTopHash. */
static unsigned full_tophash(const Map *h, uint64_t i)
{
    const uint8_t *b = h->cur.bytes + i * h->t->bucketsize;
    unsigned n = 0;
    for (unsigned j = 0; j < BUCKET_CNT; j++)
        n += b[j] >= TOPHASH_MIN;
    return n;
}

static void local_map(LessonCtx *lc, Map *h)
{
    Machine *m = lc->m;
    lesson_claim(lc, "hmap and a bucket in the frame", h->on_stack && h->stack_bucket);
    lesson_claim_eq(lc, "hmap bytes", HMAP_SIZE, 48);
    lesson_claim_eq(lc, "heap allocations", m->heap.stats.mallocs, 0);

    lesson_step(lc, &steps[S_BUCKET]);
    const MapType *t = h->t;
    lesson_claim(lc, "keys at 8, elems at 72, overflow pointer at 136",
                 t->keys_off == 8 && t->elems_off == 72 && t->overflow_off == 136);
    lesson_claim_eq(lc, "bucket bytes", t->bucketsize, 144);

    lesson_step(lc, &steps[S_EIGHT]);
    for (int64_t k = 1; k <= 8; k++)
        map_assign_i64(m, h, k, k * k);
    lesson_claim_eq(lc, "slots with a tophash >= 5", full_tophash(h, 0), 8);
    lesson_claim_eq(lc, "heap allocations after 8 inserts", m->heap.stats.mallocs, 0);
}

/* Insert keys whose hash picks the fuller bucket until it overflows. */
static int64_t overflow(LessonCtx *lc, Map *h)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_OVERFLOW]);
    uint64_t target = full_tophash(h, 1) > full_tophash(h, 0);
    uint64_t bytes0 = m->heap.stats.total_alloc, mallocs0 = m->heap.stats.mallocs;
    int64_t k = 100;
    while (h->noverflow == 0 && h->count < 13) {
        int64_t key = k++;
        if ((hash_bytes(&key, 8, h->hash0) & 1) == target)
            map_assign_i64(m, h, key, key);
    }
    lesson_claim_eq(lc, "overflow buckets (noverflow)", h->noverflow, 1);
    lesson_claim_eq(lc, "heap objects it took", m->heap.stats.mallocs - mallocs0, 4);
    lesson_claim_eq(lc, "heap bytes it took", m->heap.stats.total_alloc - bytes0, 200);
    assert(h->B == 1); /* no growth: count <= 13 = 6.5 x 2 buckets */
    return k;
}

static void hint(LessonCtx *lc, const MapType *t)
{
    Machine *m = lc->m;
    lesson_step(lc, &steps[S_HINT]);
    stack_push(machine_stack(m), "main.big");
    Map *b = map_make(m, t, 100, (MakeSite){true, true, NULL});
    b->label = map_label_i64;
    lc->shown_map = b;
    lesson_claim_eq(lc, "B for hint 100", b->B, 4);
    lesson_claim_eq(lc, "buckets allocated (16 + spare overflow)", b->cur_n, 18);
    lesson_claim(lc, "a 2688-byte array (17 x 144 = 2448, rounded up), a mapextra",
                 heap_object_size(&m->heap, b->buckets) == 2688 && b->extra != 0);
    stack_pop(machine_stack(m));
    lesson_say(lc, steps[S_SWISS].text);
    lc->shown_map = NULL;
    map_free(b); /* returned: still in use by the caller */
}

static int run(LessonCtx *lc)
{
    Machine *m = lc->m;
    MapType t;
    maptype_init(&t, &GOTYPE_INT64, &GOTYPE_INT64);
    stack_push(machine_stack(m), "main.count");
    lesson_step(lc, &steps[S_LOCAL]);
    Map *h = map_make(m, &t, 0, (MakeSite){false, true, "m"});
    h->label = map_label_i64;
    lc->shown_map = h;
    local_map(lc, h);

    lesson_ask(lc, &predict);
    lesson_step(lc, &steps[S_NINTH]);
    map_assign_i64(m, h, 9, 81);
    lesson_claim_eq(lc, "heap allocations", m->heap.stats.mallocs, 1);
    lesson_claim_eq(lc, "heap bytes", m->heap.stats.total_alloc, 288);
    lesson_claim(lc, "B = 1, hmap still in the frame", h->B == 1 && h->on_stack);

    overflow(lc, h);
    lesson_step(lc, &steps[S_RETURN]);
    map_get_i64(m, h, 3, NULL);
    lc->shown_map = NULL;
    map_drop(h);
    stack_pop(machine_stack(m));
    lesson_claim_eq(lc, "heap bytes left as garbage (288 + 200)",
                    m->heap.stats.live_bytes, 488);
    hint(lc, &t);
    return heap_check(&m->heap) ? 0 : 1;
}

const Lesson lesson04 = {
    4, "map-layout", "Inside a Go 1.19 map", source, 1, false, run,
};
