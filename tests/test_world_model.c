/*
 * test_world_model.c — the World the viewer rebuilds from a trace, against
 * the model that recorded it.  Every scenario runs (on its own machine, then
 * again with caches on), and every lesson, with the model kept; the World
 * must hold what the model holds at the end, and for lessons also as each
 * step begins: each core's valid cache lines with their MESI state and the
 * bytes used, every live and garbage heap object with its size, the spans,
 * each goroutine's frames, the counters pane's figures, and the map or
 * sync.Map the lesson is showing (LessonCtx.shown_map/shown_syncmap, with
 * the checks of world_model.h).  The viewer's
 * other tests check the World against events written by hand; this ties it
 * to the real recorder.  Maps and sync.Maps: test_world_maps.c.
 */
#include "world_model.h"
#include "lock.h"
#include "sched.h"

#include "cache_internal.h"
#include "lesson.h"
#include "scenario.h"

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

/* Each goroutine's frames (by sp, innermost last), and its stack. */
static void check_stacks(const char *name, const Machine *m, const World *w)
{
    for (unsigned g = 0; g < m->ng; g++) {
        const Stack *st = m->g[g];
        if (!st)
            continue;
        const WGoroutine *wg = world_g(w, st->id);
        if (!wg)
            fail_msg("%s: goroutine %u is not in the World", name, st->id);
        assert_int_equal(wg->stack_lo, st->lo);
        assert_int_equal(wg->stack_hi, st->hi);
        unsigned n = 0;
        for (uint32_t i = 0; i < w->frames.n; i++) {
            const WFrame *f = &w->frames.v[i];
            if (w->gs.v[f->g].id != st->id)
                continue;
            if (n >= st->nframes || f->sp != st->frames[n].top)
                fail_msg("%s: g%u frame %u: World sp 0x%llx, model %s", name, st->id, n,
                         (unsigned long long)f->sp, n < st->nframes ? "another" : "none");
            n++;
        }
        if (n != st->nframes)
            fail_msg("%s: g%u has %u frames in the model, %u in the World", name, st->id,
                     st->nframes, n);
    }
}

/* Spans in use, both ways round. */
static void check_spans(const char *name, const Heap *h, const World *w)
{
    size_t model = 0;
    for (uint32_t s = 0; s < h->nspans; s++) {
        const Span *sp = &h->spans[s];
        if (!sp->in_use)
            continue;
        model++;
        const WSpan *ws = NULL;
        for (uint32_t i = 0; i < w->spans.n; i++)
            ws = w->spans.v[i].base == sp->base ? &w->spans.v[i] : ws;
        if (!ws || ws->npages != sp->npages || ws->cls != sp->class || ws->nelems != sp->nelems)
            fail_msg("%s: span at 0x%llx (%u pages, class %u, %u objects) %s in the World", name,
                     (unsigned long long)sp->base, sp->npages, sp->class, sp->nelems,
                     ws ? "differs" : "is not");
    }
    if (model != w->spans.n)
        fail_msg("%s: the model has %zu spans in use, the World %u", name, model, w->spans.n);
}

/* The counters pane: the heap's, and the caches' summed over cores. */
static void check_counters(const Machine *m, const World *w)
{
    const HeapStats *hs = &m->heap.stats;
    assert_int_equal(w->c.allocs, hs->mallocs);
    assert_int_equal(w->c.alloc_bytes, hs->total_alloc);
    assert_int_equal(w->c.frees, hs->frees);
    assert_int_equal(w->c.gc_cycles, hs->gc_cycles);
    if (!m->cpu)
        return;
    uint64_t out[CACHE_NOUTCOMES] = {0}, inval = 0, fs = 0;
    for (unsigned c = 0; c < m->ncores; c++) {
        const CoreStats *cs = cpu_core_stats(m->cpu, (int)c);
        for (int o = 0; o < CACHE_NOUTCOMES; o++)
            out[o] += cs->outcomes[o];
        inval += cs->inval_sent;
        fs += cs->false_sharing;
    }
    for (int o = 0; o < CACHE_NOUTCOMES; o++)
        assert_int_equal(w->c.outcome[o + 1], out[o]); /* OUTCOME_x is CACHE_x + 1 */
    assert_int_equal(w->c.invalidations, inval);
    assert_int_equal(w->c.false_sharing, fs);
    assert_int_equal(w->c.cycles, m->cycles);
}

/* The goroutine the machine runs is on its core in the World; with a
 * scheduler's states (gstate, else NULL), each goroutine is blocked and
 * has exited in the World exactly when it has in the model. */
static void check_goroutines(const char *name, const Machine *m, const GoState *gstate,
                             const World *w)
{
    for (unsigned g = 0; g < m->ng; g++) {
        const Stack *st = m->g[g];
        const WGoroutine *wg = st ? world_g(w, st->id) : NULL;
        if (!wg)
            continue; /* check_stacks says so */
        if (g == m->cur_g && wg->core != (int)m->cur_core)
            fail_msg("%s: g%u runs on core %u in the model, on %d in the World", name, g,
                     m->cur_core, wg->core);
        if (gstate && (bool)wg->exited != (gstate[g] == GS_DONE))
            fail_msg("%s: g%u %s exited in the model, %s in the World", name, g,
                     gstate[g] == GS_DONE ? "has" : "has not", wg->exited ? "has" : "has not");
        if (gstate && (bool)wg->blocked != (gstate[g] == GS_BLOCKED))
            fail_msg("%s: g%u is %sblocked in the model, %sblocked in the World", name, g,
                     gstate[g] == GS_BLOCKED ? "" : "not ", wg->blocked ? "" : "not ");
    }
}

static void check(const char *name, const Machine *m, const World *w)
{
    print_message("%s\n", name);
    if (m->cpu)
        check_caches(name, m->cpu, m->ncores, w);
    check_heap(name, &m->heap, w);
    check_spans(name, &m->heap, w);
    check_stacks(name, m, w);
    check_counters(m, w);
    if (w->c.ignored) /* every event the recorder writes means something */
        fail_msg("%s: the World ignored %llu events", name, (unsigned long long)w->c.ignored);
}

/* Each scenario on its own machine, then with caches on. */
static void test_every_scenario(void **state)
{
    (void)state;
    for (const Scenario *const *sc = scenario_all(); *sc; sc++)
        for (int cache = 0; cache < 2; cache++) {
            MachineConfig cfg = scenario_config(*sc);
            cfg.cache |= cache;
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

/* A deep copy of what check() reads of a machine (heap, caches, stacks,
 * counters), taken as a lesson step begins, to be compared later with the
 * World at the same position. */
typedef struct {
    uint64_t at;                /* events recorded when it was taken */
    Machine m;                  /* its heap, cpu and g[] point at copies */
    Cpu cpu;
    Stack stacks[MACHINE_MAX_G];
    Map *map;                   /* copies of the lesson's shown map, or NULL */
    MapType map_type;
    SyncMap *sm;                /* ... and of its shown sync.Map */
    BoxMem sm_mem;
    bool has_sched;             /* a scheduler ran goroutines: their states */
    GoState gstate[MACHINE_MAX_G];
} Snap;

static void *dup(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    assert_non_null(q);
    if (p && n)
        memcpy(q, p, n);
    return q;
}

/* A copy of h (its host bytes included) that map_free frees, of type t. */
static Map *map_copy(const Map *h, const MapType *t)
{
    Map *c = dup(h, sizeof *h);
    c->t = t;
    c->cur.bytes = dup(h->cur.bytes, h->cur.size);
    c->old.bytes = dup(h->old.bytes, h->old.size);
    c->objs.slot = dup(h->objs.slot, h->objs.cap * sizeof *h->objs.slot);
    for (uint32_t i = 0; i < h->objs.cap; i++)
        if (c->objs.slot[i].addr)
            c->objs.slot[i].bytes = dup(c->objs.slot[i].bytes, c->objs.slot[i].size);
    for (int g = 0; g < 2; g++)
        c->gen_ovf[g].a = dup(h->gen_ovf[g].a, h->gen_ovf[g].n * sizeof *h->gen_ovf[g].a);
    c->retired = dup(h->retired, h->nretired * sizeof *h->retired);
    for (uint32_t i = 0; i < h->nretired; i++)
        c->retired[i].bytes = dup(c->retired[i].bytes, c->retired[i].size);
    return c;
}

/* What check_syncmap reads of sm: its fields, read and dirty, the boxes. */
static void syncmap_copy(Snap *s, const SyncMap *sm)
{
    s->sm = dup(sm, sizeof *sm);
    s->sm_mem = *sm->mem;
    s->sm_mem.slot = dup(sm->mem->slot, sm->mem->cap * sizeof *sm->mem->slot);
    s->sm->mem = &s->sm_mem;
    s->sm->read.m = sm->read.m ? map_copy(sm->read.m, &s->sm->type) : NULL;
    s->sm->dirty = sm->dirty ? map_copy(sm->dirty, &s->sm->type) : NULL;
}

static Snap *snap_take(const Machine *m, uint64_t at)
{
    Snap *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->at = at;
    s->m = *m;
    s->m.sched = NULL; /* the live one; its goroutines' states are copied */
    if (m->sched) {
        s->has_sched = true;
        for (unsigned g = 0; g < MACHINE_MAX_G; g++)
            s->gstate[g] = m->sched->co[g].state;
    }
    Heap *h = &s->m.heap;
    h->spans = dup(m->heap.spans, m->heap.nspans * sizeof *h->spans);
    for (uint32_t i = 0; i < h->nspans; i++) {
        Span *sp = &h->spans[i];
        sp->slot = sp->slot ? dup(sp->slot, sp->nelems) : NULL;
        sp->tinylive = sp->tinylive ? dup(sp->tinylive, sp->nelems) : NULL;
    }
    h->page_span = dup(m->heap.page_span, m->heap.npages * sizeof *h->page_span);
    if (m->cpu) {
        s->cpu = *m->cpu;
        size_t ways = (size_t)m->cpu->nsets * m->cpu->cfg.ways;
        for (unsigned c = 0; c < m->ncores; c++) {
            CoreCache *cc = &s->cpu.core[c];
            cc->tags = dup(cc->tags, ways * sizeof *cc->tags);
            cc->lines = dup(cc->lines, ways * sizeof *cc->lines);
        }
        s->m.cpu = &s->cpu;
    }
    for (unsigned g = 0; g < m->ng; g++)
        if (m->g[g]) {
            s->stacks[g] = *m->g[g];
            s->m.g[g] = &s->stacks[g];
        }
    return s;
}

static void snap_free(Snap *s)
{
    map_free(s->map);
    if (s->sm) {
        map_free(s->sm->read.m);
        map_free(s->sm->dirty);
        free(s->sm_mem.slot);
        free(s->sm);
    }
    Heap *h = &s->m.heap;
    for (uint32_t i = 0; i < h->nspans; i++) {
        free(h->spans[i].slot);
        free(h->spans[i].tinylive);
    }
    free(h->spans);
    free(h->page_span);
    for (unsigned c = 0; s->m.cpu && c < s->m.ncores; c++) {
        free(s->cpu.core[c].tags);
        free(s->cpu.core[c].lines);
    }
    free(s);
}

typedef struct {
    MemTrace *mt;
    Snap *snap[64];
    unsigned n;
} Snaps;

static void snap_at_step(LessonCtx *lc, void *arg)
{
    Snaps *ss = arg;
    assert_true(ss->n < 64);
    Snap *s = ss->snap[ss->n++] = snap_take(lc->m, ss->mt->tr.nevents);
    if (lc->shown_map) {
        s->map_type = *lc->shown_map->t;
        s->map = map_copy(lc->shown_map, &s->map_type);
    }
    if (lc->shown_syncmap)
        syncmap_copy(s, lc->shown_syncmap);
}

/* Run lesson l as lesson_record does, on m recording into mt, calling
 * at_step(arg) as each step begins (NULL: none); its claims must hold. */
static void run_lesson(const Lesson *l, Machine *m, MemTrace *mt,
                       void (*at_step)(LessonCtx *, void *), void *arg)
{
    MachineConfig cfg = machine_config_default();
    cfg.ncores = l->ncores ? l->ncores : 2;
    cfg.cache = l->cache;
    start(m, mt, cfg);
    LessonCtx lc = {.m = m, .lesson = l, .at_step = at_step, .at_step_arg = arg};
    assert_int_equal(l->run(&lc), 0);
    assert_int_equal(lc.failed, 0);
}

/* Each lesson as lesson_record runs it, compared as each step begins and
 * at its end. */
static void test_every_lesson(void **state)
{
    (void)state;
    for (const Lesson *const *l = lesson_all(); *l; l++) {
        Machine m;
        MemTrace mt;
        Snaps ss = {.mt = &mt};
        run_lesson(*l, &m, &mt, snap_at_step, &ss);
        TraceReader r;
        TraceCursor c;
        World w;
        open_world(&m, &mt, &r, &c, &w);
        char name[64];
        for (unsigned i = 0; i < ss.n; i++) {
            advance(&w, &c, ss.snap[i]->at);
            snprintf(name, sizeof name, "%s, as step %u begins", (*l)->slug, i + 1);
            check(name, &ss.snap[i]->m, &w);
            check_goroutines(name, &ss.snap[i]->m,
                             ss.snap[i]->has_sched ? ss.snap[i]->gstate : NULL, &w);
            if (ss.snap[i]->map)
                check_map(ss.snap[i]->map, &w);
            if (ss.snap[i]->sm)
                check_syncmap(ss.snap[i]->sm, &w);
            snap_free(ss.snap[i]);
        }
        advance(&w, &c, UINT64_MAX);
        check((*l)->slug, &m, &w);
        close_world(&mt, &r, &c, &w);
        machine_free(&m);
    }
}

/* Lesson 2 as the viewer rebuilds it: s's header ends as the lesson's
 * last claims say (len 600 + 1200, cap 2048, from its stores), t's as
 * made.  The model keeps no list of headers, so check() cannot. */
static void test_lesson2_headers(void **state)
{
    (void)state;
    Machine m;
    MemTrace mt;
    World w;
    run_lesson(lesson_find(2), &m, &mt, NULL, NULL);
    rebuild(&m, &mt, &w);
    int s = 0, t = 0;
    for (uint32_t i = 0; i < w.slices.n; i++) {
        const WSlice *sl = &w.slices.v[i];
        s += sl->len == 1800 && sl->cap == 2048 && sl->stored;
        t += sl->len == 1200 && sl->cap == 1200 && !sl->stored;
    }
    assert_int_equal(s, 1);
    assert_int_equal(t, 1);
    assert_int_equal(w.c.ignored, 0);
    world_free(&w);
    machine_free(&m);
}

/* Two goroutines contend for a mutex; the first to get it yields until the
 * other waits on it, and the machine is copied there. */
typedef struct {
    GoMutex mu;
    unsigned g[2];
    MemTrace *mt;
    Snap *mid;
} Contend;

static void contender(Machine *m, void *arg)
{
    Contend *k = arg;
    mutex_lock(m, &k->mu);
    if (!k->mid) {
        unsigned other = k->g[0] == m->cur_g ? k->g[1] : k->g[0];
        while (m->sched->co[other].state != GS_BLOCKED)
            sched_gosched(m);
        k->mid = snap_take(m, k->mt->tr.nevents);
    }
    mutex_unlock(m, &k->mu);
}

/* The stacks pane's goroutine states: while one goroutine waits on a lock
 * the World has it blocked and the holder running on its core; after the
 * run both have exited and main runs again, as in the model. */
static void test_goroutine_states(void **state)
{
    (void)state;
    Machine m;
    MemTrace mt;
    MachineConfig cfg = machine_config_default();
    cfg.ncores = 2;
    start(&m, &mt, cfg);
    Contend k = {.mt = &mt};
    mutex_init(&k.mu, machine_alloc(&m, MUTEX_SIZE, true, OBJ_OTHER, "sync.Mutex"));
    Sched s;
    sched_init(&s, &m, 7, 1u << 30); /* no preemption: the yields decide */
    k.g[0] = sched_go(&s, "main.contender", 0, true, contender, &k);
    k.g[1] = sched_go(&s, "main.contender", 1, true, contender, &k);
    assert_int_equal(sched_run(&s), 0);
    GoState end[MACHINE_MAX_G];
    for (unsigned g = 0; g < MACHINE_MAX_G; g++)
        end[g] = s.co[g].state;
    sched_free(&s);
    assert_non_null(k.mid);
    TraceReader r;
    TraceCursor c;
    World w;
    open_world(&m, &mt, &r, &c, &w);
    advance(&w, &c, k.mid->at);
    check("contended mutex, one goroutine waiting", &k.mid->m, &w);
    check_goroutines("contended mutex, one goroutine waiting", &k.mid->m, k.mid->gstate, &w);
    unsigned waiting = 0;
    for (uint32_t i = 0; i < w.gs.n; i++)
        waiting += w.gs.v[i].blocked;
    assert_int_equal(waiting, 1);
    advance(&w, &c, UINT64_MAX);
    check_goroutines("contended mutex, after the run", &m, end, &w);
    snap_free(k.mid);
    close_world(&mt, &r, &c, &w);
    machine_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario),
        cmocka_unit_test(test_every_lesson),
        cmocka_unit_test(test_lesson2_headers),
        cmocka_unit_test(test_goroutine_states),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
