/*
 * slice.h — Go slices: the 24-byte header {array, len, cap}, make (on the
 * stack or the heap, by the compiler's escape rules), append with
 * runtime.growslice's exact capacity rule and size-class rounding, copy, and
 * the index check that panics.
 *
 * The model tracks layout, not contents: a slice's elements are simulated
 * memory that is touched (for the cache model and the trace) but whose
 * values are not kept.
 *
 * Invariants: 0 <= len <= cap; array == 0 (nil) only if cap == 0; a heap
 * array is a live heap object of at least cap*elem bytes; a zero-size
 * element type never allocates (array is HEAP_ZEROBASE once non-nil).
 */
#ifndef GMV_SLICE_H
#define GMV_SLICE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define SLICE_HEADER_SIZE 24          /* runtime.slice: array, len, cap */
#define SLICE_MAX_STACK_MAKE 65536u   /* ir.MaxImplicitStackVarSize */
#define SLICE_MAX_ALLOC (1ull << 48)  /* runtime.maxAlloc on amd64 */

/* A Go type as the model needs it: size, alignment, whether it holds
 * pointers (decides noscan spans and the tiny allocator), and its name. */
typedef struct {
    uint32_t size, align;
    bool ptrs;
    const char *name;
} GoType;

/* Where a make() is in the program, as the compiler sees it. */
typedef struct {
    bool escapes;     /* escape analysis: the value outlives its frame */
    bool constant;    /* the size (or map hint) is a compile-time constant */
    const char *var;  /* the variable's name, for the frame and the viewer */
} MakeSite;

/* Models runtime.slice (slice.go:15) plus what the compiler knows
 * statically: the element type and where the header variable lives. */
typedef struct {
    uint64_t array;        /* simulated address; 0 is a nil slice */
    uint64_t len, cap;
    const GoType *et;
    uint64_t hdr;          /* address of the header variable, 0 if none */
} Slice;

typedef enum { SLICE_OK, SLICE_PANIC } SliceStatus;

/* A nil slice of element type et whose header is the variable at hdr (0:
 * a temporary).  Records nothing. */
Slice slice_nil(const GoType *et, uint64_t hdr);

/* make([]T, len, cap) at site: the array goes in the current frame if it
 * does not escape, cap is constant and the array is at most 64 KiB;
 * otherwise on the heap.  Records SLICE_MAKE with where and why.  Models
 * walk.walkMakeSlice (walk/builtin.go:386) and runtime.makeslice
 * (slice.go:88).  Requires len <= cap. */
Slice slice_make(Machine *m, const GoType *et, uint64_t len, uint64_t cap,
                 MakeSite site);

/* The capacity growslice picks for a slice of cap oldcap that must hold
 * needed elements of elemsize bytes, after size-class rounding; 0 if Go
 * would panic with "growslice: cap out of range".  Models the arithmetic of
 * runtime.growslice (slice.go:178); pure. */
uint64_t slice_newcap(uint64_t oldcap, uint64_t needed, uint64_t elemsize);

/* The program stores s into its header variable (s.hdr; nothing if 0):
 * writes the 24 bytes and records SLICE_SET, so that a viewer knows the
 * header's {array, len, cap}, nil included. */
void slice_store(Machine *m, Slice s);

/* s = append(s, n new elements): grows through growslice when needed (the
 * old heap array becomes garbage: the caller must hold no other slice of
 * it), writes the new elements and stores the header (slice_store).
 * Returns the new slice. */
Slice slice_append(Machine *m, Slice s, uint64_t n);

/* s = append(s, src...): as slice_append, reading src's elements. */
Slice slice_append_slice(Machine *m, Slice s, Slice src);

/* copy(dst, src): returns the number of elements copied. */
uint64_t slice_copy(Machine *m, Slice dst, Slice src);

/* s[i] (write: s[i] = x).  Out of range: emits PANIC with Go's message
 * ("index out of range [5] with length 3") and returns SLICE_PANIC. */
SliceStatus slice_index(Machine *m, Slice s, uint64_t i, bool write);

/* The program dropped its last reference to s's array. */
void slice_drop(Machine *m, Slice s);

/* Where an array lives (heap, stack or the zero base). */
bool slice_on_heap(Slice s);

#endif
