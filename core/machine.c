/*
 * machine.c — goroutines on cores, allocation on behalf of the running
 * goroutine, and the access path that feeds the cache model and the trace.
 *
 * Invariant: see machine.h.  An access that straddles cache lines is recorded
 * as one access per line, as the hardware performs it.
 */
#include "machine.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

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
    m->rng = 0x9e3779b97f4a7c15ull;
    heap_init(&m->heap, tr);
    m->cur_g = ~0u; /* nobody runs yet: the first switch is recorded */
    machine_go(m, "main", 0);
}

void machine_free(Machine *m)
{
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

void machine_access(Machine *m, uint64_t addr, uint32_t size, unsigned flags)
{
    const uint64_t line = 64;
    while (size > 0) {
        uint64_t end = (addr | (line - 1)) + 1;
        uint32_t n = (uint32_t)(end - addr < size ? end - addr : size);
        m->accesses++;
        TRACE(m->tr, ACCESS, m->cur_core, m->cur_g, addr, n,
              access_info(flags, OUTCOME_NONE, 0, 0));
        addr += n;
        size -= n;
    }
}
