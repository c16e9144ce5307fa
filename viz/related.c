/*
 * related.c — find the events that mention an address range.
 *
 * Invariant: see related.h.  Each event is tested field by field from the
 * schema: 'a' fields named "line" match by overlap of the whole line, other
 * 'a' fields by containment; map growths and evacuations also by the
 * bucket arrays and the old bucket they stand for.
 */
#include "related.h"

#include <stdbool.h>
#include <string.h>

/* Which 'a' fields of each type are cache lines (bit i: field i). */
static unsigned line_fields(unsigned type)
{
    int k = event_field(type, "line");
    return k >= 0 ? 1u << k : 0;
}

static int mentions(const Event *e, uint64_t lo, uint64_t hi, unsigned line_size)
{
    const char *kinds = event_info(e->type)->kinds;
    unsigned lines = line_fields(e->type);
    for (unsigned i = 0; i < e->nfields; i++) {
        if (kinds[i] != 'a')
            continue;
        uint64_t a = e->f[i];
        if ((lines >> i) & 1u ? a < hi && a + line_size > lo : a >= lo && a < hi)
            return 1;
    }
    return 0;
}

/* What the scan knows of each map, to place its evacuations: an EVACUATE
 * names an old bucket by index, not by address. */
#define RELATED_MAPS 64
typedef struct {
    uint64_t h, bucketsize, oldbuckets;
} MapSeen;

typedef struct {
    MapSeen m[RELATED_MAPS];
    unsigned n;
} Maps;

static MapSeen *map_seen(Maps *ms, uint64_t h, bool add)
{
    for (unsigned i = 0; i < ms->n; i++)
        if (ms->m[i].h == h)
            return &ms->m[i];
    if (!add || ms->n == RELATED_MAPS)
        return NULL;
    ms->m[ms->n] = (MapSeen){h, 0, 0};
    return &ms->m[ms->n++];
}

/* Bytes of 2^B buckets; 0 for a size no address space holds (B comes
 * from the trace). */
static uint64_t array_bytes(uint64_t B, uint64_t bucketsize)
{
    if (B >= 48 || bucketsize > UINT64_MAX >> B)
        return 0;
    return bucketsize << B;
}

static bool overlaps(uint64_t a, uint64_t len, uint64_t lo, uint64_t hi)
{
    return len && a < hi && (a > UINT64_MAX - len ? UINT64_MAX : a + len) > lo;
}

/* Map events that concern [lo, hi) without naming an address in it: a
 * growth that retired or installed the bucket array holding it, and the
 * evacuation of the old bucket it is. */
static bool map_mentions(Maps *ms, const Event *e, uint64_t lo, uint64_t hi)
{
    const uint64_t *f = e->f;
    MapSeen *m;
    switch (e->type) {
    case EV_MAP_NEW:
        if ((m = map_seen(ms, f[0], true)))
            m->bucketsize = f[3], m->oldbuckets = 0;
        return false;
    case EV_MAP_GROW_START:
        if (!(m = map_seen(ms, f[0], true)))
            return false;
        m->oldbuckets = f[4];
        return overlaps(f[4], array_bytes(f[1], m->bucketsize), lo, hi) ||
               overlaps(f[5], array_bytes(f[2], m->bucketsize), lo, hi);
    case EV_MAP_EVACUATE:
        if (!(m = map_seen(ms, f[0], false)) || !m->bucketsize ||
            f[1] > (UINT64_MAX - m->oldbuckets) / m->bucketsize)
            return false;
        return overlaps(m->oldbuckets + f[1] * m->bucketsize, m->bucketsize, lo, hi);
    default:
        return false;
    }
}

size_t related_find(TraceReader *r, uint64_t lo, uint64_t hi, unsigned line_size,
                    uint64_t *out, size_t max)
{
    size_t n = 0;
    TraceCursor c;
    trace_cursor_init(&c, r);
    Event e;
    Maps maps = {.n = 0};
    while (n < max && trace_cursor_next(&c, &e))
        if (map_mentions(&maps, &e, lo, hi) || mentions(&e, lo, hi, line_size ? line_size : 64))
            out[n++] = e.index;
    trace_cursor_free(&c);
    return n;
}

size_t related_find_kinds(TraceReader *r, uint64_t obj, uint64_t types, uint64_t *out,
                          size_t max)
{
    size_t n = 0;
    TraceCursor c;
    trace_cursor_init(&c, r);
    Event e;
    while (n < max && trace_cursor_next(&c, &e))
        if (e.type < 64 && (types >> e.type & 1) && e.nfields && e.f[0] == obj)
            out[n++] = e.index;
    trace_cursor_free(&c);
    return n;
}

uint64_t related_step(const uint64_t *rel, size_t n, uint64_t pos, int dir)
{
    if (dir > 0) {
        for (size_t i = 0; i < n; i++)
            if (rel[i] + 1 > pos) /* the position just after the event */
                return rel[i] + 1;
    } else {
        for (size_t i = n; i-- > 0;)
            if (rel[i] + 1 < pos)
                return rel[i] + 1;
    }
    return pos;
}
