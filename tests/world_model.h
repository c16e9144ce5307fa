/*
 * world_model.h — helpers for the tests that compare the viewer's World
 * with the model that recorded the trace (test_world_model.c,
 * test_world_maps.c): run a model on a recording machine, then rebuild the
 * World from what it recorded, all at once or position by position.
 */
#ifndef GMV_TEST_WORLD_MODEL_H
#define GMV_TEST_WORLD_MODEL_H

#include "testutil.h"

#include <string.h>

#include "machine.h"
#include "trace_read.h"
#include "world.h"

/* Start m on cfg, recording into mt. */
static inline void start(Machine *m, MemTrace *mt, MachineConfig cfg)
{
    TraceParams tp = trace_params_default();
    tp.ncores = (uint8_t)cfg.ncores;
    tp.flags = cfg.cache ? TRACE_FLAG_CACHE : 0;
    memtrace_open(mt, &tp);
    machine_init(m, &mt->tr, &cfg);
}

/* Stop recording (the model stays, for the comparison) and open what m
 * recorded into mt: *w is the World before the first event, c the cursor
 * that advance() moves it on with.  close_world frees all four. */
static inline void open_world(Machine *m, MemTrace *mt, TraceReader *r, TraceCursor *c, World *w)
{
    m->tr = m->heap.tr = NULL;
    for (unsigned g = 0; g < m->ng; g++)
        if (m->g[g])
            m->g[g]->tr = NULL;
    memtrace_close(mt);
    assert_int_equal(trace_open_mem(r, (uint8_t *)mt->buf, mt->len), TRACE_OK);
    world_init(w, &r->params);
    trace_cursor_init(c, r);
}

/* Apply events until the World is at position `to` (or the trace ends). */
static inline void advance(World *w, TraceCursor *c, uint64_t to)
{
    Event e;
    while (w->c.events < to && trace_cursor_next(c, &e))
        world_apply(w, &e);
}

static inline void close_world(MemTrace *mt, TraceReader *r, TraceCursor *c, World *w)
{
    trace_cursor_free(c);
    trace_close(r);
    free(mt->buf);
    world_free(w);
}

/* The World of everything m recorded into mt (world_free it). */
static inline void rebuild(Machine *m, MemTrace *mt, World *w)
{
    TraceReader r;
    TraceCursor c;
    open_world(m, mt, &r, &c, w);
    advance(w, &c, UINT64_MAX);
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt->buf);
}

#endif
