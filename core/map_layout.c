/*
 * map_layout.c — the bucket type of a map, as the compiler builds it.
 *
 * A bucket is struct { topbits [8]uint8; keys [8]K; elems [8]E; overflow
 * *bmap-or-uintptr }, laid out with Go's struct rules.  Keys or elems over
 * 128 bytes are replaced by pointers to them (one heap object each).  If
 * neither holds pointers after that, the overflow field is a uintptr and the
 * whole bucket is pointer-free (noscan), so the runtime must keep overflow
 * buckets alive through hmap.extra instead.
 *
 * Invariant: keys_off == 8 (runtime's dataOffset), elems follow the keys
 * with no padding, and overflow is the last word with no padding after it —
 * the compiler's own checks (reflect.go:142-190), asserted here.
 */
#include <assert.h>
#include <stdio.h>

#include "map_internal.h"

const GoType GOTYPE_INT64 = {8, 8, false, "int64"};

static const GoType GOTYPE_POINTER = {8, 8, true, "unsafe.Pointer"};

static uint32_t align_up(uint32_t off, uint32_t align)
{
    return (off + align - 1) & ~(align - 1);
}

void maptype_init(MapType *t, const GoType *key, const GoType *elem)
{
    memset(t, 0, sizeof *t);
    t->key = *key;
    t->elem = *elem;
    /* keytype/elemtype as stored in the bucket (MapBucketType, :97) */
    const GoType *k = key->size > MAP_MAX_KEY_SIZE ? &GOTYPE_POINTER : key;
    const GoType *e = elem->size > MAP_MAX_ELEM_SIZE ? &GOTYPE_POINTER : elem;
    t->indirect_key = k != key;
    t->indirect_elem = e != elem;
    uint32_t ka = k->align ? k->align : 1, ea = e->align ? e->align : 1;
    assert(ka <= BUCKET_CNT && ea <= BUCKET_CNT && "key/elem align too big");
    assert(k->size % ka == 0 && e->size % ea == 0);
    t->keysize = (uint8_t)k->size;
    t->elemsize = (uint8_t)e->size;
    t->bucket_noscan = !k->ptrs && !e->ptrs;
    /* types.CalcSize of the struct: each field at its alignment, the
     * struct's alignment is the largest field's (the overflow word's 8). */
    t->keys_off = align_up(BUCKET_CNT, ka);
    t->elems_off = align_up(t->keys_off + BUCKET_CNT * k->size, ea);
    t->overflow_off = align_up(t->elems_off + BUCKET_CNT * e->size, 8);
    t->bucketsize = (uint16_t)(t->overflow_off + 8);
    assert(t->keys_off == MAP_DATA_OFFSET);
    assert(t->elems_off == slot_elem_off(t, 0));
    snprintf(t->name, sizeof t->name, "map[%s]%s", key->name, elem->name);
    snprintf(t->bucket_name, sizeof t->bucket_name, "bucket[%s]%s", key->name,
             elem->name);
}
