/*
 * scenario.h — built-in programs for `gomemviz record`.
 *
 * A scenario drives the model on a machine; it never emits raw events except
 * MARK (a label the dump and the viewer show).  Each model module contributes
 * its scenarios through a table (scenario_basic.c, ...), listed here.
 *
 * Invariant: a scenario is deterministic: it depends only on the machine it
 * is given (its seed and configuration).
 */
#ifndef GMV_SCENARIO_H
#define GMV_SCENARIO_H

#include "machine.h"

typedef struct {
    const char *name;
    const char *summary;
    unsigned ncores;      /* machine it wants (0: default) */
    bool cache;           /* simulate caches */
    int (*run)(Machine *m); /* 0 on success */
} Scenario;

/* All scenarios, NULL-terminated. */
const Scenario *const *scenario_all(void);
const Scenario *scenario_find(const char *name);
/* The machine sc asks for (`record --cores/--cache` may change it), and
 * the trace header for a machine configured so. */
MachineConfig scenario_config(const Scenario *sc);
TraceParams scenario_params(const MachineConfig *cfg);
/* Run sc on a machine of cfg, recording into t (opened with
 * scenario_params(cfg)); 0 when its own checks hold. */
int scenario_record(const Scenario *sc, const MachineConfig *cfg, Tracer *t);
/* Label the trace at this point (what `dump` shows between phases). */
void scenario_mark(Machine *m, const char *label);

extern const Scenario scenario_basics;
extern const Scenario scenario_slice_growth;
extern const Scenario scenario_map_growth, scenario_map_churn, scenario_map_local;
extern const Scenario scenario_false_sharing;
extern const Scenario scenario_false_sharing_padded;
extern const Scenario scenario_rwmutex;
extern const Scenario scenario_syncmap_promotion;
extern const Scenario scenario_syncmap_expunge;
extern const Scenario scenario_syncmap_read_mostly;

#endif
