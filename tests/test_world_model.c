/*
 * test_world_model.c — the World the viewer rebuilds from a trace, against
 * the model that recorded it.  Every scenario runs (with its own machine,
 * then again with caches on), and at its end the World must hold what the
 * model holds: each core's valid cache lines with their MESI state and the
 * bytes used, every live and garbage heap object with its size, and the
 * heap's counters.  The viewer's tests otherwise check the World against
 * events written by hand; this is what ties it to the real recorder.
 */
#include "testutil.h"

#include <string.h>

#include "cache_internal.h"
#include "lesson.h"
#include "scenario.h"
#include "trace_read.h"
#include "world.h"

/* Start m on cfg, recording into mt. */
static void start(Machine *m, MemTrace *mt, MachineConfig cfg)
{
    TraceParams tp = trace_params_default();
    tp.ncores = (uint8_t)cfg.ncores;
    tp.flags = cfg.cache ? TRACE_FLAG_CACHE : 0;
    memtrace_open(mt, &tp);
    machine_init(m, &mt->tr, &cfg);
}

/* Stop recording (the model stays, for the comparison) and rebuild *w from
 * what m recorded into mt. */
static void rebuild(Machine *m, MemTrace *mt, World *w)
{
    m->tr = m->heap.tr = NULL;
    for (unsigned g = 0; g < m->ng; g++)
        if (m->g[g])
            m->g[g]->tr = NULL;
    memtrace_close(mt);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt->buf, mt->len), TRACE_OK);
    world_init(w, &r.params);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    while (trace_cursor_next(&c, &e))
        world_apply(w, &e);
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt->buf);
}

/* Each core's valid lines, both ways round. */
static void check_caches(const char *name, const Cpu *cpu, unsigned ncores, const World *w)
{
    size_t model = 0, world = 0, ways = (size_t)cpu->nsets * cpu->cfg.ways;
    for (unsigned c = 0; c < ncores; c++) {
        const CoreCache *cc = &cpu->core[c];
        for (size_t i = 0; i < ways; i++) {
            if (cc->tags[i] == NO_LINE)
                continue;
            model++;
            const WLine *l = world_line(w, c, cc->tags[i]);
            if (!l || l->state != cc->lines[i].state || l->touched != cc->lines[i].used)
                fail_msg("%s: core %u line 0x%llx: model %s used 0x%llx, World %s used 0x%llx",
                         name, c, (unsigned long long)cc->tags[i],
                         mesi_state_name(cc->lines[i].state),
                         (unsigned long long)cc->lines[i].used,
                         l ? mesi_state_name(l->state) : "absent",
                         l ? (unsigned long long)l->touched : 0ull);
        }
    }
    for (size_t i = 0; i < (size_t)ncores * w->nsets * w->ways; i++)
        world += w->lines[i].state != MESI_I;
    if (model != world)
        fail_msg("%s: the model holds %zu valid lines, the World %zu", name, model, world);
}

static const int state_of[] = {[OBJ_LIVE] = SLOT_LIVE, [OBJ_GARBAGE] = SLOT_GARBAGE};

/* Every live or garbage heap object, both ways round, and the counters. */
static void check_heap(const char *name, const Heap *h, const World *w)
{
    size_t model = 0, world = 0;
    for (uint32_t s = 0; s < h->nspans; s++) {
        const Span *sp = &h->spans[s];
        for (uint32_t k = 0; sp->in_use && k < sp->nelems; k++) {
            if (sp->slot[k] == SLOT_FREE)
                continue;
            model++;
            uint64_t addr = sp->base + (uint64_t)k * sp->elemsize;
            const WObj *o = world_obj_at(w, addr, false);
            if (!o || state_of[o->state] != sp->slot[k] || o->rounded != heap_object_size(h, addr))
                fail_msg("%s: object at 0x%llx: model %s %llu B, World %s %u B", name,
                         (unsigned long long)addr, sp->slot[k] == SLOT_LIVE ? "live" : "garbage",
                         (unsigned long long)heap_object_size(h, addr),
                         !o ? "absent" : o->state == OBJ_LIVE ? "live" : "garbage",
                         o ? o->rounded : 0);
        }
    }
    const WObj *o;
    for (uint32_t i = 0; (o = wobj_next(w, &i)); i++)
        world += o->space == SPACE_HEAP || o->space == SPACE_LARGE;
    if (model != world)
        fail_msg("%s: the model holds %zu heap objects, the World %zu", name, model, world);
    assert_int_equal(w->c.live_bytes, h->stats.live_bytes);
    assert_int_equal(w->c.gc_cycles, h->stats.gc_cycles);
}

static void check(const char *name, const Machine *m, const World *w)
{
    if (m->cpu)
        check_caches(name, m->cpu, m->ncores, w);
    check_heap(name, &m->heap, w);
}

/* Each scenario on its own machine, then with caches on. */
static void test_every_scenario(void **state)
{
    (void)state;
    for (const Scenario *const *sc = scenario_all(); *sc; sc++)
        for (int cache = 0; cache < 2; cache++) {
            MachineConfig cfg = machine_config_default();
            if ((*sc)->ncores)
                cfg.ncores = (*sc)->ncores;
            cfg.cache = (*sc)->cache || cache;
            Machine m;
            MemTrace mt;
            World w;
            start(&m, &mt, cfg);
            assert_int_equal((*sc)->run(&m), 0);
            rebuild(&m, &mt, &w);
            check((*sc)->name, &m, &w);
            world_free(&w);
            machine_free(&m);
        }
}

/* Each lesson as lesson_record runs it. */
static void test_every_lesson(void **state)
{
    (void)state;
    for (const Lesson *const *l = lesson_all(); *l; l++) {
        MachineConfig cfg = machine_config_default();
        cfg.ncores = (*l)->ncores ? (*l)->ncores : 2;
        cfg.cache = (*l)->cache;
        Machine m;
        MemTrace mt;
        World w;
        start(&m, &mt, cfg);
        LessonCtx lc = {.m = &m, .lesson = *l};
        assert_int_equal((*l)->run(&lc), 0);
        assert_int_equal(lc.failed, 0);
        rebuild(&m, &mt, &w);
        check((*l)->slug, &m, &w);
        world_free(&w);
        machine_free(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario),
        cmocka_unit_test(test_every_lesson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
