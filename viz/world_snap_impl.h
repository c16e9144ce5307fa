/*
 * world_snap_impl.h — what world_snap.c (pages) and world_delta.c (element
 * deltas) share: a type-erased view of one array of a World, and one
 * array's part of a keyframe.  Private to those two files and to
 * keyframes_file.c, which writes keyframes out and reads them back.
 *
 * A SnapVec is the array at the keyframe: its first base_n elements are
 * the immutable pages `pages`, then the deltas are applied in order, each
 * leaving the array n_after long; with no deltas, base_n == n.
 */
#ifndef GMV_WORLD_SNAP_IMPL_H
#define GMV_WORLD_SNAP_IMPL_H

#include <stddef.h>

#include "world.h"

/* The words of an array's elements that changed between two snapshots:
 * one allocation, the header then mask[n], idx[n], words[] (world_delta.c). */
typedef struct WDelta {
    uint32_t refs, n, n_after;  /* elements in it; the array's length after it */
    uint32_t bytes;
    size_t *acct;               /* the World's page_bytes, as for pages */
    uint32_t *idx;              /* n elements, ascending */
    uint64_t *mask;             /* their changed words */
    uint32_t *words;            /* the new values of those words, in order */
} WDelta;

typedef struct {
    uint32_t n, base_n;
    WPage **pages;              /* ceil(base_n / WPAGE) */
    WDelta **deltas;            /* each holds a reference */
    uint32_t ndeltas;
} SnapVec;

enum {
#define VEC_ID(name, tracked) VEC_##name,
    WORLD_VECS(VEC_ID)
#undef VEC_ID
    NVECS
};

struct WSnap {
    uint64_t serial;            /* which snapshot of its World (world_delta.c) */
    WCounters c;
    WNarration nar;
    uint32_t frame_serial;
    SnapVec objs;               /* the live pages themselves, shared */
    SnapVec vec[NVECS];
    SnapVec lines;
    size_t bytes;
};

typedef struct {
    void **v;
    uint32_t *n, *cap;
    WPages *pg;
    size_t elem;
    bool tracked;
    WIndex *ix;                 /* index to keep in step, or NULL */
    uint64_t (*key)(const void *);
    uint64_t key_words;         /* the 4-byte words of an element its key reads */
} VecRef;

/* key_words for a key that is the 8-byte field at `offset`. */
#define KEY_WORDS(type, field) (3ull << (offsetof(type, field) / 4))

static inline uint32_t npages(uint32_t n)
{
    return (n + WPAGE - 1) >> WPAGE_SHIFT;
}

static inline uint32_t min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static inline void *elem_at(const VecRef *r, uint32_t i)
{
    return (char *)*r->v + (size_t)i * r->elem;
}

void *wsnap_xmalloc(size_t n);
/* A page of `bytes` data bytes, one reference, counted in w->page_bytes. */
WPage *wsnap_page_new(World *w, size_t bytes);
/* Type-erased views of w's arrays (VEC_* order; returns NVECS) and lines. */
int wsnap_vec_refs(World *w, VecRef *out);
VecRef wsnap_lines_ref(World *w);
/* r->ix loses the keys of elements [lo, hi) that it maps to them, or gets
 * them (world_snap.c). */
void wsnap_unindex(const VecRef *r, uint32_t lo, uint32_t hi);
void wsnap_reindex(const VecRef *r, uint32_t lo, uint32_t hi);

/* world_delta.c */
/* After the pages of a snapshot were cut (`dirty` of them new): the chain
 * starts at it. */
void wdelta_full_taken(World *w, const VecRef *r, const SnapVec *sv, uint32_t dirty);
/* A snapshot of r as a delta on the chain, if that is cheaper than pages;
 * false (and sv untouched) if not. */
bool wdelta_snap(World *w, const VecRef *r, SnapVec *sv);
/* r holds the base pages' elements: apply sv's deltas to it. */
void wdelta_apply(const VecRef *r, const SnapVec *sv);
void wdelta_unref(WDelta *d);
/* A delta of n elements and `words` words, one reference, counted in
 * w->page_bytes; the caller fills mask, idx and words. */
WDelta *wdelta_new(World *w, uint32_t n, uint32_t n_after, uint32_t words);
/* Snapshot `serial` was restored: is it the one the chain ends at? */
void wdelta_restored(WLog *l, uint64_t serial);
size_t wdelta_table_bytes(const SnapVec *sv);
/* The array is about to change wholesale: no chain, log nothing yet. */
void wlog_forget(WLog *l);

#endif
