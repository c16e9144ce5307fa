/*
 * lesson06_syncmap.c — Lesson 6: inside sync.Map (Go 1.19).
 *
 * One sync.Map goes through its life: new keys land in dirty, Loads that
 * miss read count misses, the miss that reaches len(dirty) promotes dirty
 * to read, a Delete of a read key leaves a nil entry, the next new key
 * copies read into a fresh dirty and expunges that entry, a Store to it
 * unexpunges it, and Range promotes at once.
 *
 * Invariant: every number the narration states is a claim on the model's
 * own state (syncmap_read_len, syncmap_dirty_len, misses, heap MemStats
 * deltas), and syncmap_check holds after every step.
 */
#include <stdio.h>

#include "iface.h"
#include "lesson.h"
#include "syncmap.h"

static const char source[] =
    "var m = new(sync.Map) // 40 B: a 48-byte heap block\n" /* 1 */
    "\n"
    "func main() {\n"
    "    for k := 1; k <= 4; k++ {\n"
    "        m.Store(k, k*10) // new keys: into dirty\n"  /* 5 */
    "    }\n"
    "    m.Load(1); m.Load(2); m.Load(3) // misses\n"
    "    m.Load(4)       // misses == len(dirty)\n"
    "    m.Load(1)       // a hit in read: no lock\n"
    "    m.Delete(2)     // entry.p = nil\n"              /* 10 */
    "    m.Store(5, 50)  // dirtyLocked: key 2 expunged\n"
    "    m.Store(2, 20)  // unexpunge\n"
    "    m.Range(func(k, v any) bool { return true })\n"
    "}\n";

enum {
    S_ZERO, S_FIRST, S_MORE, S_MISS, S_PROMOTE, S_HIT, S_DELETE, S_EXPUNGE,
    S_UNEXPUNGE, S_RANGE, S_NEWER, S_NSTEPS
};
static const LessonText steps[S_NSTEPS] = {
    {"The zero sync.Map",
     "A sync.Map is 40 bytes (a 48-byte heap block): a Mutex, read (an atomic.Value holding a "
     "readOnly), dirty (a map) and misses. At first read and dirty are nil.", 1},
    {"The first Store",
     "A new key always goes to dirty, under the lock. The first one also makes "
     "the dirty map and a readOnly{amended: true} box.", 5},
    {"More new keys",
     "Each further new key costs 3 allocations: the value moved to the heap, "
     "newEntry's copy of it, and the entry. read stays empty.", 5},
    {"A Load that misses read",
     "Load(1) looks in read first, no lock. Not there, and read is amended, so "
     "it locks, finds 1 in dirty, and counts a miss.", 7},
    {"Promotion",
     "The fourth miss makes misses equal len(dirty). dirty becomes the new "
     "read (one readOnly box), dirty is set to nil, misses to 0.", 8},
    {"Hits take no lock",
     "Now Load(1) finds its entry in read: an atomic load and a pointer "
     "read. No lock, no miss, no allocation.", 9},
    {"Delete of a read key",
     "2 is in read, so Delete only sets its entry.p to nil with a CAS. The "
     "key stays in read's map.", 10},
    {"Expunge",
     "A new key needs dirty again: dirtyLocked copies read's entries into a "
     "new map, but the nil entry of 2 becomes expunged and is left out.", 11},
    {"Unexpunge",
     "Storing to 2 finds the expunged entry in read: it is unexpunged, put "
     "back into dirty, then given the value.", 12},
    {"Range promotes at once",
     "Range wants one consistent view: when read is amended it promotes "
     "dirty immediately, without waiting for misses.", 13},
    {"Go 1.24 and later",
     "Go 1.24 replaced sync.Map's internals with a hash-trie (HashTrieMap): "
     "no read/dirty pair, no misses. This lesson models Go 1.19, the version "
     "the article describes.", 0},
};

static const LessonQuestion ask_allocs = {
    "m.Store(2, 20) stores a new key (small ints). How many heap allocations?",
    "0\n1\n3\n5", 3,
    "3: the value moved to the heap (16 B), newEntry's copy (16 B), the "
    "entry (8 B). Ints below 256 need no box."};

static const LessonQuestion ask_promote = {
    "len(dirty) is 4 and misses is 3. Load(4) misses read once more. What "
    "happens?",
    "It counts a 4th miss, nothing else\ndirty is promoted to read\nThe key "
    "is copied into read alone", 2,
    "missLocked: misses++; if misses >= len(dirty), read = dirty, dirty = "
    "nil, misses = 0."};

typedef struct {
    Machine *m;
    BoxMem bm;
    SyncMap sm;
    uint64_t mallocs, bytes; /* at the last mark */
} Env;

static void mark(Env *e)
{
    e->mallocs = e->m->heap.stats.mallocs;
    e->bytes = e->m->heap.stats.total_alloc;
}

static uint64_t allocs_since(const Env *e)
{
    return e->m->heap.stats.mallocs - e->mallocs;
}

static uint64_t bytes_since(const Env *e)
{
    return e->m->heap.stats.total_alloc - e->bytes;
}

static void store(Env *e, int64_t k, int64_t v)
{
    syncmap_store(e->m, &e->sm, iface_int(e->m, &e->bm, k), iface_int(e->m, &e->bm, v));
}

static bool load(Env *e, int64_t k)
{
    Eface v;
    return syncmap_load(e->m, &e->sm, iface_int_temp(e->m, &e->bm, k, 0), &v);
}

/* One claim on read and dirty (dirty < 0: nil), so a step keeps its claims
 * to the three lines the narration pane shows. */
static void claim_state(LessonCtx *lc, const Env *e, uint64_t read, int64_t dirty)
{
    uint64_t r = syncmap_read_len(&e->sm);
    int64_t d = syncmap_dirty_len(&e->sm);
    char buf[160], ds[32];
    snprintf(ds, sizeof ds, d < 0 ? "nil" : d == 1 ? "%lld key" : "%lld keys", (long long)d);
    snprintf(buf, sizeof buf, "read has %llu key%s, dirty is %s (model)",
             (unsigned long long)r, r == 1 ? "" : "s", ds);
    lesson_claim(lc, buf, r == read && d == dirty);
}

/* Allocations and bytes since the last mark, in one claim. */
static void claim_allocs(LessonCtx *lc, const Env *e, const char *what, uint64_t n,
                         uint64_t bytes)
{
    char buf[160];
    uint64_t got = allocs_since(e), gotb = bytes_since(e);
    snprintf(buf, sizeof buf, "%s: %llu allocation%s, %llu bytes (model)", what,
             (unsigned long long)got, got == 1 ? "" : "s", (unsigned long long)gotb);
    lesson_claim(lc, buf, got == n && gotb == bytes);
}

static void fill(LessonCtx *lc, Env *e)
{
    lesson_step(lc, &steps[S_ZERO]);
    mark(e);
    syncmap_new(&e->sm, e->m, &e->bm);
    lc->shown_syncmap = &e->sm;
    lesson_claim_eq(lc, "bytes in a sync.Map struct", SYNCMAP_SIZE, 40);
    claim_allocs(lc, e, "new(sync.Map)", 1, 48);
    claim_state(lc, e, 0, -1);

    lesson_step(lc, &steps[S_FIRST]);
    mark(e);
    store(e, 1, 10);
    claim_allocs(lc, e, "the first Store", 6, 312);
    lesson_say(lc, "312 B = value 16 + i 16 + entry 8 + hmap 48 + bucket 208 + readOnly 16.");
    lesson_claim(lc, "read is amended", e->sm.read.amended);

    lesson_ask(lc, &ask_allocs);
    lesson_step(lc, &steps[S_MORE]);
    mark(e);
    store(e, 2, 20);
    claim_allocs(lc, e, "Store(2, 20)", 3, 40);
    store(e, 3, 30);
    store(e, 4, 40);
    claim_state(lc, e, 0, 4);
}

static void promote(LessonCtx *lc, Env *e)
{
    lesson_step(lc, &steps[S_MISS]);
    bool found = load(e, 1);
    lesson_claim(lc, "Load(1) found 1 in dirty", found);
    lesson_claim_eq(lc, "misses after Load(1)", (uint64_t)e->sm.misses, 1);
    load(e, 2);
    load(e, 3);
    lesson_claim_eq(lc, "misses after Load(2), Load(3)", (uint64_t)e->sm.misses, 3);

    lesson_ask(lc, &ask_promote);
    lesson_step(lc, &steps[S_PROMOTE]);
    mark(e);
    load(e, 4);
    claim_state(lc, e, 4, -1);
    lesson_claim_eq(lc, "misses after promotion", (uint64_t)e->sm.misses, 0);
    claim_allocs(lc, e, "the promoting Load (the readOnly box)", 1, 16);

    lesson_step(lc, &steps[S_HIT]);
    mark(e);
    bool hit = load(e, 1);
    lesson_claim(lc, "Load(1) found it in read", hit);
    lesson_claim_eq(lc, "misses", (uint64_t)e->sm.misses, 0);
    claim_allocs(lc, e, "the hit", 0, 0);
}

static void expunge(LessonCtx *lc, Env *e)
{
    lesson_step(lc, &steps[S_DELETE]);
    syncmap_delete(e->m, &e->sm, iface_int(e->m, &e->bm, 2));
    lesson_claim(lc, "Load(2) finds nothing", !load(e, 2));
    claim_state(lc, e, 4, -1);

    lesson_step(lc, &steps[S_EXPUNGE]);
    store(e, 5, 50);
    lesson_claim_eq(lc, "expunged entries", e->sm.expunged.n, 1);
    claim_state(lc, e, 4, 4);

    lesson_step(lc, &steps[S_UNEXPUNGE]);
    store(e, 2, 20);
    lesson_claim_eq(lc, "expunged entries", e->sm.expunged.n, 0);
    claim_state(lc, e, 4, 5);

    lesson_step(lc, &steps[S_RANGE]);
    syncmap_range(e->m, &e->sm, NULL, NULL);
    claim_state(lc, e, 5, -1);
    lesson_claim(lc, "read is no longer amended", !e->sm.read.amended);
}

static int run(LessonCtx *lc)
{
    Env e = {.m = lc->m};
    boxmem_init(&e.bm);
    fill(lc, &e);
    promote(lc, &e);
    expunge(lc, &e);
    int rc = syncmap_check(&e.sm) ? 0 : -1;
    lesson_step(lc, &steps[S_NEWER]);
    lc->shown_syncmap = NULL;
    syncmap_free(&e.sm);
    boxmem_free(&e.bm);
    return rc;
}

const Lesson lesson06 = {
    6, "syncmap", "Inside sync.Map: read, dirty, misses", source, 1, false, run,
};
