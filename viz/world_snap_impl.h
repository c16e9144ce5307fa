/*
 * world_snap_impl.h — what world_snap.c (pages) and world_delta.c (element
 * deltas) share: a type-erased view of one array of a World, and one
 * array's part of a keyframe.  Private to those two files.
 *
 * A SnapVec is the array at the keyframe: its first base_n elements are
 * the immutable pages `pages`, then the deltas are applied in order, each
 * leaving the array n_after long; with no deltas, base_n == n.
 */
#ifndef GMV_WORLD_SNAP_IMPL_H
#define GMV_WORLD_SNAP_IMPL_H

#include <stddef.h>

#include "world.h"

typedef struct WDelta WDelta;

typedef struct {
    uint32_t n, base_n;
    WPage **pages;              /* ceil(base_n / WPAGE) */
    WDelta **deltas;            /* each holds a reference */
    uint32_t ndeltas;
} SnapVec;

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
/* Snapshot `serial` was restored: is it the one the chain ends at? */
void wdelta_restored(WLog *l, uint64_t serial);
size_t wdelta_table_bytes(const SnapVec *sv);
/* The array is about to change wholesale: no chain, log nothing yet. */
void wlog_forget(WLog *l);

#endif
