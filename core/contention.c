/*
 * contention.c — a line-address → LineStats table (see contention.h).
 *
 * Invariant: every id in slots[] is < count, and v[id].line hashes (with
 * linear probing) to the slot that holds id + 1.  The table is at most half
 * full, so a probe always ends at an empty slot.
 */
#include "contention.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_line(uint64_t line)
{
    /* Line addresses have their low 6 bits clear and cluster in a few heap
     * spans; a Fibonacci multiply spreads them over the whole word. */
    return (uint32_t)((line * 0x9E3779B97F4A7C15ull) >> 32);
}

void contention_init(ContentionTable *t)
{
    memset(t, 0, sizeof *t);
}

void contention_free(ContentionTable *t)
{
    free(t->v);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

uint32_t contention_find(const ContentionTable *t, uint64_t line)
{
    if (t->nslots == 0)
        return CONTENTION_NONE;
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = hash_line(line) & mask;; i = (i + 1) & mask) {
        uint32_t s = t->slots[i];
        if (s == 0)
            return CONTENTION_NONE;
        if (t->v[s - 1].line == line)
            return s - 1;
    }
}

static void insert_slot(uint32_t *slots, uint32_t nslots, uint64_t line, uint32_t id)
{
    uint32_t mask = nslots - 1;
    uint32_t i = hash_line(line) & mask;
    while (slots[i] != 0)
        i = (i + 1) & mask;
    slots[i] = id + 1;
}

static void grow(ContentionTable *t)
{
    uint32_t ncap = t->cap ? t->cap * 2 : 64;
    LineStats *nv = realloc(t->v, (size_t)ncap * sizeof *nv);
    uint32_t *ns = calloc((size_t)ncap * 2, sizeof *ns);
    if (!nv || !ns)
        abort(); /* out of memory in a simulator: nothing sensible to do */
    for (uint32_t id = 0; id < t->count; id++)
        insert_slot(ns, ncap * 2, nv[id].line, id);
    free(t->slots);
    t->v = nv;
    t->cap = ncap;
    t->slots = ns;
    t->nslots = ncap * 2;
}

uint32_t contention_open(ContentionTable *t, uint64_t line)
{
    uint32_t id = contention_find(t, line);
    if (id != CONTENTION_NONE)
        return id;
    if (t->count == t->cap)
        grow(t);
    id = t->count++;
    memset(&t->v[id], 0, sizeof t->v[id]);
    t->v[id].line = line;
    insert_slot(t->slots, t->nslots, line, id);
    assert(id != CONTENTION_NONE);
    return id;
}

uint64_t contention_score(const LineStats *s)
{
    return s->inval_false + s->inval_true + s->hitm;
}

static int by_contention(const void *a, const void *b)
{
    const LineStats *x = *(const LineStats *const *)a;
    const LineStats *y = *(const LineStats *const *)b;
    uint64_t sx = contention_score(x), sy = contention_score(y);
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

size_t contention_top(const ContentionTable *t, LineStats *out, size_t n)
{
    if (n > t->count)
        n = t->count;
    if (n == 0)
        return 0;
    const LineStats **order = malloc((size_t)t->count * sizeof *order);
    if (!order)
        abort();
    for (uint32_t i = 0; i < t->count; i++)
        order[i] = &t->v[i];
    qsort(order, t->count, sizeof *order, by_contention);
    for (size_t i = 0; i < n; i++)
        out[i] = *order[i];
    free(order);
    return n;
}
