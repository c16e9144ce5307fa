/*
 * world_snap.c — paged keyframes of a World (see world.h).
 *
 * Every array (and the cache lines) is cut into pages of WPAGE elements.  A
 * snapshot holds, per array, its length and a table of immutable pages;
 * pages are refcounted and shared between snapshots and with the live World
 * (pg.base).  The small untracked arrays get fresh pages in every snapshot.
 * An array written sparsely at random may instead be snapshotted as the
 * words that changed since the last snapshot, on a chain of such deltas
 * after a full one (world_delta.c); restoring copies the pages, then
 * applies the deltas.
 *
 * Invariants:
 *  - pg.base[p] != NULL implies live elements [p*WPAGE, min((p+1)*WPAGE, n))
 *    equal the page's first elements (an immutable page holds zeros past the
 *    length it was cut at); any change of n marks the pages it crosses.
 *    Untracked arrays never keep pg.base between snapshots and restores.
 *  - the live World holds one reference on every page in pg.base; a page is
 *    freed (and leaves *acct) when its last reference goes.
 *  - after world_snap_restore, bucket_index and slice_index map exactly the
 *    keys of buckets[0, n) and slices[0, n) to their positions, as
 *    world_load would build them (keys are unique there), and entry_index
 *    holds every key of entries[0, n) (see world_entries_index).
 *    Objects need nothing: obj_hist holds at every position (world.h), so
 *    a restore never touches it.
 */
#include "world_snap_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *wsnap_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    return p;
}

void wpage_unref(WPage *p)
{
    if (--p->refs)
        return;
    *p->acct -= p->bytes;
    free(p);
}

void wpages_dirty_range(WPages *pg, uint32_t lo, uint32_t hi)
{
    if (pg->log) { /* every element goes in the log */
        for (uint32_t i = lo; i < hi; i++)
            wpages_dirty(pg, i);
        return;
    }
    for (uint32_t i = lo; i < hi; i += WPAGE - (i & (WPAGE - 1)))
        wpages_dirty(pg, i);
}

void wpages_forget(WPages *pg)
{
    if (pg->log)
        wlog_forget(pg->log);
    for (uint32_t p = 0; p < pg->nbase; p++)
        if (pg->base[p]) {
            wpage_unref(pg->base[p]);
            pg->base[p] = NULL;
        }
}

static void base_grow(WPages *pg, uint32_t np)
{
    if (np <= pg->nbase)
        return;
    uint32_t cap = pg->nbase ? pg->nbase : 16;
    while (cap < np)
        cap *= 2;
    WPages old = *pg;
    pg->base = calloc(cap, sizeof *pg->base);
    if (!pg->base)
        abort();
    if (old.nbase)
        memcpy(pg->base, old.base, old.nbase * sizeof *old.base);
    free(old.base);
    pg->nbase = cap;
}

int wsnap_vec_refs(World *w, VecRef *out)
{
    int k = 0;
#define VEC_REF(name, trk)                                                     \
    out[k++] = (VecRef){(void **)&w->name.v, &w->name.n, &w->name.cap, &w->name.pg, \
                        sizeof *w->name.v, trk, NULL, NULL, 0};
    WORLD_VECS(VEC_REF)
#undef VEC_REF
    out[VEC_buckets].ix = &w->bucket_index, out[VEC_buckets].key = wbucket_key_of;
    out[VEC_buckets].key_words = KEY_WORDS(WBucket, addr);
    out[VEC_slices].ix = &w->slice_index, out[VEC_slices].key = wslice_key_of;
    out[VEC_slices].key_words = KEY_WORDS(WSlice, hdr);
    return k;
}

VecRef wsnap_lines_ref(World *w)
{
    return (VecRef){(void **)&w->lines, &w->nlines, &w->nlines, &w->lines_pg,
                    sizeof *w->lines, true, NULL, NULL, 0};
}

/* ---- object pages, copied on write ------------------------------------- */

WPage *wsnap_page_new(World *w, size_t bytes)
{
    WPage *pg = wsnap_xmalloc(sizeof *pg + bytes);
    pg->refs = 1;
    pg->live = 0;
    pg->bytes = (uint32_t)(sizeof *pg + bytes);
    pg->acct = &w->page_bytes;
    w->page_bytes += pg->bytes;
    return pg;
}

WObj *wobj_mut(World *w, uint32_t i)
{
    WPage **pp = &w->objs.page[i >> WPAGE_SHIFT];
    if ((*pp)->refs > 1) { /* a keyframe holds it: write a copy */
        WPage *c = wsnap_page_new(w, WPAGE * sizeof(WObj));
        memcpy(c->data, (*pp)->data, WPAGE * sizeof(WObj));
        c->live = (*pp)->live;
        wpage_unref(*pp);
        *pp = c;
    }
    return (WObj *)(void *)(*pp)->data + (i & (WPAGE - 1));
}

WObj *wobj_push(World *w)
{
    WObjs *o = &w->objs;
    uint32_t i = o->n, p = i >> WPAGE_SHIFT;
    if ((i & (WPAGE - 1)) == 0) {
        if (p == o->cap) {
            o->cap = o->cap ? o->cap * 2 : 16;
            o->page = realloc(o->page, o->cap * sizeof *o->page);
            if (!o->page)
                abort();
        }
        o->page[p] = wsnap_page_new(w, WPAGE * sizeof(WObj));
    }
    o->n++;
    WObj *obj = wobj_mut(w, i);
    memset(obj, 0, sizeof *obj); /* OBJ_LIVE */
    o->page[p]->live++;
    return obj;
}

void wobj_kill(World *w, uint32_t i)
{
    WObj *o = wobj_mut(w, i);
    if (o->state == OBJ_DEAD)
        return;
    o->state = OBJ_DEAD;
    uint32_t p = i >> WPAGE_SHIFT;
    if (--w->objs.page[p]->live == 0 && (p + 1) * WPAGE <= w->objs.n) {
        wpage_unref(w->objs.page[p]); /* keyframes may still hold it */
        w->objs.page[p] = NULL;
    }
}

/* Keep pages [0, np) (np <= the live count), drop the rest. */
static void objs_truncate(World *w, uint32_t np)
{
    for (uint32_t p = np; p < npages(w->objs.n); p++) {
        if (w->objs.page[p])
            wpage_unref(w->objs.page[p]);
        w->objs.page[p] = NULL;
    }
}

void wobjs_clear(World *w)
{
    objs_truncate(w, 0);
    w->objs.n = 0;
}

static size_t snap_objs(World *w, SnapVec *sv)
{
    uint32_t np = npages(w->objs.n);
    sv->n = sv->base_n = w->objs.n;
    sv->deltas = NULL;
    sv->ndeltas = 0;
    sv->pages = wsnap_xmalloc(np * sizeof *sv->pages);
    for (uint32_t p = 0; p < np; p++)
        if ((sv->pages[p] = w->objs.page[p]))
            sv->pages[p]->refs++;
    return np * sizeof *sv->pages;
}

static void restore_objs(World *w, const SnapVec *sv)
{
    uint32_t np = npages(sv->n), have = npages(w->objs.n);
    if (np < have)
        objs_truncate(w, np);
    if (np > w->objs.cap) {
        w->objs.page = realloc(w->objs.page, np * sizeof *w->objs.page);
        if (!w->objs.page)
            abort();
        w->objs.cap = np;
    }
    for (uint32_t p = 0; p < np; p++)
        if (p >= have || w->objs.page[p] != sv->pages[p]) {
            if (p < have && w->objs.page[p])
                wpage_unref(w->objs.page[p]);
            if ((w->objs.page[p] = sv->pages[p]))
                w->objs.page[p]->refs++;
        }
    w->objs.n = sv->n;
}

/* ---- taking a snapshot ------------------------------------------------- */

static WPage *page_cut(World *w, const VecRef *r, uint32_t p)
{
    size_t bytes = WPAGE * r->elem;
    WPage *pg = wsnap_page_new(w, bytes);
    uint32_t lo = p * WPAGE, hi = lo + WPAGE < *r->n ? lo + WPAGE : *r->n;
    memcpy(pg->data, (char *)*r->v + lo * r->elem, (hi - lo) * r->elem);
    memset(pg->data + (hi - lo) * r->elem, 0, (WPAGE - (hi - lo)) * r->elem);
    return pg;
}

static size_t snap_vec(World *w, const VecRef *r, SnapVec *sv)
{
    if (r->pg->log && wdelta_snap(w, r, sv))
        return npages(sv->base_n) * sizeof *sv->pages + wdelta_table_bytes(sv);
    uint32_t np = npages(*r->n);
    if (!r->tracked)
        wpages_forget(r->pg);
    base_grow(r->pg, np);
    sv->n = *r->n;
    sv->pages = wsnap_xmalloc(np * sizeof *sv->pages);
    uint32_t dirty = 0;
    for (uint32_t p = 0; p < np; p++) {
        if (!r->pg->base[p])
            r->pg->base[p] = page_cut(w, r, p), dirty++;
        r->pg->base[p]->refs++;
        sv->pages[p] = r->pg->base[p];
    }
    sv->base_n = sv->n;
    sv->deltas = NULL;
    sv->ndeltas = 0;
    if (r->pg->log)
        wdelta_full_taken(w, r, sv, dirty);
    return np * sizeof *sv->pages;
}

WSnap *world_snap(World *w)
{
    WSnap *s = wsnap_xmalloc(sizeof *s);
    s->serial = ++w->snap_serial;
    s->c = w->c;
    s->nar = w->nar;
    s->frame_serial = w->frame_serial;
    s->bytes = sizeof *s + snap_objs(w, &s->objs);
    VecRef refs[NVECS];
    wsnap_vec_refs(w, refs);
    for (int i = 0; i < NVECS; i++)
        s->bytes += snap_vec(w, &refs[i], &s->vec[i]);
    VecRef l = wsnap_lines_ref(w);
    s->bytes += snap_vec(w, &l, &s->lines);
    return s;
}

static void snapvec_free(SnapVec *sv)
{
    for (uint32_t p = 0; p < npages(sv->base_n); p++)
        if (sv->pages[p]) /* objs: a page let go */
            wpage_unref(sv->pages[p]);
    free(sv->pages);
    for (uint32_t k = 0; k < sv->ndeltas; k++)
        wdelta_unref(sv->deltas[k]);
    free(sv->deltas);
}

void world_snap_free(WSnap *s)
{
    if (!s)
        return;
    for (int i = 0; i < NVECS; i++)
        snapvec_free(&s->vec[i]);
    snapvec_free(&s->objs);
    snapvec_free(&s->lines);
    free(s);
}

size_t world_snap_bytes(const WSnap *s)
{
    return s->bytes;
}

/* ---- restoring one ----------------------------------------------------- */

void wsnap_unindex(const VecRef *r, uint32_t lo, uint32_t hi)
{
    for (uint32_t i = lo; i < hi; i++) {
        uint64_t k = r->key(elem_at(r, i));
        if (windex_get(r->ix, k) == i + 1)
            windex_del(r->ix, k);
    }
}

void wsnap_reindex(const VecRef *r, uint32_t lo, uint32_t hi)
{
    for (uint32_t i = lo; i < hi; i++)
        windex_put(r->ix, r->key(elem_at(r, i)), i);
}

/* Pages of r that differ from sv: their numbers into out, the count back. */
static uint32_t diff_pages(const VecRef *r, const SnapVec *sv, uint32_t *out)
{
    uint32_t n_old = *r->n, np_old = npages(n_old), np_new = npages(sv->n), k = 0;
    uint32_t np = np_old > np_new ? np_old : np_new;
    for (uint32_t p = 0; p < np; p++) {
        uint32_t lo = p * WPAGE;
        bool same = p < np_new && p < r->pg->nbase && r->pg->base[p] == sv->pages[p] &&
                    min32(lo + WPAGE, n_old) == min32(lo + WPAGE, sv->n);
        if (!same)
            out[k++] = p;
    }
    return k;
}

static void copy_page(VecRef *r, const SnapVec *sv, uint32_t p)
{
    uint32_t lo = p * WPAGE;
    memcpy((char *)*r->v + (size_t)lo * r->elem, sv->pages[p]->data,
           (min32(lo + WPAGE, sv->n) - lo) * r->elem);
    if (r->pg->base[p])
        wpage_unref(r->pg->base[p]);
    r->pg->base[p] = NULL;
    if (r->tracked) {
        r->pg->base[p] = sv->pages[p];
        r->pg->base[p]->refs++;
    }
}

static void restore_pages(VecRef *r, const SnapVec *sv)
{
    uint32_t np_new = npages(sv->n), np = npages(*r->n) > np_new ? npages(*r->n) : np_new;
    wvec_grow(r->v, r->cap, sv->n, r->elem);
    base_grow(r->pg, np_new);
    if (!r->tracked) /* written without WDIRTY: never trust the pages */
        wpages_forget(r->pg);
    uint32_t *diff = wsnap_xmalloc(np * sizeof *diff), nd = diff_pages(r, sv, diff);
    /* Re-index page by page, or all at once when most of it moves. */
    bool rebuild = r->ix && (uint64_t)nd * WPAGE > sv->n / 2 + 4 * WPAGE;
    for (uint32_t k = 0; k < nd; k++) {
        uint32_t lo = diff[k] * WPAGE;
        if (r->ix && !rebuild && lo < *r->n)
            wsnap_unindex(r, lo, min32(lo + WPAGE, *r->n));
        if (diff[k] < np_new)
            copy_page(r, sv, diff[k]);
    }
    *r->n = sv->n;
    if (rebuild) {
        windex_build(r->ix, *r->v, sv->n, r->elem, r->key);
    } else if (r->ix) {
        for (uint32_t k = 0; k < nd; k++)
            if (diff[k] * WPAGE < sv->n)
                wsnap_reindex(r, diff[k] * WPAGE, min32(diff[k] * WPAGE + WPAGE, sv->n));
    }
    free(diff);
}

/* Its pages, then its deltas (world_delta.c) if it has any. */
static void restore_vec(VecRef *r, const SnapVec *sv)
{
    SnapVec base = *sv;
    base.n = sv->base_n;
    restore_pages(r, &base);
    wdelta_apply(r, sv);
}

void world_snap_restore(World *w, const WSnap *s)
{
    uint32_t had_entries = w->entries.n; /* all in entry_index */
    w->c = s->c;
    w->nar = s->nar;
    w->frame_serial = s->frame_serial;
    w->last_g = 0;
    restore_objs(w, &s->objs);
    VecRef refs[NVECS];
    wsnap_vec_refs(w, refs);
    for (int i = 0; i < NVECS; i++)
        restore_vec(&refs[i], &s->vec[i]);
    VecRef l = wsnap_lines_ref(w);
    restore_vec(&l, &s->lines);
    world_entries_index(w, had_entries);
    for (int i = 0; i < NVECS; i++)
        if (refs[i].pg->log)
            wdelta_restored(refs[i].pg->log, s->serial);
}
