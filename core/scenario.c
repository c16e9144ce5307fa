/*
 * scenario.c — the registry of built-in scenarios.
 *
 * Invariant: names are unique (test_scenario.c checks) and the first entry is
 * the default scenario that the README's main command records.
 */
#include "scenario.h"

#include <string.h>

static const Scenario *const all[] = {
    &scenario_basics,
    &scenario_slice_growth,
    &scenario_map_growth,
    &scenario_map_churn,
    &scenario_map_local,
    &scenario_false_sharing,
    &scenario_false_sharing_padded,
    &scenario_rwmutex,
    &scenario_syncmap_promotion,
    &scenario_syncmap_expunge,
    &scenario_syncmap_read_mostly,
    NULL,
};

const Scenario *const *scenario_all(void)
{
    return all;
}

const Scenario *scenario_find(const char *name)
{
    for (const Scenario *const *s = all; *s; s++)
        if (strcmp((*s)->name, name) == 0)
            return *s;
    return NULL;
}

MachineConfig scenario_config(const Scenario *sc)
{
    MachineConfig cfg = machine_config_default();
    if (sc->ncores)
        cfg.ncores = sc->ncores;
    cfg.cache = sc->cache;
    return cfg;
}

TraceParams scenario_params(const MachineConfig *cfg)
{
    TraceParams tp = trace_params_default();
    tp.ncores = (uint8_t)cfg->ncores;
    tp.flags = cfg->cache ? TRACE_FLAG_CACHE : 0;
    return tp;
}

int scenario_record(const Scenario *sc, const MachineConfig *cfg, Tracer *t)
{
    Machine m;
    machine_init(&m, t, cfg);
    int rc = sc->run(&m);
    machine_free(&m);
    return rc;
}

void scenario_mark(Machine *m, const char *label)
{
    TRACE(m->tr, MARK, TRACE_STR(m->tr, label));
    (void)m, (void)label;
}
