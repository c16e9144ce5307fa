/*
 * staticmap.c — the fixed-key table (see staticmap.h).
 *
 * Invariant: see staticmap.h.  Lookups touch each probed key word and, on a
 * hit, the value word (atomic store: touch_atomic); nothing allocates.
 */
#include "staticmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

static uint32_t home(const StaticMap *sm, int64_t key)
{
    return (uint32_t)hash_u64((uint64_t)key, 0) & (sm->nslots - 1);
}

static uint32_t nslots_for(uint32_t n)
{
    uint32_t s = 8;
    while (s < 2 * n)
        s *= 2;
    return s;
}

uint64_t staticmap_size(uint32_t n)
{
    return (uint64_t)nslots_for(n) * STATICMAP_SLOT;
}

void staticmap_init(StaticMap *sm, uint64_t addr, const int64_t *keys, uint32_t n)
{
    memset(sm, 0, sizeof *sm);
    sm->nslots = nslots_for(n);
    sm->key = calloc(sm->nslots, sizeof *sm->key);
    sm->val = calloc(sm->nslots, sizeof *sm->val);
    sm->used = calloc(sm->nslots, sizeof *sm->used);
    assert(sm->key && sm->val && sm->used);
    sm->addr = addr; /* laid out by the linker: no allocation, no touch */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t s = home(sm, keys[i]);
        while (sm->used[s])
            s = (s + 1) & (sm->nslots - 1);
        sm->used[s] = true;
        sm->key[s] = keys[i];
    }
}

void staticmap_record(Machine *m, const StaticMap *sm, const char *name)
{
    uint64_t size = (uint64_t)sm->nslots * STATICMAP_SLOT;
    TRACE(m->tr, ALLOC, sm->addr, size, size, 0, TRACE_STR(m->tr, name), OBJ_OTHER,
          SPACE_STATIC, 0);
    (void)m, (void)size, (void)name;
}

void staticmap_free(StaticMap *sm)
{
    free(sm->key);
    free(sm->val);
    free(sm->used);
    memset(sm, 0, sizeof *sm);
}

/* The slot holding key, or -1: probe until the key or an empty slot. */
static int64_t find(Machine *m, const StaticMap *sm, int64_t key)
{
    for (uint32_t s = home(sm, key), n = 0; n < sm->nslots; s = (s + 1) & (sm->nslots - 1), n++) {
        touch_read(m, sm->addr + (uint64_t)s * STATICMAP_SLOT, 8);
        if (!sm->used[s])
            return -1;
        if (sm->key[s] == key)
            return s;
    }
    return -1;
}

bool staticmap_load(Machine *m, StaticMap *sm, int64_t key, int64_t *val)
{
    int64_t s = find(m, sm, key);
    if (s < 0)
        return false;
    touch_read(m, sm->addr + (uint64_t)s * STATICMAP_SLOT + 8, 8);
    if (val)
        *val = sm->val[s];
    return true;
}

StaticMapStatus staticmap_store(Machine *m, StaticMap *sm, int64_t key, int64_t val)
{
    int64_t s = find(m, sm, key);
    if (s < 0)
        return STATICMAP_NOKEY;
    touch_atomic(m, sm->addr + (uint64_t)s * STATICMAP_SLOT + 8, 8); /* XCHG */
    sm->val[s] = val;
    return STATICMAP_OK;
}

bool staticmap_check(const StaticMap *sm)
{
    for (uint32_t s = 0; s < sm->nslots; s++) {
        if (!sm->used[s])
            continue;
        for (uint32_t t = home(sm, sm->key[s]); t != s; t = (t + 1) & (sm->nslots - 1))
            if (!sm->used[t])
                return false;
    }
    return true;
}
