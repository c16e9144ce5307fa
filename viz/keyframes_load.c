/*
 * keyframes_load.c — reading a keyframes file back into a Replay (see
 * keyframes_file.h; the layout is in keyframes_file.c).
 *
 * Nothing read is trusted: every count is checked against the bytes left
 * before anything is sized by it, every id and length against what it
 * names, chains against cycles, and the whole against the trailer's CRC.
 * Only then does the Replay take what was read; on any failure it is left
 * as it was, and every page and delta made is let go again.  The records
 * in the pages (a World's contents) are taken as they are once the CRC
 * matches: the checks find damage, they do not stand up to a forger.
 */
#include "keyframes_format.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IN_BUF (1u << 20)

typedef struct {
    int fd;
    unsigned char *buf;
    size_t len, pos;            /* buffered bytes [pos, len) */
    uint64_t left;              /* bytes of the file not consumed yet */
    uint32_t crc;
    bool bad;
} In;

/* n bytes into dst, unless fewer than n are left (then `bad`). */
static bool get_raw(In *in, void *dst, size_t n)
{
    if (in->bad || n > in->left)
        return !(in->bad = true);
    unsigned char *d = dst;
    for (size_t k = n; k;) {
        if (in->pos == in->len) {
            bool direct = k >= IN_BUF / 2; /* the history: no copy through buf */
            ssize_t got = read(in->fd, direct ? d : in->buf, direct ? k : IN_BUF);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                return !(in->bad = true);
            if (direct) {
                d += got, k -= (size_t)got;
                continue;
            }
            in->len = (size_t)got, in->pos = 0;
        }
        size_t c = k < in->len - in->pos ? k : in->len - in->pos;
        memcpy(d, in->buf + in->pos, c);
        in->pos += c, d += c, k -= c;
    }
    in->left -= n;
    return true;
}

static bool get(In *in, void *dst, size_t n)
{
    if (!get_raw(in, dst, n))
        return false;
    in->crc = libdeflate_crc32(in->crc, dst, n);
    return true;
}

static uint32_t get32(In *in)
{
    uint32_t v = 0;
    get(in, &v, sizeof v);
    return v;
}

/* Room for `count` records of at least `each` bytes in what is left. */
static bool room(In *in, uint64_t count, uint64_t each)
{
    if (count > in->left / (each ? each : 1))
        in->bad = true;
    return !in->bad;
}

/* What a load has made so far: freed if it fails. */
typedef struct {
    KfMeta m;
    StepMark *steps;
    WPage **pages;
    WDelta **deltas;
    uint64_t *dmask;            /* each delta's masks or'ed: the words it writes */
    uint32_t npages, ndeltas;
    Keyframe *kf;
    size_t nkf;
    WHistory hist;
    size_t elem[NSV];
} Loaded;

static void loaded_free(Loaded *l)
{
    for (size_t i = 0; i < l->nkf; i++)
        world_snap_free(l->kf[i].snap);
    for (uint32_t i = 0; i < l->npages; i++)
        wpage_unref(l->pages[i]);
    for (uint32_t i = 0; i < l->ndeltas; i++)
        wdelta_unref(l->deltas[i]);
    free(l->kf), free(l->pages), free(l->deltas), free(l->dmask), free(l->steps);
    whist_free(&l->hist);
}

static bool get_pages(In *in, World *w, Loaded *l)
{
    if (!room(in, l->m.npages, 8))
        return false;
    l->pages = wsnap_xmalloc(l->m.npages * sizeof *l->pages);
    for (; l->npages < l->m.npages; l->npages++) {
        uint32_t len = get32(in), live = get32(in);
        if (!room(in, len, 1) || live > WPAGE)
            return !(in->bad = true);
        WPage *pg = wsnap_page_new(w, len);
        pg->live = live;
        l->pages[l->npages] = pg;
        if (!get(in, pg->data, len))
            return false;
    }
    return true;
}

static bool get_delta(In *in, World *w, Loaded *l)
{
    uint32_t n = get32(in), n_after = get32(in), words = get32(in);
    if (!room(in, (uint64_t)n * 12 + (uint64_t)words * 4, 1) || n_after > l->m.nevents)
        return !(in->bad = true);
    WDelta *d = wdelta_new(w, n, n_after, words);
    l->deltas[l->ndeltas++] = d;
    if (!get(in, d->mask, n * sizeof *d->mask) || !get(in, d->idx, n * sizeof *d->idx) ||
        !get(in, d->words, words * sizeof *d->words))
        return false;
    uint64_t or = 0, count = 0;
    for (uint32_t e = 0; e < n; e++) {
        if (d->idx[e] >= n_after || (e && d->idx[e] <= d->idx[e - 1]))
            return !(in->bad = true);
        or |= d->mask[e];
        count += (uint64_t)__builtin_popcountll(d->mask[e]);
    }
    l->dmask[l->ndeltas - 1] = or;
    return count == words || !(in->bad = true);
}

static bool get_deltas(In *in, World *w, Loaded *l)
{
    if (!room(in, l->m.ndeltas, 12))
        return false;
    l->deltas = wsnap_xmalloc(l->m.ndeltas * sizeof *l->deltas);
    l->dmask = wsnap_xmalloc(l->m.ndeltas * sizeof *l->dmask);
    while (l->ndeltas < l->m.ndeltas)
        if (!get_delta(in, w, l))
            return false;
    return true;
}

/* Page p of array k names page id: one of the right size, or for the
 * objects a whole page let go. */
static bool page_ok(const Loaded *l, int k, uint32_t id, uint32_t p, uint32_t base_n)
{
    if (id == KF_NONE)
        return k == 0 && (uint64_t)(p + 1) * WPAGE <= base_n;
    return id < l->npages && l->pages[id]->bytes - sizeof(WPage) == WPAGE * l->elem[k];
}

static bool delta_ok(const Loaded *l, int k, uint32_t id)
{
    size_t words = l->elem[k] / 4;
    return id < l->ndeltas && k > 0 && k <= NVECS && wdelta_enabled(l->elem[k]) &&
           (words >= 64 || l->dmask[id] >> words == 0);
}

static bool get_vec(In *in, const World *w, Loaded *l, int k, SnapVec *sv)
{
    uint32_t n = get32(in), base_n = get32(in), nd = get32(in);
    if (!room(in, (uint64_t)npages(base_n) + nd, 4))
        return false;
    uint64_t most = k == NSV - 1 ? w->nlines : l->m.nevents;
    if (n > most || base_n > most || (k == NSV - 1 && n != w->nlines))
        return !(in->bad = true);
    WPage **pages = wsnap_xmalloc(npages(base_n) * sizeof *pages);
    WDelta **deltas = wsnap_xmalloc(nd * sizeof *deltas);
    sv->pages = pages, sv->deltas = deltas; /* empty until all check out */
    for (uint32_t p = 0; p < npages(base_n); p++) {
        uint32_t id = get32(in);
        if (in->bad || !page_ok(l, k, id, p, base_n))
            return !(in->bad = true);
        pages[p] = id == KF_NONE ? NULL : l->pages[id];
    }
    for (uint32_t d = 0; d < nd; d++) {
        uint32_t id = get32(in);
        if (in->bad || !delta_ok(l, k, id))
            return !(in->bad = true);
        deltas[d] = l->deltas[id];
    }
    if (n != (nd ? deltas[nd - 1]->n_after : base_n))
        return !(in->bad = true);
    for (uint32_t p = 0; p < npages(base_n); p++)
        if (pages[p])
            pages[p]->refs++;
    for (uint32_t d = 0; d < nd; d++)
        deltas[d]->refs++;
    sv->n = n, sv->base_n = base_n, sv->ndeltas = nd;
    return true;
}

static bool get_frame(In *in, const World *w, Loaded *l)
{
    uint64_t head[4];
    if (!get(in, head, sizeof head))
        return false;
    Keyframe *kf = &l->kf[l->nkf];
    WSnap *s = kf->snap = calloc(1, sizeof *s);
    if (!s)
        abort();
    l->nkf++;
    kf->at = head[0], kf->step = head[1] != 0, kf->size = head[2], s->serial = head[3];
    s->bytes = kf->size;
    get(in, &s->c, sizeof s->c);
    get(in, &s->nar, sizeof s->nar);
    s->frame_serial = get32(in);
    bool order = l->nkf == 1 ? kf->at == 0 : kf->at > kf[-1].at;
    if (!order || kf->at > l->m.nevents)
        return !(in->bad = true);
    for (int k = 0; k < NSV; k++)
        if (!get_vec(in, w, l, k, kf_sv_of(s, k)))
            return false;
    return true;
}

static bool get_history(In *in, Loaded *l)
{
    WHistory *h = &l->hist;
    uint32_t n = get32(in);
    if (n > l->m.nevents || !room(in, n, sizeof(WLink)))
        return !(in->bad = true);
    h->link = wsnap_xmalloc((size_t)n * sizeof *h->link);
    h->n = h->cap = n;
    if (!get(in, h->link, (size_t)n * sizeof *h->link))
        return false;
    for (uint32_t i = 0; i < n; i++) /* chains fall, so a walk ends */
        if (h->link[i].prev > i || !h->link[i].jump || h->link[i].jump > i + 1)
            return !(in->bad = true);
    WIndex *ix = &h->newest;
    uint32_t cap = get32(in), used = get32(in);
    if ((cap & (cap - 1)) || (cap && (uint64_t)used * 4 > (uint64_t)cap * 3) ||
        (!cap && used) || !room(in, cap, 12))
        return !(in->bad = true);
    ix->keys = wsnap_xmalloc((size_t)cap * sizeof *ix->keys);
    ix->vals = wsnap_xmalloc((size_t)cap * sizeof *ix->vals);
    ix->cap = cap, ix->n = used;
    if (!get(in, ix->keys, (size_t)cap * 8) || !get(in, ix->vals, (size_t)cap * 4))
        return false;
    uint32_t count = 0;
    for (uint32_t i = 0; i < cap; i++) {
        if (ix->vals[i] > n)
            return !(in->bad = true);
        count += ix->vals[i] != 0;
    }
    return count == used || !(in->bad = true);
}

static bool get_body(In *in, World *w, Loaded *l)
{
    if (!get(in, &l->m, sizeof l->m) || l->m.nsteps > l->m.nevents + 1 ||
        !room(in, l->m.nsteps, sizeof(StepMark)) || !room(in, l->m.nkf, 64))
        return !(in->bad = true);
    l->steps = wsnap_xmalloc(l->m.nsteps * sizeof *l->steps);
    if (!get(in, l->steps, l->m.nsteps * sizeof *l->steps))
        return false;
    for (uint64_t i = 0; i < l->m.nsteps; i++)
        if (l->steps[i].at > l->m.nevents || (i && l->steps[i].at < l->steps[i - 1].at))
            return !(in->bad = true);
    if (!get_pages(in, w, l) || !get_deltas(in, w, l))
        return false;
    l->kf = wsnap_xmalloc((l->m.nkf ? l->m.nkf : 1) * sizeof *l->kf);
    while (l->nkf < l->m.nkf)
        if (!get_frame(in, w, l))
            return false;
    if (!l->nkf || !get_history(in, l))
        return !(in->bad = true);
    uint32_t want = in->crc, crc;
    if (!get_raw(in, &crc, sizeof crc) || crc != want || in->left)
        return !(in->bad = true);
    return true;
}

/* Why a header does not fit this trace and build, or NULL if it does. */
static const char *header_check(const Replay *rp, const KfHeader *h)
{
    KfHeader want;
    if (memcmp(h->magic, "GMVKEYF\n", 8) != 0)
        return "not a keyframes file";
    kf_header_make(rp, 0, &want);
    if (h->version != want.version || h->order != want.order || h->wpage != want.wpage ||
        h->nsizes != want.nsizes || memcmp(h->sizes, want.sizes, sizeof h->sizes) != 0)
        return "written by another version of gomemviz";
    if (memcmp(h->build, want.build, sizeof h->build) != 0)
        return "written by another build of gomemviz";
    if (h->trace_size != want.trace_size || h->trace_crc != kf_trace_crc(rp))
        return "made from another trace, or the trace changed since";
    if (h->interval_asked != want.interval_asked || h->budget != want.budget)
        return "made with other keyframe options";
    return NULL;
}

static void install(Replay *rp, Loaded *l)
{
    rp->nevents = l->m.nevents;
    rp->status = (TraceStatus)l->m.status;
    snprintf(rp->message, sizeof rp->message, "%.*s", (int)sizeof l->m.message - 1,
             l->m.message);
    rp->has = l->m.has;
    rp->marks_as_steps = l->m.marks_as_steps != 0;
    rp->interval = l->m.interval;
    rp->steps = l->steps;
    rp->nsteps = rp->steps_cap = l->m.nsteps;
    rp->kf = l->kf;
    rp->nkf = rp->kf_cap = l->nkf;
    rp->kf_tables = 0;
    for (size_t i = 0; i < l->nkf; i++) {
        rp->kf_tables += l->kf[i].size;
        if (l->kf[i].snap->serial > rp->w.snap_serial)
            rp->w.snap_serial = l->kf[i].snap->serial;
    }
    rp->indexed = rp->nevents;
    rp->last_kf = l->kf[l->nkf - 1].at;
    whist_free(&rp->w.obj_hist);
    rp->w.obj_hist = l->hist;
    /* rp owns those now; the rest goes, the loader's references on pages
     * and deltas with it (the keyframes hold their own) */
    l->kf = NULL, l->nkf = 0, l->steps = NULL;
    memset(&l->hist, 0, sizeof l->hist);
    loaded_free(l);
    rp->kf_bytes = rp->kf_tables + rp->w.page_bytes;
}

bool keyframes_load(Replay *rp, const char *path, char *err, size_t n)
{
    err[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            kf_fail(err, n, "%s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    In in = {.fd = fd};
    KfHeader h;
    const char *why = "damaged or cut short";
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (in.buf = malloc(IN_BUF))) {
        in.left = (uint64_t)st.st_size;
        if (get(&in, &h, sizeof h))
            why = header_check(rp, &h);
    }
    Loaded l = {0};
    kf_sv_elems(l.elem);
    if (!why && !(get_body(&in, &rp->w, &l) && l.m.nevents <= rp->r.nevents &&
                  l.m.status <= TRACE_DAMAGED && l.m.interval >= rp->interval))
        why = "damaged or cut short";
    free(in.buf);
    close(fd);
    if (why) {
        loaded_free(&l);
        kf_fail(err, n, "%s: %s", path, why);
        return false;
    }
    install(rp, &l);
    return true;
}
