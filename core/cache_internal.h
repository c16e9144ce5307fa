/*
 * cache_internal.h — lookup helpers shared by cache.c and cache_query.c.
 * Not part of the public API: only the cache model includes it.
 *
 * Invariant: a way holds NO_LINE iff it is Invalid, so comparing line
 * addresses alone finds valid copies.
 */
#ifndef GMV_CACHE_INTERNAL_H
#define GMV_CACHE_INTERNAL_H

#include <stdint.h>

#include "cache.h"

/* Odd, so never a line address (those are at least 8-aligned). */
#define NO_LINE 1ull

static inline uint32_t set_index(const Cpu *cpu, uint64_t line)
{
    return (uint32_t)(line >> cpu->line_shift) & (cpu->nsets - 1);
}

/* No way holds the line. */
#define NO_WAY SIZE_MAX

/* Index of the first way of line's set in a core's tags[] and lines[]. */
static inline size_t set_base(const Cpu *cpu, uint64_t line)
{
    return (size_t)set_index(cpu, line) * cpu->cfg.ways;
}

/* Position of line among n tags, or NO_WAY.  Looks at every tag instead of
 * stopping at the match: where the match is, is random, so an early exit is
 * a mispredicted branch, which costs more than the compares it saves (and
 * this way the compiler emits conditional moves). */
static inline size_t scan_tags(const uint64_t *tags, uint32_t n, uint64_t line)
{
    size_t hit = NO_WAY;
    for (uint32_t w = 0; w < n; w++)
        hit = tags[w] == line ? w : hit;
    return hit;
}

/* Index of the way of core's cache that holds line, or NO_WAY. */
static inline size_t way_of(const Cpu *cpu, int core, uint64_t line)
{
    size_t base = set_base(cpu, line);
    const uint64_t *tags = &cpu->core[core].tags[base];
    /* The usual 8 ways get a loop of constant length, which GCC schedules
     * better: a few percent on bench/cache_bench.c. */
    size_t w = cpu->cfg.ways == 8 ? scan_tags(tags, 8, line) : scan_tags(tags, cpu->cfg.ways, line);
    return w == NO_WAY ? NO_WAY : base + w;
}

static inline CacheLine *lookup(const Cpu *cpu, int core, uint64_t line)
{
    size_t i = way_of(cpu, core, line);
    return i == NO_WAY ? NULL : &cpu->core[core].lines[i];
}

#endif
