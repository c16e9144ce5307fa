/*
 * strtab.c — string interning with open addressing (FNV-1a hash).
 *
 * Invariant: slots holds id+1 for every interned id except 0, load <= 1/2.
 */
#include "strtab.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    return q;
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

void strtab_init(StrTab *st)
{
    memset(st, 0, sizeof *st);
    st->cap = 64;
    st->str = xrealloc(NULL, st->cap * sizeof *st->str);
    st->str[0] = xrealloc(NULL, 1);
    st->str[0][0] = 0;
    st->n = 1;
    st->nslots = 128;
    st->slots = calloc(st->nslots, sizeof *st->slots);
    if (!st->slots)
        abort();
}

void strtab_free(StrTab *st)
{
    for (uint32_t i = 0; i < st->n; i++)
        free(st->str[i]);
    free(st->str);
    free(st->slots);
    memset(st, 0, sizeof *st);
}

static void rehash(StrTab *st)
{
    uint32_t n = st->nslots * 2;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        abort();
    for (uint32_t id = 1; id < st->n; id++) {
        uint32_t i = hash_str(st->str[id]) & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = id + 1;
    }
    free(st->slots);
    st->slots = slots;
    st->nslots = n;
}

uint32_t strtab_intern(StrTab *st, const char *s)
{
    if (!s || !*s)
        return 0;
    uint32_t i = hash_str(s) & (st->nslots - 1);
    for (; st->slots[i]; i = (i + 1) & (st->nslots - 1))
        if (strcmp(st->str[st->slots[i] - 1], s) == 0)
            return st->slots[i] - 1;
    if (st->n == st->cap) {
        st->cap *= 2;
        st->str = xrealloc(st->str, st->cap * sizeof *st->str);
    }
    size_t len = strlen(s);
    uint32_t id = st->n++;
    st->str[id] = xrealloc(NULL, len + 1);
    memcpy(st->str[id], s, len + 1);
    st->slots[i] = id + 1;
    if (st->n * 2 > st->nslots)
        rehash(st);
    return id;
}
