/*
 * bench_mix.h — the fixed-seed stream of mixed events the benchmarks record
 * (`bench trace`, `bench viewer`): mostly accesses near the previous
 * address, with allocations, map slot updates, invalidations and frame
 * pushes mixed in.  Deterministic: the same n gives the same events.
 */
#ifndef GMV_BENCH_MIX_H
#define GMV_BENCH_MIX_H

#include <stdint.h>

#include "trace.h"

void bench_emit_mix(Tracer *t, uint64_t n);
/* The same stream, every value computed and every branch taken, but
 * nothing recorded: the cost to subtract from bench_emit_mix's. */
void bench_generate_mix(uint64_t n);

#endif
