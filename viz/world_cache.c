/*
 * world_cache.c — cache lines per core with their MESI state, the bytes each
 * core touched in them, the last invalidations, and the access counters.
 *
 * The trace's ACCESS events carry the accessing core's state after the
 * access; INVALIDATE, DOWNGRADE and EVICT change the other cores' copies.
 * The World places lines in a set-associative array of the header's geometry
 * (capped at WORLD_CACHE_MAX_LINES per core); when the trace omits an EVICT
 * and a set is full, the least recently touched way makes room, as the
 * cache it was recorded on would have.
 *
 * Invariant: a valid line (state != MESI_I) appears at most once per core;
 * every line changed goes through touch() (keyframe pages, see world.h).
 */
#include "world.h"

#include <string.h>

static WLine *set_of(World *w, unsigned core, uint64_t line)
{
    uint64_t l = line >> w->line_shift;
    uint64_t set = w->set_mask ? l & w->set_mask : l % w->nsets;
    return &w->lines[((size_t)core * w->nsets + set) * w->ways];
}

/* l is about to change: its keyframe page no longer matches. */
static WLine *touch(World *w, WLine *l)
{
    if (l)
        wpages_dirty(&w->lines_pg, (uint32_t)(l - w->lines));
    return l;
}

const WLine *world_line(const World *w, unsigned core, uint64_t line)
{
    if (core >= w->params.ncores)
        return NULL;
    const WLine *s = set_of((World *)w, core, line);
    for (unsigned i = 0; i < w->ways; i++)
        if (s[i].state != MESI_I && s[i].line == line)
            return &s[i];
    return NULL;
}

/* The line, to be changed, or NULL. */
static WLine *line_find(World *w, unsigned core, uint64_t line)
{
    return touch(w, (WLine *)world_line(w, core, line));
}

/* The way for line among a set's ways: its own, else the first invalid
 * one, else the first least recently touched.  One pass, one key per way
 * (its own 0, invalid 1, valid last + 2) and the first smallest wins: the
 * compiler turns it into conditional moves, and unrolls it for a constant
 * number of ways. */
static inline __attribute__((always_inline)) unsigned
pick_way(const WLine *s, unsigned ways, uint64_t line, bool *own)
{
    unsigned v = 0;
    uint64_t best = UINT64_MAX;
#pragma GCC unroll 16
    for (unsigned i = 0; i < ways; i++) {
        bool valid = s[i].state != MESI_I;
        uint64_t key = !valid ? 1 : s[i].line == line ? 0 : s[i].last + 2;
        v = key < best ? i : v;
        best = key < best ? key : best;
    }
    *own = best == 0;
    return v;
}

/* The way for line in core's cache: its own, a free one, or the LRU one. */
static WLine *line_place(World *w, unsigned core, uint64_t line)
{
    WLine *s = set_of(w, core, line);
    bool own;
    unsigned v = w->ways == 8 ? pick_way(s, 8, line, &own) /* the usual L1 */
                              : pick_way(s, w->ways, line, &own);
    WLine *l = &s[v];
    wpages_dirty(&w->lines_pg, (uint32_t)(l - w->lines));
    if (!own) { /* a new line in a free or evicted way */
        memset(l, 0, sizeof *l);
        l->line = line;
    }
    return l;
}

/* Bits for bytes [off, off+n) of a line: one bit per byte up to 64-byte
 * lines, one bit per line/64 bytes beyond. */
static uint64_t byte_mask(const World *w, uint64_t off, uint64_t n)
{
    unsigned gran = w->params.line_size > 64 ? w->params.line_size / 64 : 1;
    uint64_t lo = off, hi = off + n;
    if (gran > 1) /* no divisions on the common path */
        lo = off / gran, hi = (off + n + gran - 1) / gran;
    if (hi > 64)
        hi = 64;
    if (lo >= hi)
        return 0;
    uint64_t m = hi - lo == 64 ? ~0ull : ((1ull << (hi - lo)) - 1);
    return m << lo;
}

static void apply_access(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    unsigned info = (unsigned)f[4], outcome = ACCESS_INFO_OUTCOME(info);
    bool write = ACCESS_INFO_FLAGS(info) & ACCESS_WRITE;
    w->c.accesses++;
    w->c.writes += write;
    w->c.reads += !write;
    if (outcome >= OUTCOME_COUNT)
        outcome = OUTCOME_NONE;
    w->c.outcome[outcome]++;
    if (w->nar.has_cost && outcome != OUTCOME_NONE)
        w->c.cycles += w->nar.cost[outcome - 1] +
                       (ACCESS_INFO_FLAGS(info) & ACCESS_ATOMIC ? w->nar.cost[5] : 0);
    if (outcome == OUTCOME_NONE || f[0] >= w->params.ncores)
        return;
    uint64_t mask = w->params.line_size - 1, line = f[2] & ~mask;
    unsigned after = ACCESS_INFO_AFTER(info);
    WLine *l = after == MESI_I ? line_find(w, (unsigned)f[0], line)
                               : line_place(w, (unsigned)f[0], line);
    if (!l)
        return;
    l->state = (uint8_t)after;
    l->touched |= byte_mask(w, f[2] & mask, f[3]);
    l->last = e->index;
}

static void remember(World *w, const Event *e)
{
    if (w->recent.n == WORLD_RECENT)
        memmove(w->recent.v, w->recent.v + 1, --w->recent.n * sizeof *w->recent.v);
    WInval *r = WVEC_PUSH(w->recent);
    r->at = e->index;
    r->writer = (uint8_t)(e->f[0] & 7);
    r->victim = (uint8_t)(e->f[1] & 7);
    r->line = e->f[2];
    r->wmask = e->f[3];
    r->vmask = e->f[4];
    r->false_sharing = e->f[5] != 0;
}

void world_apply_cache(World *w, const Event *e)
{
    const uint64_t *f = e->f, mask = ~(uint64_t)(w->params.line_size - 1);
    WLine *l;
    switch (e->type) {
    case EV_ACCESS: apply_access(w, e); break;
    case EV_INVALIDATE:
        w->c.invalidations++;
        w->c.false_sharing += f[5] != 0;
        w->c.true_sharing += f[5] == 0;
        remember(w, e);
        if (f[1] < w->params.ncores && (l = line_find(w, (unsigned)f[1], f[2] & mask))) {
            l->state = MESI_I;
            l->last = e->index;
        }
        break;
    case EV_DOWNGRADE:
        w->c.writebacks += f[3] != 0;
        if (f[0] < w->params.ncores && (l = line_find(w, (unsigned)f[0], f[1] & mask))) {
            l->state = MESI_S;
            l->last = e->index;
        }
        break;
    case EV_EVICT:
        w->c.writebacks += f[2] != 0;
        if (f[0] < w->params.ncores && (l = line_find(w, (unsigned)f[0], f[1] & mask)))
            memset(l, 0, sizeof *l);
        break;
    }
}
