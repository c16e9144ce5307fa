/*
 * keyframes_file.c — writing a Replay's keyframes out and reading them back
 * (see keyframes_file.h).
 *
 * Layout, all in the writer's byte order (the header says which, and the
 * sizes of the records, so that another machine's file is refused):
 *
 *   header   KfHeader: magic, version, build id, record sizes, the trace's
 *            size and CRC-32, the keyframe options it was indexed with
 *   meta     nevents, status, message, panes, steps
 *   pages    every page any keyframe holds, once: length, live, bytes
 *   deltas   every delta, once: n, n_after, words, then mask, idx, words
 *   frames   each keyframe: at, step, its snapshot's scalars, then for the
 *            objects, each array and the lines: n, base_n, page ids
 *            (KF_NONE for an objects page let go), delta ids
 *   history  the object history (world.h WHistory), links and index
 *   trailer  CRC-32 of everything before it
 *
 * Reading trusts nothing before the trailer's CRC matches, and even then
 * checks every count against the bytes left and every id and length
 * against what it names, so a damaged file is refused, never followed.
 */
#include "keyframes_file.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyframes_build.h"
#include "keyframes_format.h"

void kf_fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

void kf_sv_elems(size_t *elem)
{
    int k = 0;
    elem[k++] = sizeof(WObj);
#define ELEM(name, tracked) elem[k++] = sizeof *((World *)0)->name.v;
    WORLD_VECS(ELEM)
#undef ELEM
    elem[k++] = sizeof(WLine);
}

void kf_header_make(const Replay *rp, uint32_t trace_crc, KfHeader *h)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, "GMVKEYF\n", 8);
    h->version = KF_VERSION;
    h->order = KF_ORDER;
    snprintf(h->build, sizeof h->build, "%s", GMV_KEYFRAMES_BUILD);
    h->wpage = WPAGE;
    size_t elem[NSV];
    kf_sv_elems(elem);
    for (int k = 0; k < NSV; k++)
        h->sizes[h->nsizes++] = (uint32_t)elem[k];
    const size_t more[] = {sizeof(WCounters), sizeof(WNarration), sizeof(WLink),
                           sizeof(StepMark), sizeof(ReplayHas), sizeof(void *)};
    for (size_t k = 0; k < sizeof more / sizeof *more; k++)
        h->sizes[h->nsizes++] = (uint32_t)more[k];
    h->trace_size = rp->r.size;
    h->trace_crc = trace_crc;
    h->interval_asked = rp->interval_asked;
    h->budget = rp->budget;
}

/* CRC-32 of the trace's bytes, letting each piece go once read: a mapped
 * trace would otherwise stay resident, the size of the file again. */
uint32_t kf_trace_crc(const Replay *rp)
{
    TraceReader *r = (TraceReader *)&rp->r;
    uint32_t crc = 0;
    const size_t piece = 4u << 20;
    for (size_t lo = 0; lo < r->size; lo += piece) {
        size_t hi = lo + piece < r->size ? lo + piece : r->size;
        crc = libdeflate_crc32(crc, r->data + lo, hi - lo);
        trace_release(r, lo, hi);
    }
    return crc;
}

/* ---- writing ----------------------------------------------------------- */

typedef struct {
    FILE *f;
    uint32_t crc;
} Out;

static void put(Out *o, const void *p, size_t n)
{
    if (!n)
        return;
    fwrite(p, 1, n, o->f);
    o->crc = libdeflate_crc32(o->crc, p, n);
}

static void put32(Out *o, uint32_t v) { put(o, &v, sizeof v); }

/* Ids for pages and deltas in order of first sight, by address. */
typedef struct {
    WIndex ix;
    const void **v;
    uint32_t n, cap;
} Ids;

static uint32_t ids_add(Ids *ids, const void *p)
{
    uint32_t i = windex_get(&ids->ix, (uint64_t)(uintptr_t)p);
    if (i)
        return i - 1;
    wvec_grow((void **)&ids->v, &ids->cap, ids->n + 1, sizeof *ids->v);
    ids->v[ids->n] = p;
    windex_put(&ids->ix, (uint64_t)(uintptr_t)p, ids->n);
    return ids->n++;
}

static void ids_free(Ids *ids)
{
    free(ids->ix.keys);
    free(ids->ix.vals);
    free(ids->v);
}

static void collect(const Replay *rp, Ids *pages, Ids *deltas)
{
    for (size_t i = 0; i < rp->nkf; i++)
        for (int k = 0; k < NSV; k++) {
            const SnapVec *sv = kf_sv_of(rp->kf[i].snap, k);
            for (uint32_t p = 0; p < npages(sv->base_n); p++)
                if (sv->pages[p])
                    ids_add(pages, sv->pages[p]);
            for (uint32_t d = 0; d < sv->ndeltas; d++)
                ids_add(deltas, sv->deltas[d]);
        }
}

static void put_delta(Out *o, const WDelta *d)
{
    uint32_t words = 0;
    for (uint32_t e = 0; e < d->n; e++)
        words += (uint32_t)__builtin_popcountll(d->mask[e]);
    put32(o, d->n), put32(o, d->n_after), put32(o, words);
    put(o, d->mask, d->n * sizeof *d->mask);
    put(o, d->idx, d->n * sizeof *d->idx);
    put(o, d->words, words * sizeof *d->words);
}

static void put_frame(Out *o, const Keyframe *kf, Ids *pages, Ids *deltas)
{
    const WSnap *s = kf->snap;
    uint64_t head[4] = {kf->at, kf->step, kf->size, s->serial};
    put(o, head, sizeof head);
    put(o, &s->c, sizeof s->c);
    put(o, &s->nar, sizeof s->nar);
    put32(o, s->frame_serial);
    for (int k = 0; k < NSV; k++) {
        const SnapVec *sv = kf_sv_of((WSnap *)s, k);
        put32(o, sv->n), put32(o, sv->base_n), put32(o, sv->ndeltas);
        for (uint32_t p = 0; p < npages(sv->base_n); p++)
            put32(o, sv->pages[p] ? ids_add(pages, sv->pages[p]) : KF_NONE);
        for (uint32_t d = 0; d < sv->ndeltas; d++)
            put32(o, ids_add(deltas, sv->deltas[d]));
    }
}

static void put_history(Out *o, const WHistory *h)
{
    put32(o, h->n);
    put(o, h->link, (size_t)h->n * sizeof *h->link);
    put32(o, h->newest.cap), put32(o, h->newest.n);
    put(o, h->newest.keys, (size_t)h->newest.cap * sizeof *h->newest.keys);
    put(o, h->newest.vals, (size_t)h->newest.cap * sizeof *h->newest.vals);
}

static void put_all(Out *o, const Replay *rp, Ids *pages, Ids *deltas)
{
    KfHeader h;
    kf_header_make(rp, kf_trace_crc(rp), &h);
    put(o, &h, sizeof h);
    KfMeta m = {rp->nevents, rp->status, rp->marks_as_steps, {0}, rp->has, rp->interval,
                rp->nsteps, rp->nkf, pages->n, deltas->n};
    snprintf(m.message, sizeof m.message, "%s", rp->message);
    put(o, &m, sizeof m);
    put(o, rp->steps, rp->nsteps * sizeof *rp->steps);
    for (uint32_t i = 0; i < pages->n; i++) {
        const WPage *pg = pages->v[i];
        put32(o, pg->bytes - (uint32_t)sizeof *pg), put32(o, pg->live);
        put(o, pg->data, pg->bytes - sizeof *pg);
    }
    for (uint32_t i = 0; i < deltas->n; i++)
        put_delta(o, deltas->v[i]);
    for (size_t i = 0; i < rp->nkf; i++)
        put_frame(o, &rp->kf[i], pages, deltas);
    put_history(o, &rp->w.obj_hist);
    uint32_t crc = o->crc;
    put32(o, crc);
}

int keyframes_save(const Replay *rp, const char *path, char *err, size_t n)
{
    if (!rp->usable || !replay_indexed(rp)) {
        kf_fail(err, n, "%s: the trace is not indexed yet", path);
        return -1;
    }
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        kf_fail(err, n, "%s: path too long", path);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        kf_fail(err, n, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fchmod(fd, 0644);
    Out o = {fdopen(fd, "wb"), 0};
    if (!o.f) {
        close(fd);
        unlink(tmp);
        kf_fail(err, n, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    setvbuf(o.f, NULL, _IOFBF, 1u << 20);
    Ids pages = {0}, deltas = {0};
    collect(rp, &pages, &deltas);
    put_all(&o, rp, &pages, &deltas);
    ids_free(&pages);
    ids_free(&deltas);
    bool bad = ferror(o.f) != 0;
    bad |= fclose(o.f) != 0;
    if (bad || rename(tmp, path) != 0) {
        kf_fail(err, n, "cannot write %s: %s", path, strerror(errno ? errno : EIO));
        unlink(tmp);
        return -1;
    }
    return 0;
}

bool keyframes_path(const char *trace, char *out, size_t n)
{
    return snprintf(out, n, "%s.keyframes", trace) < (int)n;
}

