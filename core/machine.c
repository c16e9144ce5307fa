/*
 * machine.c — goroutines on cores, allocation on behalf of the running
 * goroutine, and the access path that feeds the cache model and the trace.
 *
 * Invariant: see machine.h.  An access that straddles cache lines is recorded
 * as one access per line, as the hardware performs it.
 */
#include "machine.h"
#include "sched.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void machine_enable_cache(Machine *m, const MachineConfig *cfg);

MachineConfig machine_config_default(void)
{
    MachineConfig c = {.ncores = 2, .cache = false, .cache_size = 32 * 1024,
                       .ways = 8, .line_size = 64};
    return c;
}

void machine_init(Machine *m, Tracer *tr, const MachineConfig *cfg)
{
    MachineConfig def = machine_config_default();
    if (!cfg)
        cfg = &def;
    assert(cfg->ncores >= 1 && cfg->ncores <= MACHINE_MAX_CORES);
    memset(m, 0, sizeof *m);
    m->tr = tr;
    m->ncores = cfg->ncores;
    m->line_size = cfg->line_size;
    m->rng = 0x9e3779b97f4a7c15ull;
    heap_init(&m->heap, tr);
    if (cfg->cache)
        machine_enable_cache(m, cfg);
    m->cur_g = ~0u; /* nobody runs yet: the first switch is recorded */
    machine_go(m, "main", 0);
}

/* Caches on: every access goes through MESI; the trace gets the costs the
 * viewer multiplies outcomes by. */
static void machine_enable_cache(Machine *m, const MachineConfig *cfg)
{
    CacheConfig cc = cache_config_default();
    cc.ncores = (int)cfg->ncores;
    cc.cache_size = cfg->cache_size;
    cc.ways = cfg->ways;
    cc.line_size = cfg->line_size;
    m->cpu = malloc(sizeof *m->cpu);
    if (!m->cpu || !cpu_init(m->cpu, &cc))
        abort(); /* configs are checked by the command line before this */
    const CacheCosts *c = &cc.costs;
    TRACE(m->tr, COST_TABLE, c->outcome[CACHE_HIT], c->outcome[CACHE_MISS_MEM],
          c->outcome[CACHE_HITM], c->outcome[CACHE_MISS_CLEAN],
          c->outcome[CACHE_UPGRADE], c->atomic_extra);
    (void)c;
}

void machine_free(Machine *m)
{
    if (m->cpu) {
        cpu_free(m->cpu);
        free(m->cpu);
    }
    for (unsigned i = 0; i < m->ng; i++)
        free(m->g[i]);
    heap_free_all(&m->heap);
    memset(m, 0, sizeof *m);
}

unsigned machine_go(Machine *m, const char *fn, unsigned core)
{
    assert(m->ng < MACHINE_MAX_G && core < m->ncores);
    Stack *s = malloc(sizeof *s);
    if (!s)
        abort();
    unsigned id = m->ng++;
    m->g[id] = s;
    stack_init(s, m->tr, id, fn);
    if (id == 0)
        machine_switch(m, 0, core);
    return id;
}

void machine_switch(Machine *m, unsigned g, unsigned core)
{
    assert(g < m->ng && core < m->ncores);
    if (g == m->cur_g && core == m->cur_core)
        return;
    m->cur_g = g;
    m->cur_core = core;
    m->heap.cur_g = g;
    m->heap.cur_p = core;
    TRACE(m->tr, G_RUN, g, core);
}

Stack *machine_stack(Machine *m)
{
    return m->g[m->cur_g];
}

uint64_t machine_alloc(Machine *m, uint64_t size, bool noscan, ObjKind kind,
                       const char *type)
{
    return heap_alloc(&m->heap, size, noscan, kind, type);
}

/* Turn one cache result into events: the access, then what it did to the
 * other cores and to the set it landed in. */
static void record_result(Machine *m, uint64_t addr, uint32_t n, unsigned flags,
                          const AccessResult *r)
{
    TRACE(m->tr, ACCESS, m->cur_core, m->cur_g, addr, n,
          access_info(flags & 3u, r->outcome + 1u, r->before, r->after));
    for (int i = 0; i < r->ninval; i++)
        TRACE(m->tr, INVALIDATE, m->cur_core, r->inval[i].core, r->line,
              r->inval[i].writer_mask, r->inval[i].victim_mask,
              r->inval[i].false_sharing);
    for (int i = 0; i < r->ndown; i++)
        TRACE(m->tr, DOWNGRADE, r->down[i].core, r->line, m->cur_core,
              r->down[i].writeback);
    if (r->evicted.happened)
        TRACE(m->tr, EVICT, m->cur_core, r->evicted.line, r->evicted.writeback);
    (void)addr, (void)n, (void)flags;
}

void machine_access(Machine *m, uint64_t addr, uint32_t size, unsigned flags)
{
    const uint64_t line = m->line_size;
    while (size > 0) {
        uint64_t end = (addr | (line - 1)) + 1;
        uint32_t n = (uint32_t)(end - addr < size ? end - addr : size);
        m->accesses++;
        if (m->cpu) {
            AccessResult r;
            cpu_access(m->cpu, (int)m->cur_core, addr, n, flags, &r);
            m->cycles += r.cycles;
            record_result(m, addr, n, flags, &r);
        } else {
            TRACE(m->tr, ACCESS, m->cur_core, m->cur_g, addr, n,
                  access_info(flags, OUTCOME_NONE, 0, 0));
        }
        addr += n;
        size -= n;
    }
    if (m->sched)
        sched_preempt(m);
}
