/*
 * replay.c — the index pass, keyframes and seeking (see replay.h).
 *
 * Invariant: kf[0].at == 0 and keyframes are sorted by `at`; kf_tables is
 * the sum of their sizes and kf_bytes that plus the World's page bytes, as
 * of the last keyframe taken or dropped; a keyframe's snap is the World
 * before event `at`.  The index pass has applied events [0, indexed), a
 * chunk boundary (or nevents), and every keyframe is at or below it; while
 * it is unfinished, either the World is at `indexed` or `frontier` is a
 * snapshot of the World there (taken as a seek leaves it).
 */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keyframes_file.h"
#include "trace_ahead.h"

#define DEFAULT_INTERVAL 4096
#define MIN_BUDGET (16u << 20)

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Decode chunk ci into the buffer unless it is there already. */
static bool load_chunk(Replay *rp, size_t ci)
{
    if (rp->buf_valid && rp->buf_chunk == ci)
        return true;
    const TraceChunk *c = &rp->r.chunks[ci];
    if (c->count > rp->buf_cap) {
        rp->buf_cap = c->count;
        rp->buf = xrealloc(rp->buf, rp->buf_cap * sizeof *rp->buf);
    }
    rp->buf_valid = false;
    if (trace_decode_chunk(&rp->r, ci, rp->buf) != 0)
        return false;
    trace_release(&rp->r, c->offset, c->offset + c->len); /* decoded: in buf now */
    rp->buf_valid = true;
    rp->buf_chunk = ci;
    return true;
}

/* Drop every other keyframe not taken at a step (all of them every other if
 * only step keyframes are left), and double the interval. */
static void thin(Replay *rp)
{
    bool steps_only = true;
    for (size_t i = 1; i < rp->nkf; i++)
        steps_only &= rp->kf[i].step;
    size_t k = 1, seen = 0;
    for (size_t i = 1; i < rp->nkf; i++) {
        bool droppable = steps_only || !rp->kf[i].step;
        if (droppable && (seen++ & 1) == 0) {
            rp->kf_tables -= rp->kf[i].size;
            world_snap_free(rp->kf[i].snap);
            continue;
        }
        rp->kf[k++] = rp->kf[i];
    }
    rp->nkf = k;
    rp->interval *= 2;
    rp->kf_bytes = rp->kf_tables + rp->w.page_bytes;
}

static void take_keyframe(Replay *rp, bool step)
{
    if (rp->nkf == rp->kf_cap) {
        rp->kf_cap = rp->kf_cap ? rp->kf_cap * 2 : 64;
        rp->kf = xrealloc(rp->kf, rp->kf_cap * sizeof *rp->kf);
    }
    Keyframe *k = &rp->kf[rp->nkf++];
    k->at = replay_pos(rp);
    k->step = step;
    k->snap = world_snap(&rp->w);
    k->size = world_snap_bytes(k->snap);
    rp->kf_tables += k->size;
    rp->kf_bytes = rp->kf_tables + rp->w.page_bytes;
    while (rp->kf_bytes > rp->budget && rp->nkf > 2)
        thin(rp);
}

static void note(Replay *rp, const Event *e)
{
    ReplayHas *h = &rp->has;
    switch (e->type) {
    case EV_ALLOC: case EV_SPAN_NEW: h->heap = true; break;
    case EV_G_CREATE: case EV_FRAME_PUSH: h->stacks = true; break;
    case EV_MAP_NEW: h->maps = true; break;
    case EV_SM_NEW: h->syncmaps = true; break;
    case EV_ACCESS: h->cache |= ACCESS_INFO_OUTCOME(e->f[4]) != OUTCOME_NONE; break;
    case EV_INVALIDATE: h->cache = true; break;
    case EV_LESSON_BEGIN: h->lesson = true, h->source |= e->f[2] != 0; break;
    case EV_NARRATE: case EV_MARK: case EV_STEP: h->narration = true; break;
    default: return;
    }
    if (e->type != EV_STEP && e->type != EV_MARK)
        return;
    if (e->type == EV_MARK && rp->nsteps && !rp->marks_as_steps)
        return; /* marks only stand in for steps in traces without steps */
    if (e->type == EV_STEP && rp->marks_as_steps) {
        rp->nsteps = 0;
        rp->marks_as_steps = false;
    }
    if (rp->nsteps == rp->steps_cap) {
        rp->steps_cap = rp->steps_cap ? rp->steps_cap * 2 : 64;
        rp->steps = xrealloc(rp->steps, rp->steps_cap * sizeof *rp->steps);
    }
    StepMark *s = &rp->steps[rp->nsteps++];
    s->at = e->index;
    s->is_mark = e->type == EV_MARK;
    s->index = s->is_mark ? (uint32_t)rp->nsteps - 1 : (uint32_t)e->f[0];
    s->title = (uint32_t)(s->is_mark ? e->f[0] : e->f[1]);
    rp->marks_as_steps = s->is_mark;
}

static TraceAhead *ahead_open(Replay *rp, size_t first, unsigned threads)
{
    TraceAhead *a = trace_ahead_open(&rp->r, first, threads);
    if (!a) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    return a;
}

/* Every 64 chunks: a big trace takes seconds. */
static void progress(Replay *rp, const ReplayOptions *opt, size_t ci)
{
    if (opt && opt->progress && ci % 64 == 0)
        opt->progress(opt->progress_ctx, rp->r.chunks[ci].first, rp->r.nevents);
}

/* Chunk `done` did not decode (the reader says why): the trace ends
 * before it. */
static void stop_at_damage(Replay *rp, size_t done)
{
    if (done >= rp->r.nchunks || rp->r.chunks[done].first >= rp->nevents)
        return;
    rp->nevents = rp->r.chunks[done].first;
    rp->status = rp->r.status;
    snprintf(rp->message, sizeof rp->message, "%s", rp->r.message);
}

/* Apply whole chunks from `indexed` on until it reaches p (or the end),
 * taking keyframes on the way; `notes` also notes steps and panes (when
 * no scan did).  The World must be at `indexed`.  Chunks are decoded by
 * trace_ahead, with a helper thread when there is more than a chunk or two
 * to do.  Chunk boundaries are where the index stops, so that the next call
 * never decodes a chunk twice. */
static void index_to(Replay *rp, uint64_t p, bool notes, const ReplayOptions *opt)
{
    size_t ci = trace_chunk_of(&rp->r, rp->indexed), done = ci;
    if (rp->indexed >= rp->nevents || ci >= rp->r.nchunks)
        return;
    bool big = p - rp->indexed > 2 * (uint64_t)rp->r.chunks[ci].count;
    TraceAhead *a = ahead_open(rp, ci, big ? 0 : 1);
    const Event *buf;
    size_t n;
    while (rp->indexed < p && (buf = trace_ahead_next(a, &n, &ci))) {
        progress(rp, opt, ci);
        for (size_t i = 0; i < n; i++) {
            const Event *e = &buf[i];
            if (e->index - rp->last_kf >= rp->interval ||
                (e->type == EV_STEP && e->index > rp->last_kf)) {
                take_keyframe(rp, e->type == EV_STEP);
                rp->last_kf = e->index;
            }
            if (notes)
                note(rp, e);
            world_apply(&rp->w, e);
        }
        rp->indexed += n;
        done = ci + 1;
    }
    trace_ahead_close(a);
    if (rp->indexed < p)
        stop_at_damage(rp, done);
}

/* The lazy open's one pass: every chunk decoded (on both cores) for its
 * steps and panes only, so that the timeline is whole from the start. */
static void scan_pass(Replay *rp, const ReplayOptions *opt)
{
    TraceAhead *a = ahead_open(rp, 0, 0);
    const Event *buf;
    size_t n, ci, done = 0;
    while ((buf = trace_ahead_next(a, &n, &ci))) {
        progress(rp, opt, ci);
        for (size_t i = 0; i < n; i++)
            note(rp, &buf[i]);
        done++;
    }
    trace_ahead_close(a);
    if (done < rp->r.nchunks)
        stop_at_damage(rp, done);
}

bool replay_indexed(const Replay *rp)
{
    return rp->indexed >= rp->nevents;
}

void replay_index_to(Replay *rp, uint64_t p)
{
    if (p > rp->nevents)
        p = rp->nevents;
    if (p <= rp->indexed)
        return;
    if (rp->frontier) { /* the World was moved away: back to the frontier */
        world_snap_restore(&rp->w, rp->frontier);
        world_snap_free(rp->frontier);
        rp->frontier = NULL;
    }
    index_to(rp, p, false, NULL);
}

void replay_index_more(Replay *rp)
{
    if (!replay_indexed(rp))
        replay_index_to(rp, rp->indexed + 1);
}

static TraceStatus finish_open(Replay *rp, TraceStatus st, const ReplayOptions *opt)
{
    if (st == TRACE_IO_ERROR || rp->r.params.line_size == 0) {
        /* No header we can trust: nothing to show. */
        rp->status = st;
        snprintf(rp->message, sizeof rp->message, "%s", rp->r.message);
        return st;
    }
    rp->usable = true;
    double t0 = now();
    rp->status = st;
    if (st != TRACE_OK)
        snprintf(rp->message, sizeof rp->message, "%s", rp->r.message);
    rp->nevents = rp->r.nevents;
    rp->interval = opt && opt->interval ? opt->interval : DEFAULT_INTERVAL;
    rp->budget = rp->r.size + rp->r.size / 4;
    if (rp->budget < MIN_BUDGET)
        rp->budget = MIN_BUDGET;
    if (opt && opt->budget)
        rp->budget = opt->budget;
    world_init(&rp->w, &rp->r.params);
    rp->interval_asked = rp->interval;
    if (opt && opt->keyframes &&
        keyframes_load(rp, opt->keyframes, rp->kf_note, sizeof rp->kf_note)) {
        rp->from_file = true;
    } else {
        take_keyframe(rp, false);
        if (opt && opt->lazy)
            scan_pass(rp, opt);
        else
            index_to(rp, rp->nevents, true, opt);
    }
    if (opt && opt->progress)
        opt->progress(opt->progress_ctx, rp->r.nevents, rp->r.nevents);
    if (rp->nevents < replay_pos(rp)) /* a chunk failed midway */
        replay_seek(rp, rp->nevents);
    rp->load_seconds = now() - t0;
    return rp->status;
}

TraceStatus replay_open(Replay *rp, const char *path, const ReplayOptions *opt)
{
    memset(rp, 0, sizeof *rp);
    return finish_open(rp, trace_open(&rp->r, path), opt);
}

TraceStatus replay_open_mem(Replay *rp, const uint8_t *data, size_t size,
                            const ReplayOptions *opt)
{
    memset(rp, 0, sizeof *rp);
    return finish_open(rp, trace_open_mem(&rp->r, data, size), opt);
}

void replay_close(Replay *rp)
{
    world_snap_free(rp->frontier);
    for (size_t i = 0; i < rp->nkf; i++) /* before the World: pages count there */
        world_snap_free(rp->kf[i].snap);
    free(rp->kf);
    free(rp->steps);
    free(rp->buf);
    if (rp->w.lines)
        world_free(&rp->w);
    if (rp->r.data || rp->r.chunks || rp->r.strpool)
        trace_close(&rp->r);
    memset(rp, 0, sizeof *rp);
}

/* Apply events [pos, p) (p <= nevents, and all those chunks decode). */
static void forward(Replay *rp, uint64_t p)
{
    while (replay_pos(rp) < p) {
        uint64_t pos = replay_pos(rp);
        size_t ci = trace_chunk_of(&rp->r, pos);
        if (!load_chunk(rp, ci))
            return;
        const TraceChunk *c = &rp->r.chunks[ci];
        uint64_t end = c->first + c->count < p ? c->first + c->count : p;
        for (uint64_t i = pos; i < end; i++)
            world_apply(&rp->w, &rp->buf[i - c->first]);
    }
}

void replay_seek(Replay *rp, uint64_t p)
{
    if (p > rp->nevents)
        p = rp->nevents;
    if (!rp->nkf)
        return;
    if (p > rp->indexed)
        replay_index_to(rp, p);
    if (!replay_indexed(rp) && !rp->frontier && p != replay_pos(rp))
        rp->frontier = world_snap(&rp->w); /* leaving it: the index resumes here */
    size_t lo = 0, hi = rp->nkf;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (rp->kf[mid].at <= p)
            lo = mid;
        else
            hi = mid;
    }
    uint64_t pos = replay_pos(rp);
    if (!(pos <= p && pos >= rp->kf[lo].at))
        world_snap_restore(&rp->w, rp->kf[lo].snap);
    forward(rp, p);
}

bool replay_event(Replay *rp, uint64_t i, Event *out)
{
    if (i >= rp->nevents)
        return false;
    size_t ci = trace_chunk_of(&rp->r, i);
    if (!load_chunk(rp, ci))
        return false;
    *out = rp->buf[i - rp->r.chunks[ci].first];
    return true;
}

long replay_step_at(const Replay *rp, uint64_t p)
{
    long lo = -1, hi = (long)rp->nsteps;
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (rp->steps[mid].at < p)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

uint64_t replay_step_end(const Replay *rp, size_t k)
{
    if (k + 1 < rp->nsteps)
        return rp->steps[k + 1].at;
    return rp->nevents;
}

size_t replay_bytes(const Replay *rp)
{
    return rp->kf_bytes + world_bytes(&rp->w) + rp->buf_cap * sizeof(Event) +
           rp->r.nchunks * sizeof(TraceChunk) + rp->r.pool_used;
}
