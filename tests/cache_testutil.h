/*
 * cache_testutil.h — helpers shared by the cache model's tests: make a Cpu,
 * run an access and check MESI after it, force evictions by conflict.
 */
#ifndef GMV_CACHE_TESTUTIL_H
#define GMV_CACHE_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

#define A 0x1000ull /* a line-aligned address used by most tests */

static inline Cpu *new_cpu(int ncores)
{
    CacheConfig cfg = cache_config_default();
    cfg.ncores = ncores;
    Cpu *cpu = malloc(sizeof *cpu);
    assert_non_null(cpu);
    assert_true(cpu_init(cpu, &cfg));
    return cpu;
}

static inline void del_cpu(Cpu *cpu)
{
    cpu_free(cpu);
    free(cpu);
}

static inline AccessResult acc(Cpu *cpu, int core, uint64_t addr, uint32_t size, unsigned flags)
{
    AccessResult r;
    cpu_access(cpu, core, addr, size, flags, &r);
    assert_true(mesi_check(cpu));
    assert_int_equal(r.after, cpu_state(cpu, core, addr));
    for (int i = 0; i < r.ninval; i++)
        assert_int_equal(cpu_state(cpu, r.inval[i].core, addr), MESI_INVALID);
    for (int i = 0; i < r.ndown; i++)
        assert_int_equal(cpu_state(cpu, r.down[i].core, addr), MESI_SHARED);
    return r;
}

/* Lines that map to addr's set in every core (same set index, other tags). */
static inline uint64_t conflict(const Cpu *cpu, uint64_t addr, int i)
{
    return addr + (uint64_t)i * cpu->nsets * cpu->cfg.line_size;
}

/* Push addr's line out of core's cache by reading `ways` other lines of its set. */
static inline void evict_by_conflict(Cpu *cpu, int core, uint64_t addr)
{
    for (uint32_t i = 1; i <= cpu->cfg.ways; i++)
        acc(cpu, core, conflict(cpu, addr, (int)i), 8, ACC_READ);
    assert_int_equal(cpu_state(cpu, core, addr), MESI_INVALID);
}

#define R ACC_READ
#define W ACC_WRITE
#define X ACC_ATOMIC
#define P ACC_PREFETCH

#endif
