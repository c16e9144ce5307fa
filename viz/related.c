/*
 * related.c — find the events that mention an address range.
 *
 * Invariant: see related.h.  Each event is tested field by field from the
 * schema: 'a' fields named "line" match by overlap of the whole line, other
 * 'a' fields by containment.
 */
#include "related.h"

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

size_t related_find(TraceReader *r, uint64_t lo, uint64_t hi, unsigned line_size,
                    uint64_t *out, size_t max)
{
    size_t n = 0;
    TraceCursor c;
    trace_cursor_init(&c, r);
    Event e;
    while (n < max && trace_cursor_next(&c, &e))
        if (mentions(&e, lo, hi, line_size ? line_size : 64))
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
