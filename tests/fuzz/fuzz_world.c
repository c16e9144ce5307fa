/*
 * fuzz_world.c — libFuzzer target for the viewer's World: any sequence of
 * well-formed events with any field values (the bytes choose the types and
 * the values, mostly among a few addresses so that events meet what others
 * made) is applied without a crash, a hang or undefined behaviour, and a
 * keyframe restored and replayed from comes out equal to the World applied
 * straight through.  The trace reader's own target is fuzz_trace_read.c;
 * this one starts after the reader, where a CRC would stop most mutations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

typedef struct {
    const uint8_t *p, *end;
} Bytes;

static uint64_t take(Bytes *b, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n && b->p < b->end; i++)
        v = v << 8 | *b->p++;
    return v;
}

/* A field value: small numbers, edges, or one of 16 addresses (and a word
 * or a bucket past it), as in test_hostile. */
static uint64_t value(Bytes *b)
{
    static const uint64_t base = 0xc000000000ull;
    unsigned sel = (unsigned)take(b, 1);
    switch (sel % 10) {
    case 0: return sel / 10;
    case 1: return take(b, 1);
    case 2: return take(b, 2);
    case 3: return UINT64_MAX - sel / 10 % 3;
    case 4: return (uint64_t)1 << (sel / 10 % 64);
    case 5: return take(b, 8);
    default: return base + (take(b, 1) % 16) * 0x1000 + (sel / 10 % 4) * (sel % 2 ? 8 : 144);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Bytes b = {data, data + size};
    TraceParams p = trace_params_default();
    if (take(&b, 1) % 4 == 0) { /* a geometry no recorder writes */
        p.ncores = (uint8_t)(take(&b, 1) % 10);
        p.ways = (uint16_t)(take(&b, 1) % 80);
        p.cache_size = (uint32_t)take(&b, 3) % 100000;
        p.line_size = (uint16_t)(8u << (take(&b, 1) % 5));
    }
    World w, ref;
    world_init(&w, &p);
    enum { MAX_EVENTS = 4096 };
    Event *evs = calloc(MAX_EVENTS, sizeof *evs);
    WSnap *snap = NULL;
    uint64_t snap_at = 0, n = 0;
    while (b.p < b.end && n < MAX_EVENTS) {
        Event *e = &evs[n];
        e->type = (uint16_t)(take(&b, 1) % EV_COUNT);
        e->nfields = event_nfields[e->type];
        for (unsigned j = 0; j < e->nfields; j++)
            e->f[j] = event_kinds[e->type][j] == 's' ? take(&b, 1) % 4 : value(&b);
        e->index = n++;
        if (n == 1 + size % 97) { /* a keyframe somewhere in the middle */
            snap = world_snap(&w);
            snap_at = n - 1;
        }
        world_apply(&w, e);
    }
    if (snap) { /* back to the keyframe and on again: the same World as */
        world_snap_restore(&w, snap); /* one applied straight through */
        for (uint64_t i = snap_at; i < n; i++)
            world_apply(&w, &evs[i]);
        world_snap_free(snap);
        world_init(&ref, &p);
        for (uint64_t i = 0; i < n; i++)
            world_apply(&ref, &evs[i]);
        if (!world_equal(&w, &ref))
            abort();
        world_free(&ref);
    }
    world_free(&w);
    free(evs);
    return 0;
}
