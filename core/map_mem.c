/*
 * map_mem.c — the host bytes behind a map's simulated objects: overflow
 * buckets and indirect keys/elems, found by simulated address.
 *
 * Invariant: the table is a linear-probing hash set of MapBlocks keyed by
 * address with no tombstones (removal shifts the cluster back), at most
 * half full; every block's bytes are a calloc'd buffer of its size that
 * only this table frees.
 */
#include <stdio.h>
#include <stdlib.h>

#include "map_internal.h"

static uint32_t home(const MapBlockTable *t, uint64_t addr)
{
    return (uint32_t)((addr * 0x9e3779b97f4a7c15ull) >> 32) & (t->cap - 1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void insert(MapBlockTable *t, MapBlock b)
{
    uint32_t i = home(t, b.addr);
    while (t->slot[i].addr)
        i = (i + 1) & (t->cap - 1);
    t->slot[i] = b;
}

static void grow(MapBlockTable *t)
{
    MapBlockTable old = *t;
    t->cap = old.cap ? old.cap * 2 : 64;
    t->slot = xcalloc(t->cap, sizeof *t->slot);
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.slot[i].addr)
            insert(t, old.slot[i]);
    free(old.slot);
}

uint8_t *mapmem_new(MapBlockTable *t, uint64_t addr, uint64_t size)
{
    if (2 * (t->n + 1) > t->cap)
        grow(t);
    MapBlock b = {addr, size, xcalloc(1, size)};
    insert(t, b);
    t->n++;
    return b.bytes;
}

uint8_t *mapmem_find(const MapBlockTable *t, uint64_t addr)
{
    if (t->cap == 0)
        return NULL;
    for (uint32_t i = home(t, addr); t->slot[i].addr; i = (i + 1) & (t->cap - 1))
        if (t->slot[i].addr == addr)
            return t->slot[i].bytes;
    return NULL;
}

uint8_t *mapmem_take(MapBlockTable *t, uint64_t addr)
{
    uint32_t mask = t->cap - 1, i = home(t, addr);
    while (t->slot[i].addr != addr)
        i = (i + 1) & mask; /* the caller only removes what it put */
    uint8_t *bytes = t->slot[i].bytes;
    t->n--;
    /* Shift later members of the cluster back so no probe chain breaks. */
    for (uint32_t j = (i + 1) & mask; t->slot[j].addr; j = (j + 1) & mask) {
        uint32_t k = home(t, t->slot[j].addr);
        bool between = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!between) {
            t->slot[i] = t->slot[j];
            i = j;
        }
    }
    t->slot[i].addr = 0;
    t->slot[i].bytes = NULL;
    return bytes;
}

void mapmem_remove(MapBlockTable *t, uint64_t addr)
{
    free(mapmem_take(t, addr));
}

void map_retire(Map *h, MapBlock b)
{
    MapBlock *r = realloc(h->retired, (h->nretired + 1) * sizeof *r);
    if (!r)
        abort();
    h->retired = r;
    h->retired[h->nretired++] = b;
}

uint8_t *map_retired_host(const Map *h, uint64_t addr)
{
    for (uint32_t i = 0; i < h->nretired; i++)
        if (addr - h->retired[i].addr < h->retired[i].size)
            return h->retired[i].bytes + (addr - h->retired[i].addr);
    return NULL;
}

void mapmem_free(MapBlockTable *t)
{
    for (uint32_t i = 0; i < t->cap; i++)
        free(t->slot[i].bytes);
    free(t->slot);
    t->slot = NULL;
    t->cap = t->n = 0;
}

void mapaddrs_push(MapAddrs *a, uint64_t addr)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->a = realloc(a->a, a->cap * sizeof *a->a);
        if (!a->a)
            abort();
    }
    a->a[a->n++] = addr;
}
