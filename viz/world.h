/*
 * world.h — the state of the simulated machine at one position of a trace,
 * rebuilt from events only (the viewer never links the model).
 *
 * A World is plain data in arrays of records (no pointers between records,
 * only indexes and addresses), cut into pages of WPAGE records, so that a
 * keyframe is a table of pages shared with other keyframes (world_snap).
 * Objects, the biggest array, live in the shared pages themselves (copied
 * on write), so a keyframe restore moves their page pointers; the other
 * arrays are flat, and a restore copies back the pages that differ.
 *
 * Invariant: world_apply is total.  Any event, in any order, from any file,
 * leaves the World consistent: references to unknown objects, maps or
 * goroutines are ignored (and counted in `ignored`), and every table is
 * bounded by the number of events applied.  The World after events [0, n) is
 * the same whichever way it was reached (world_equal checks it in the tests).
 */
#ifndef GMV_WORLD_H
#define GMV_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "trace.h"

#define WORLD_MAX_G 1024        /* goroutines tracked; more are ignored */
#define WORLD_MAX_CORES 8
#define WORLD_MAX_MAPS 256
#define WORLD_MAX_SM 32
#define WORLD_CACHE_MAX_LINES 4096 /* per core, whatever the header says */
#define WORLD_RECENT 16         /* invalidations remembered for arrows */
#define WORLD_CLAIMS 8

/* OBJ_DEAD: freed.  objs only grows (an object's position is its ordinal
 * among the trace's allocations, the same at every position of the trace),
 * so that the object index never changes on a seek; see WHistory. */
enum { OBJ_LIVE, OBJ_GARBAGE, OBJ_DEAD };

/* A heap, stack or arena object.  Tiny and arena sub-objects share their
 * address with their container, so the index key is (addr, sub). */
typedef struct {
    uint64_t addr;
    uint64_t born;              /* event index of its ALLOC */
    uint64_t changed;           /* event index of its last state change */
    uint32_t size, rounded;
    uint32_t type;              /* string id */
    uint8_t cls, kind, space, state;
    uint16_t g;
    uint16_t nsub;              /* sub-objects placed in it (tiny, arena) */
} WObj;

typedef struct {
    uint64_t base;
    uint64_t born;
    uint32_t npages, nelems, elemsize;
    uint8_t cls, noscan;
} WSpan;

typedef struct {
    uint64_t id;
    uint64_t stack_lo, stack_hi;
    uint64_t blocked_on;        /* address it waits on, 0 if not blocked */
    uint32_t fn;
    int8_t core;                /* core it runs on, -1 if none */
    uint8_t exited, blocked;
} WGoroutine;

typedef struct {
    uint64_t sp;
    uint64_t born;
    uint32_t fn;
    uint32_t serial;            /* unique per World, links locals */
    uint16_t g;                 /* index into gs */
} WFrame;

typedef struct {
    uint64_t addr;
    uint64_t born;
    uint32_t name, type, size;
    uint32_t frame;             /* serial of its frame */
    uint16_t g;
} WLocal;

typedef struct {
    uint64_t hdr, array;
    uint64_t born;
    uint64_t len, cap;
    uint32_t elem, type;
    uint32_t where, reason;     /* where: 0 heap, 1 stack (as recorded) */
    uint8_t stored;             /* last set by SLICE_SET: SLICE_GROW leaves it */
} WSlice;

typedef struct {
    uint64_t h;
    uint64_t buckets, oldbuckets;
    uint64_t born, grow_at;
    uint64_t popped_at;         /* when the frame holding it as a local popped */
    uint32_t keysize, elemsize, bucketsize, type;
    uint32_t nbuckets, noldbuckets; /* 2^B and 2^oldB (or fewer, as recorded) */
    uint32_t nspare;            /* overflow buckets allocated after the array
                                   (makeBucketArray, B >= 4) */
    uint32_t nevacuated;
    uint32_t used;              /* slots holding a key (tophash >= 5) in its
                                   bucket records not evacuated */
    uint32_t seed;
    uint8_t B, oldB, growing, same_size;
} WMap;

enum { BUCKET_EVACUATED = 1, BUCKET_TO_X = 2, BUCKET_TO_Y = 4 };

/* One bucket (array bucket or overflow) of a known map. */
typedef struct {
    uint64_t addr;
    uint64_t overflow;          /* next in chain, 0 if none */
    uint64_t changed;
    uint64_t head;              /* an overflow bucket's array bucket, 0 if unknown */
    /* Slot s's key and elem as numbers (nums bits); a slot whose key is not
     * a number has the string id of its label in key[s] (wbucket_label). */
    int64_t key[8], elem[8];
    uint8_t nums_key, nums_elem; /* bit s: slot s has a numeric key / elem */
    uint8_t tophash[8];
    uint16_t map;               /* index into maps */
    uint8_t evacuated;          /* BUCKET_* bits */
    uint8_t is_overflow;
} WBucket;

/* The string id of slot s's key/value label, 0 if it has none. */
static inline uint32_t wbucket_label(const WBucket *b, int s)
{
    return b->nums_key >> s & 1 ? 0 : (uint32_t)b->key[s];
}

typedef struct {
    uint64_t m;
    uint64_t readonly, readmap, dirty;
    uint64_t oldread;           /* read map replaced by the last promotion */
    uint64_t promoted_at, dirty_at;
    uint64_t misses, dirty_len;
    uint64_t changed;           /* event index of its last event */
    uint8_t amended;
} WSyncMap;

typedef struct {
    uint64_t m, entry, value;
    int64_t key;
    uint64_t changed;
    uint8_t state;              /* EntryState */
} WEntry;

typedef struct {
    uint64_t line;              /* line address; valid iff state != MESI_I */
    uint64_t touched;           /* one bit per byte (per line/64 bytes) */
    uint64_t last;              /* event index of the last touch */
    uint8_t state;
} WLine;

typedef struct {
    uint64_t at;
    uint64_t line, wmask, vmask;
    uint8_t writer, victim, false_sharing;
} WInval;

typedef struct {
    uint64_t events;            /* events applied == position */
    uint64_t allocs, alloc_bytes, frees, freed_bytes, live_bytes;
    uint64_t garbage_objs, gc_cycles, frames_pushed;
    uint64_t accesses, reads, writes;
    uint64_t outcome[OUTCOME_COUNT];
    uint64_t invalidations, false_sharing, true_sharing, writebacks;
    uint64_t cycles;            /* by the trace's COST_TABLE */
    uint64_t lock_waits, panics, map_slot_sets, evacuations, sm_misses, promotions;
    uint64_t ignored;           /* events that referred to nothing known */
    uint64_t objects;           /* heap objects not yet freed (objs holds dead
                                   ones, and stack and static ones, too) */
    uint64_t heap_kind[OBJ_COUNT]; /* of those, not on a stack or static, by kind */
    uint64_t heap_whole;        /* ... and not tiny or arena sub-objects */
} WCounters;

#define WORLD_VARIANTS 4
#define WORLD_FREED 64
#define WORLD_POPPED 8
#define WORLD_MAP_RECENT 32

/* A frame as it was popped: sp, the function, goroutine index, when. */
typedef struct {
    uint64_t sp, at;
    uint32_t fn;
    uint16_t g;
} WPopped;

typedef struct {
    uint32_t lesson_id, lesson_title, source;
    uint32_t step, step_title;
    uint64_t step_at;           /* event index of the current STEP, or ~0 */
    uint32_t narrate[4];        /* narration of this step, oldest first */
    uint32_t nnarrate;
    uint32_t source_line;
    uint32_t mark;
    uint32_t claim[WORLD_CLAIMS];
    uint8_t claim_ok[WORLD_CLAIMS];
    uint32_t nclaims;
    uint32_t question, choices, answer; /* question 0: none in this step */
    uint32_t variant_name, panic_msg;
    uint32_t cost[6];           /* COST_TABLE: hit memory hitm clean upgrade atomic */
    uint8_t has_cost;
    /* Side-by-side variants (VARIANT events): each one's counters are the
     * difference between the counters when it ended (or now, for the
     * current one) and when it began. */
    uint8_t nvariants;
    int8_t variant;             /* current, -1 before the first VARIANT */
    /* The last slice growth, for the copy animation: old and new arrays,
     * elements copied, when. */
    uint64_t grow_old, grow_new, grow_len, grow_at;
    /* The last objects freed (a ring), so the heap pane can fade them out
     * while the step that freed them plays. */
    struct { uint64_t addr, at; } freed[WORLD_FREED];
    uint32_t freed_next;
    /* The array buckets (of any map, either array) whose chains changed
     * last, newest first, each once; 0: none.  A map pane too narrow for
     * every bucket shows these: where an evacuation put its X and Y halves,
     * where inserts go. */
    uint64_t map_recent[WORLD_MAP_RECENT];
    /* The last frames popped (a ring), so the stacks pane can slide them
     * off while the step that popped them plays. */
    WPopped popped[WORLD_POPPED];
    uint32_t popped_next;
    uint32_t vname[WORLD_VARIANTS];
    WCounters vstart[WORLD_VARIANTS], vend[WORLD_VARIANTS];
} WNarration;


/* Keyframe pages (world_snap.c): every array is cut into pages of WPAGE
 * elements; a keyframe is a table of immutable, shared, refcounted pages.
 * pg.base[p] names the immutable page that page p of the live array equals,
 * or NULL once the live page has changed since (wpages_dirty).  Keyframes
 * taken close together share every page that did not change between them,
 * and restoring one copies only the pages that differ from the live World. */
#define WPAGE_SHIFT 8
#define WPAGE (1u << WPAGE_SHIFT)
typedef struct WPage {
    uint32_t refs;
    uint32_t bytes;
    uint32_t live;              /* objs pages: objects in it not dead */
    size_t *acct;               /* the owning World's page_bytes */
    unsigned char data[];       /* WPAGE elements */
} WPage;
/* Arrays written at random (a big map's buckets) would make every keyframe
 * copy nearly all their pages; for them each write is also logged by
 * element, so that a keyframe can hold only what changed (world_delta.c). */
typedef struct WChain WChain;
typedef struct {
    uint64_t *bits;             /* bit i: element i changed since the last snapshot */
    uint32_t nbits;             /* bits covered (a multiple of 64) */
    uint32_t *idx, n, cap;      /* those elements, each once */
    bool on;                    /* logging: the array is where the log starts */
    WChain *chain;              /* what the next keyframe can build on */
} WLog;
void wlog_add_slow(WLog *l, uint32_t i);
bool wdelta_enabled(size_t elem);   /* arrays of such elements get a log */
WLog *wlog_new(void);
typedef struct {
    WPage **base;
    uint32_t nbase;
    WLog *log;                  /* NULL: pages only */
} WPages;
void wpage_unref(WPage *p);
void wlog_free(WPages *pg);
/* Element i changed: its page no longer equals its immutable page. */
static inline void wpages_dirty(WPages *pg, uint32_t i)
{
    uint32_t p = i >> WPAGE_SHIFT;
    if (p < pg->nbase && pg->base[p]) {
        wpage_unref(pg->base[p]);
        pg->base[p] = NULL;
    }
    WLog *l = pg->log;
    if (l && l->on && (i >= l->nbits || !(l->bits[i >> 6] >> (i & 63) & 1)))
        wlog_add_slow(l, i);
}
void wpages_dirty_range(WPages *pg, uint32_t lo, uint32_t hi); /* [lo, hi) */
void wpages_forget(WPages *pg);                                /* all pages */

/* A growable array of T: the only container in a World. */
#define WVEC(T) struct { T *v; uint32_t n, cap; WPages pg; }
/* Mark element i of vec (or [lo, hi)) changed; every write to a tracked
 * array (WORLD_VECS below) goes with one of these. */
#define WDIRTY(vec, i) wpages_dirty(&(vec).pg, (uint32_t)(i))
#define WDIRTY_RANGE(vec, lo, hi) wpages_dirty_range(&(vec).pg, (uint32_t)(lo), (uint32_t)(hi))

/* Open-addressing index from a 64-bit key to an array position. */
typedef struct {
    uint64_t *keys;
    uint32_t *vals;             /* position + 1; 0 = empty */
    uint32_t cap, n;
} WIndex;

/* Objects, the biggest array by far, live in the pages themselves: a
 * keyframe shares them (refs) and the first write to a shared page copies
 * it, so taking or restoring a keyframe moves page pointers, never objects.
 * page[p] != NULL for p < ceil(n / WPAGE), except that a full page whose
 * objects are all dead is let go (NULL): a trace that allocates and frees
 * millions of objects keeps only the pages with something alive. */
typedef struct {
    WPage **page;
    uint32_t n, cap;            /* cap: slots in page */
} WObjs;

/* Every object the World has ever held, by key: for each key the ordinals
 * (positions in objs) of its allocations, a chain from the newest back.  It
 * depends only on the trace's allocations, never on the position, so it
 * is kept across keyframe restores and consulted with "newer than objs.n
 * does not exist yet".  An address reused a million times makes a long
 * chain, so each link also has a jump pointer (Myers' skew-binary
 * scheme): finding the newest ordinal below a position takes O(log n). */
typedef struct {
    uint32_t prev, jump;        /* ordinal + 1 of the older link / of a skip */
    uint32_t depth;             /* links below this one */
} WLink;
typedef struct {
    WIndex newest;              /* key -> newest ordinal + 1 */
    WLink *link;                /* by ordinal */
    uint32_t n, cap;            /* ordinals [0, n) are recorded */
} WHistory;

typedef struct World {
    TraceParams params;
    unsigned nsets, ways;       /* cache geometry used for placement */
    WCounters c;
    WNarration nar;
    WObjs objs;
    WVEC(WSpan) spans;
    WVEC(WGoroutine) gs;
    WVEC(WFrame) frames;
    WVEC(WLocal) locals;
    WVEC(WSlice) slices;
    WVEC(WMap) maps;
    WVEC(WBucket) buckets;
    WVEC(WSyncMap) sms;
    WVEC(WEntry) entries;
    WVEC(WInval) recent;        /* ring of the last WORLD_RECENT invalidations */
    WVEC(uint32_t) stack_objs;  /* objs positions of SPACE_STACK objects, in
                                   order, dead ones too: frames find theirs
                                   without a pass over every object */
    WVEC(uint32_t) arena_objs;  /* the same for arena chunks (OBJ_ARENA) */
    WLine *lines;               /* ncores x nsets x ways, fixed */
    uint32_t nlines;
    uint32_t frame_serial;
    uint64_t snap_serial;       /* snapshots taken (world_snap) */
    uint32_t last_g;            /* cache for goroutine lookup */
    WHistory obj_hist;          /* (addr << 1 | sub) -> objs, all of time */
    WIndex bucket_index;        /* bucket addr -> buckets */
    WIndex slice_index;         /* slice header addr -> slices (unique) */
    WIndex entry_index;         /* wentry_key -> newest entries record with it */
    /* Derived, not state: keyframe pages of lines, bytes of live immutable
     * pages, cache placement precomputed from the geometry. */
    WPages lines_pg;
    size_t page_bytes;
    unsigned line_shift;
    uint32_t set_mask;          /* nsets - 1 when nsets is a power of two, else 0 */
} World;

/* The counters of variant v so far (see WNarration). */
WCounters world_variant_counters(const World *w, unsigned v);

/* Every array of a World: X(name, tracked).  Tracked arrays mark each write
 * (WDIRTY) so that keyframes share unchanged pages; the small untracked ones
 * are copied whole into every keyframe. */
#define WORLD_VECS(X) X(spans, 1) X(gs, 0) X(frames, 1) X(locals, 1) \
    X(slices, 1) X(maps, 0) X(buckets, 1) X(sms, 0) X(entries, 1) X(recent, 0) \
    X(stack_objs, 1) X(arena_objs, 1)

void world_init(World *w, const TraceParams *p);
void world_free(World *w);
/* Apply one event (e->index should equal w->c.events). */
void world_apply(World *w, const Event *e);

/* Keyframes: a World as one blob.  world_save returns a malloc'd blob and its
 * size; world_load restores w (initialised with the same params) from it. */
void *world_save(const World *w, size_t *size);
void world_load(World *w, const void *blob, size_t size);
/* Paged keyframes (world_snap.c).  world_snap shares every page unchanged
 * since the previous snapshot; world_snap_restore makes w equal to the World
 * snapshotted, copying only pages that differ and re-indexing their
 * elements.  Pages count in w->page_bytes: free snapshots before w. */
typedef struct WSnap WSnap;
WSnap *world_snap(World *w);
void world_snap_restore(World *w, const WSnap *s);
void world_snap_free(WSnap *s);
size_t world_snap_bytes(const WSnap *s); /* its page tables; pages aside */

/* Bytes the World's arrays hold now (for the memory budget). */
size_t world_bytes(const World *w);
/* True if both Worlds hold the same state (the indexes aside). */
bool world_equal(const World *a, const World *b);

/* The obj_hist key of an object: tiny and arena sub-objects share their
 * container's address, so the low bit tells them apart. */
static inline uint64_t wobj_key(const WObj *o)
{
    return o->addr << 1 | (o->space == SPACE_TINY || o->space == SPACE_ARENA);
}

/* Object i < objs.n, to read, or NULL if its page was let go (then it is
 * dead); wobj_mut before any write to a live one (it may copy the page: a
 * pointer from wobj is stale after it); wobj_push adds one (zeroed, live)
 * at the end; wobj_kill marks one dead. */
static inline const WObj *wobj(const World *w, uint32_t i)
{
    const WPage *pg = w->objs.page[i >> WPAGE_SHIFT];
    return pg ? (const WObj *)(const void *)pg->data + (i & (WPAGE - 1)) : NULL;
}
/* The first object at or after *i that is not dead (*i moves to it), or
 * NULL; a let-go page is passed in one step.  The objects of a World:
 *     for (uint32_t i = 0; (o = wobj_next(w, &i)); i++) */
static inline const WObj *wobj_next(const World *w, uint32_t *i)
{
    for (; *i < w->objs.n; (*i)++) {
        const WObj *o = wobj(w, *i);
        if (!o)
            *i |= WPAGE - 1;
        else if (o->state != OBJ_DEAD)
            return o;
    }
    return NULL;
}
WObj *wobj_mut(World *w, uint32_t i);
WObj *wobj_push(World *w);
void wobj_kill(World *w, uint32_t i);
void wobjs_clear(World *w);

/* The same, and a bucket's bucket_index key, for windex_build. */
static inline uint64_t wobj_key_of(const void *o) { return wobj_key(o); }
static inline uint64_t wbucket_key_of(const void *b)
{
    return ((const WBucket *)b)->addr;
}
static inline uint64_t wslice_key_of(const void *s)
{
    return ((const WSlice *)s)->hdr;
}
/* A sync.Map entry record is one per (map, entry address); the index key
 * mixes both, and a lookup checks the record it finds (two pairs may share
 * a key: then the older is found by a scan). */
static inline uint64_t wentry_key(uint64_t m, uint64_t entry)
{
    return entry ^ (m * 0x9e3779b97f4a7c15ull);
}
static inline uint64_t wentry_key_of(const void *e)
{
    return wentry_key(((const WEntry *)e)->m, ((const WEntry *)e)->entry);
}
/* Entries are only appended and their (map, entry) never changes, so when
 * entries [0, from) are in entry_index already (a restore from a World that
 * had `from` records), only the rest need indexing; with fewer records than
 * that, the index is rebuilt.  world_struct.c. */
void world_entries_index(World *w, uint32_t from);

/* Queries used by the renderer. */
const WObj *world_obj_at(const World *w, uint64_t addr, bool sub);
/* The same as a position + 1 (0: none), for code that will write to it. */
uint32_t world_obj_find(const World *w, uint64_t addr, bool sub);
const WGoroutine *world_g(const World *w, uint64_t id);
const WMap *world_map(const World *w, uint64_t h);
const WBucket *world_bucket(const World *w, uint64_t addr);
/* len(dirty) now: the dirty hmap's keys (SM_MISS and SM_DIRTY_INIT carry
 * it too, but a Store of a new key changes it between them); 0 if nil. */
uint64_t world_sm_dirty_len(const World *w, const WSyncMap *s);
/* Whether map m's hmap still exists: on the heap not garbage or freed, on
 * a goroutine's stack still a local of a frame (world.c).  When not, *gone
 * says since when: the hmap's object went, or its frame was popped, if
 * the last popped frames still hold it (else 0). */
bool world_map_alive(const World *w, const WMap *m, uint64_t *gone);
/* Whether a sync.Map names the map at h as its read, dirty or last read
 * map (the sync.Map pane shows it). */
bool world_map_in_sm(const World *w, uint64_t h);
/* Whether a read or dirty map still holds en (world.c); else *gone says
 * since when. */
bool world_sm_entry_held(const World *w, const WEntry *en, uint64_t *gone);
const WSlice *world_slice_by_hdr(const World *w, uint64_t hdr);
/* Line of core c at line address, or NULL when invalid there. */
const WLine *world_line(const World *w, unsigned core, uint64_t line);

/* Internal: object and cache parts of world_apply, in world_*.c. */
void world_apply_mem(World *w, const Event *e);
void world_apply_struct(World *w, const Event *e);
void world_apply_cache(World *w, const Event *e);
void windex_put(WIndex *ix, uint64_t key, uint32_t pos);
uint32_t windex_get(const WIndex *ix, uint64_t key); /* position + 1, 0 if absent */
void windex_del(WIndex *ix, uint64_t key);
void windex_clear(WIndex *ix);
void whist_add(WHistory *h, uint64_t key, uint32_t ord);
uint32_t whist_find(const WHistory *h, uint64_t key, uint32_t below);
void whist_free(WHistory *h);
void windex_build(WIndex *ix, const void *base, uint32_t n, size_t stride,
                  uint64_t (*key)(const void *));
void wvec_grow(void **v, uint32_t *cap, uint32_t need, size_t elem);
#define WVEC_PUSH(vec)                                                        \
    (wvec_grow((void **)&(vec).v, &(vec).cap, (vec).n + 1, sizeof *(vec).v), \
     wpages_dirty(&(vec).pg, (vec).n),                                   \
     memset(&(vec).v[(vec).n], 0, sizeof *(vec).v), &(vec).v[(vec).n++])

#endif
