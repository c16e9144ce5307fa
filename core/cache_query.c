/*
 * cache_query.c — read-only views of the cache model, and mesi_check.
 *
 * Nothing here changes a Cpu.  mesi_check() is the executable statement of
 * the invariants listed at the top of cache.c; tests call it after every
 * access.
 */
#include "cache.h"
#include "cache_internal.h"

#include <assert.h>
#include <stdio.h>

/* ---- queries ------------------------------------------------------------ */

MesiState cpu_state(const Cpu *cpu, int core, uint64_t addr)
{
    assert(core >= 0 && core < cpu->cfg.ncores);
    const CacheLine *l = lookup(cpu, core, cpu_line_of(cpu, addr));
    return l ? (MesiState)l->state : MESI_INVALID;
}

uint64_t cpu_used_mask(const Cpu *cpu, int core, uint64_t addr)
{
    assert(core >= 0 && core < cpu->cfg.ncores);
    const CacheLine *l = lookup(cpu, core, cpu_line_of(cpu, addr));
    return l ? l->used : 0;
}

const CoreStats *cpu_core_stats(const Cpu *cpu, int core)
{
    assert(core >= 0 && core < cpu->cfg.ncores);
    return &cpu->core[core].stats;
}

const LineStats *cpu_line_stats(const Cpu *cpu, uint64_t addr)
{
    uint32_t id = contention_find(&cpu->contention, cpu_line_of(cpu, addr));
    return id == CONTENTION_NONE ? NULL : &cpu->contention.v[id];
}

size_t cpu_top_lines(const Cpu *cpu, LineStats *out, size_t n)
{
    return contention_top(&cpu->contention, out, n);
}

const char *mesi_state_name(MesiState s)
{
    static const char *const names[] = {"I", "S", "E", "M"};
    return (unsigned)s < 4 ? names[s] : "?";
}

const char *cache_outcome_name(CacheOutcome o)
{
    static const char *const names[] = {"hit", "miss_mem", "hitm", "miss_clean", "upgrade"};
    return (unsigned)o < CACHE_NOUTCOMES ? names[o] : "?";
}

/* ---- the invariant ------------------------------------------------------ */

static bool fail(const char *what, int core, uint64_t line)
{
    fprintf(stderr, "mesi_check: core %d, line %#llx: %s\n", core, (unsigned long long)line, what);
    return false;
}

/* One valid way: placement, bookkeeping, and exclusivity against the others. */
static bool check_way(const Cpu *cpu, int c, uint32_t set, uint64_t line, uint64_t stamp,
                      const CacheLine *l)
{
    if (l->state > MESI_MODIFIED || line == NO_LINE)
        return fail("valid state without a line", c, line);
    if ((line & cpu->line_mask) || set_index(cpu, line) != set)
        return fail("line in the wrong set", c, line);
    if (cpu->cfg.line_size < 64 && (l->used >> cpu->cfg.line_size))
        return fail("used bytes beyond the line", c, line);
    if (stamp > cpu->core[c].tick)
        return fail("LRU stamp from the future", c, line);
    /* Every copy of a contended line knows its record; no other copy has one. */
    if (contention_find(&cpu->contention, line) != l->stat)
        return fail("contention id out of step with the table", c, line);
    if (l->state == MESI_SHARED)
        return true;
    for (int d = 0; d < cpu->cfg.ncores; d++)
        if (d != c && lookup(cpu, d, line))
            return fail(l->state == MESI_MODIFIED ? "M copy coexists with another copy"
                                                  : "E copy coexists with another copy",
                        c, line);
    return true;
}

bool mesi_check(const Cpu *cpu)
{
    uint32_t ways = cpu->cfg.ways;
    for (int c = 0; c < cpu->cfg.ncores; c++) {
        const CoreCache *cc = &cpu->core[c];
        for (uint32_t s = 0; s < cpu->nsets; s++) {
            const uint64_t *tags = &cc->tags[(size_t)s * ways];
            const CacheLine *set = &cc->lines[(size_t)s * ways];
            for (uint32_t w = 0; w < ways; w++) {
                const CacheLine *l = &set[w];
                if (l->state == MESI_INVALID) {
                    if (tags[w] != NO_LINE || cc->stamps[(size_t)s * ways + w] || l->used ||
                        l->stat != CONTENTION_NONE)
                        return fail("invalid way keeps data", c, tags[w]);
                    continue;
                }
                if (!check_way(cpu, c, s, tags[w], cc->stamps[(size_t)s * ways + w], l))
                    return false;
                for (uint32_t w2 = w + 1; w2 < ways; w2++)
                    if (tags[w2] == tags[w])
                        return fail("line twice in one set", c, tags[w]);
            }
        }
    }
    return true;
}
