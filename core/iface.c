/*
 * iface.c — interface conversion (convT64, convTstring, constants), eface
 * hash and equality, and BoxMem, the host bytes of small simulated objects.
 *
 * Invariant: see iface.h.  A word changes only together with a touch of its
 * simulated address by the caller or here; BoxMem lookups touch nothing.
 */
#include "iface.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

const GoType GOTYPE_ANY = {EFACE_SIZE, 8, true, "interface {}"};

enum { STATICUINT64S_LEN = 256, BOXMEM_MIN_CAP = 64 };

void boxmem_init(BoxMem *bm)
{
    memset(bm, 0, sizeof *bm);
    bm->rodata_next = IFACE_RODATA;
}

void boxmem_free(BoxMem *bm)
{
    for (uint32_t i = 0; i < bm->cap; i++)
        free(bm->slot[i].str);
    free(bm->slot);
    memset(bm, 0, sizeof *bm);
}

static uint32_t slot_index(const BoxMem *bm, uint64_t addr)
{
    uint32_t mask = bm->cap - 1, i = (uint32_t)hash_fmix64(addr) & mask;
    while (bm->slot[i].addr && bm->slot[i].addr != addr)
        i = (i + 1) & mask;
    return i;
}

static void grow(BoxMem *bm)
{
    BoxMem old = *bm;
    bm->cap = old.cap ? old.cap * 2 : BOXMEM_MIN_CAP;
    bm->slot = calloc(bm->cap, sizeof *bm->slot);
    assert(bm->slot);
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.slot[i].addr)
            bm->slot[slot_index(bm, old.slot[i].addr)] = old.slot[i];
    free(old.slot);
}

/* The slot of addr, created (zeroed) if absent.  A heap address reused
 * after GC simply gets new contents. */
static BoxSlot *slot_at(BoxMem *bm, uint64_t addr)
{
    assert(addr);
    if (2 * (bm->n + 1) > bm->cap)
        grow(bm);
    BoxSlot *s = &bm->slot[slot_index(bm, addr)];
    if (!s->addr) {
        s->addr = addr;
        bm->n++;
    }
    return s;
}

static const BoxSlot *slot_find(const BoxMem *bm, uint64_t addr)
{
    if (!bm->cap)
        return NULL;
    const BoxSlot *s = &bm->slot[slot_index(bm, addr)];
    return s->addr ? s : NULL;
}

void boxmem_set(BoxMem *bm, uint64_t addr, unsigned i, uint64_t w)
{
    assert(i < 2);
    slot_at(bm, addr)->w[i] = w;
}

uint64_t boxmem_get(const BoxMem *bm, uint64_t addr, unsigned i)
{
    assert(i < 2);
    if (addr - IFACE_STATICUINT64S < 8 * STATICUINT64S_LEN)
        return i == 0 ? (addr - IFACE_STATICUINT64S) / 8 : 0;
    if (addr == IFACE_ZEROVAL)
        return 0;
    const BoxSlot *s = slot_find(bm, addr);
    assert(s && "boxmem: reading simulated memory never written");
    return s ? s->w[i] : 0;
}

Eface iface_int(Machine *m, BoxMem *bm, int64_t v)
{
    Eface e = {IFACE_TYPE_INT, 0};
    if ((uint64_t)v < STATICUINT64S_LEN) {
        e.data = IFACE_STATICUINT64S + 8 * (uint64_t)v; /* &staticuint64s[v] */
        return e;
    }
    e.data = machine_alloc(m, 8, true, OBJ_BOXED, "int"); /* mallocgc(8, uint64Type, false) */
    boxmem_set(bm, e.data, 0, (uint64_t)v);
    touch_write(m, e.data, 8);
    return e;
}

Eface iface_int_temp(Machine *m, BoxMem *bm, int64_t v, unsigned slot)
{
    Eface e = {IFACE_TYPE_INT, 0};
    if ((uint64_t)v < STATICUINT64S_LEN) {
        e.data = IFACE_STATICUINT64S + 8 * (uint64_t)v;
        return e;
    }
    /* an autotmp in the current frame, just above sp */
    e.data = machine_stack(m)->sp + 8 * (uint64_t)slot;
    boxmem_set(bm, e.data, 0, (uint64_t)v);
    touch_write(m, e.data, 8);
    return e;
}

/* A constant lives in the binary: written at link time, so no touch. */
Eface iface_int_const(Machine *m, BoxMem *bm, int64_t v)
{
    (void)m;
    Eface e = {IFACE_TYPE_INT, bm->rodata_next};
    bm->rodata_next += 8;
    boxmem_set(bm, e.data, 0, (uint64_t)v);
    return e;
}

Eface iface_string(Machine *m, BoxMem *bm, const char *s)
{
    Eface e = {IFACE_TYPE_STRING, IFACE_ZEROVAL};
    size_t len = strlen(s);
    if (len == 0)
        return e; /* convTstring: "" points to zeroVal */
    uint64_t bytes = bm->rodata_next;
    bm->rodata_next += (len + 7) & ~(size_t)7;
    BoxSlot *b = slot_at(bm, bytes);
    free(b->str);
    b->str = strdup(s);
    b->len = (uint32_t)len;
    e.data = machine_alloc(m, 16, false, OBJ_BOXED, "string");
    boxmem_set(bm, e.data, 0, bytes);
    boxmem_set(bm, e.data, 1, len);
    touch_write(m, e.data, 16);
    return e;
}

int64_t iface_int_value(const BoxMem *bm, Eface e)
{
    assert(e.type == IFACE_TYPE_INT);
    return (int64_t)boxmem_get(bm, e.data, 0);
}

void iface_drop(Machine *m, Eface e)
{
    if (e.data >= HEAP_BASE)
        heap_garbage(&m->heap, e.data);
}

void iface_store(Machine *m, BoxMem *bm, uint64_t addr, Eface e)
{
    boxmem_set(bm, addr, 0, e.type);
    boxmem_set(bm, addr, 1, e.data);
    touch_write(m, addr, EFACE_SIZE);
}

Eface iface_load(Machine *m, const BoxMem *bm, uint64_t addr)
{
    touch_read(m, addr, EFACE_SIZE);
    Eface e = {boxmem_get(bm, addr, 0), boxmem_get(bm, addr, 1)};
    return e;
}

static Eface eface_of(const uint8_t *key)
{
    Eface e;
    memcpy(&e.type, key, 8);
    memcpy(&e.data, key + 8, 8);
    return e;
}

static void touch_if(Machine *m, uint64_t addr, uint32_t size)
{
    if (m && size)
        touch_read(m, addr, size);
}

/* A string's header, then its bytes. */
static const BoxSlot *string_bytes(Machine *m, const BoxMem *bm, uint64_t data,
                                   uint64_t *len)
{
    touch_if(m, data, 16);
    *len = boxmem_get(bm, data, 1);
    if (*len == 0)
        return NULL;
    const BoxSlot *b = slot_find(bm, boxmem_get(bm, data, 0));
    assert(b && b->str);
    touch_if(m, b->addr, (uint32_t)*len);
    return b;
}

uint64_t iface_hash(void *ctx, Machine *m, const uint8_t *key, uint64_t seed)
{
    const BoxMem *bm = ctx;
    Eface e = eface_of(key);
    if (e.type == 0)
        return seed;
    seed ^= hash_fmix64(e.type); /* typehash(t, data, h^c0): type decides */
    if (e.type == IFACE_TYPE_STRING) {
        uint64_t len;
        const BoxSlot *b = string_bytes(m, bm, e.data, &len);
        return b ? hash_bytes(b->str, len, seed) : hash_u64(0, seed);
    }
    touch_if(m, e.data, 8); /* memhash64(a.data, h) */
    return hash_u64(boxmem_get(bm, e.data, 0), seed);
}

bool iface_equal(void *ctx, Machine *m, const uint8_t *a, const uint8_t *b)
{
    const BoxMem *bm = ctx;
    Eface x = eface_of(a), y = eface_of(b);
    if (x.type != y.type)
        return false;
    if (x.type == 0)
        return true;
    if (x.type == IFACE_TYPE_STRING) { /* strequal */
        uint64_t lx, ly;
        touch_if(m, x.data, 16);
        touch_if(m, y.data, 16);
        lx = boxmem_get(bm, x.data, 1);
        ly = boxmem_get(bm, y.data, 1);
        if (lx != ly)
            return false;
        if (lx == 0 || boxmem_get(bm, x.data, 0) == boxmem_get(bm, y.data, 0))
            return true;
        const BoxSlot *sx = string_bytes(m, bm, x.data, &lx);
        const BoxSlot *sy = string_bytes(m, bm, y.data, &ly);
        return memcmp(sx->str, sy->str, lx) == 0;
    }
    touch_if(m, x.data, 8); /* memequal64 reads both words */
    touch_if(m, y.data, 8);
    return boxmem_get(bm, x.data, 0) == boxmem_get(bm, y.data, 0);
}

void iface_key_ops(MapType *t, BoxMem *bm)
{
    assert(t->key.size == EFACE_SIZE);
    t->hasher = iface_hash;
    t->equal = iface_equal;
    t->key_ctx = bm;
    t->needkeyupdate = true;
}

void iface_map_label(const Map *h, const uint8_t *key, const uint8_t *elem,
                     char *buf, unsigned size)
{
    (void)elem;
    Eface e;
    memcpy(&e, key, sizeof e);
    if (e.type == IFACE_TYPE_INT && h->t->key_ctx)
        snprintf(buf, size, "%lld", (long long)iface_int_value(h->t->key_ctx, e));
    else
        snprintf(buf, size, "%s", e.type == IFACE_TYPE_STRING ? "string" : "any");
}
