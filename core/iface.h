/*
 * iface.h — Go's empty interface (`any`) on the simulated machine: the
 * 16-byte eface {_type, data}, the conversions the compiler emits when a
 * value becomes an interface, and the hash and equality the runtime uses
 * for interface map keys.
 *
 * A conversion allocates exactly when Go 1.19 does (walk/convert.go:115
 * dataWord, runtime/iface.go:378 convT64):
 *   - an integer < 256 points into runtime.staticuint64s: no allocation;
 *   - a constant points to read-only static data: no allocation;
 *   - any other int is an 8-byte pointer-free object (the tiny allocator);
 *   - a non-empty string needs a 16-byte header object (convTstring).
 *
 * Boxed data is simulated memory whose bytes are kept host-side in a
 * BoxMem, so that equality really reads it (and touches it) as efaceeq
 * does.  BoxMem also holds the bytes of other small objects the sync.Map
 * model keeps (entries, `any` boxes, readOnly boxes): every word the model
 * reads back was written there first.
 *
 * Invariant: every data word of an Eface made here resolves in its BoxMem
 * (or is computable: staticuint64s); a type word is one of IFACE_TYPE_*.
 */
#ifndef GMV_IFACE_H
#define GMV_IFACE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "map.h"

#define EFACE_SIZE 16

/* Simulated addresses of runtime type descriptors and static data (the
 * binary's read-only segment, below the heap). */
#define IFACE_TYPE_INT 0x4a0000ull     /* type.int */
#define IFACE_TYPE_STRING 0x4a0040ull  /* type.string */
#define IFACE_STATICUINT64S 0x590000ull /* runtime.staticuint64s [256]uint64 */
#define IFACE_ZEROVAL 0x5a0000ull      /* runtime.zeroVal */
#define IFACE_RODATA 0x4c0000ull       /* constants converted to interfaces */

/* runtime.eface (runtime2.go:208): type 0 is the nil interface. */
typedef struct {
    uint64_t type, data;
} Eface;

/* Host bytes of one small simulated object (at most two words), or of a
 * string's bytes. */
typedef struct {
    uint64_t addr;
    uint64_t w[2];
    char *str;       /* a string's bytes (str objects only) */
    uint32_t len;
} BoxSlot;

typedef struct {
    BoxSlot *slot;   /* open addressing by address; addr 0 = empty */
    uint32_t cap, n;
    uint64_t rodata_next;
} BoxMem;

void boxmem_init(BoxMem *bm);
void boxmem_free(BoxMem *bm);
/* Set word i (0 or 1) of the object at addr (created on first write). */
void boxmem_set(BoxMem *bm, uint64_t addr, unsigned i, uint64_t w);
/* Word i of the object at addr; asserts that it was written. */
uint64_t boxmem_get(const BoxMem *bm, uint64_t addr, unsigned i);

/* any(v) for a non-constant int: models runtime.convT64 (iface.go:378). */
Eface iface_int(Machine *m, BoxMem *bm, int64_t v);
/* any(v) where the interface does not escape (e.g. the key of Load or
 * Delete): the compiler copies v to a stack temporary (walk/convert.go:155)
 * — no allocation.  slot picks one of the caller's temporaries. */
Eface iface_int_temp(Machine *m, BoxMem *bm, int64_t v, unsigned slot);
/* any(C) for a constant int: the data word points to read-only data. */
Eface iface_int_const(Machine *m, BoxMem *bm, int64_t v);
/* any(s) for a non-constant string: models runtime.convTstring
 * (iface.go:388).  s is copied; its bytes are given a static address. */
Eface iface_string(Machine *m, BoxMem *bm, const char *s);
/* Host peek at the value of an int eface (no touch). */
int64_t iface_int_value(const BoxMem *bm, Eface e);
/* The program dropped e: a heap box becomes garbage (static data stays). */
void iface_drop(Machine *m, Eface e);

/* Store e into the 16 bytes at addr (host and touch) and load it back. */
void iface_store(Machine *m, BoxMem *bm, uint64_t addr, Eface e);
Eface iface_load(Machine *m, const BoxMem *bm, uint64_t addr);

/* Models runtime.nilinterhash (alg.go:117): by dynamic type and value,
 * reading the data (m may be NULL: no touch).  ctx is the BoxMem. */
uint64_t iface_hash(void *ctx, Machine *m, const uint8_t *key, uint64_t seed);
/* Models runtime.nilinterequal (alg.go:238): same type word, then the
 * type's equal on both data words (which reads, and touches, them). */
bool iface_equal(void *ctx, Machine *m, const uint8_t *a, const uint8_t *b);
/* Give a map type with key `any` the interface key ops (needkeyupdate is
 * true for interface keys, reflect.go:883). */
void iface_key_ops(MapType *t, BoxMem *bm);
/* A map label for interface keys (set up by iface_key_ops): the dynamic
 * value of an int key ("42"), or its type for others.  Reads host bytes
 * only, records nothing. */
void iface_map_label(const Map *h, const uint8_t *key, const uint8_t *elem,
                     char *buf, unsigned size);

/* The GoType of `any`. */
extern const GoType GOTYPE_ANY;

#endif
