/*
 * slice.c — make, growslice, append, copy and the bounds check, after Go
 * 1.19's runtime/slice.go and cmd/compile/internal/walk/builtin.go.
 *
 * Invariant: see slice.h.  Every function that changes a slice returns the
 * new value (s = slice_append(m, s, 1)), as append does in Go.
 */
#include "slice.h"

#include <assert.h>
#include <stdio.h>

#include "sizeclass.h"

Slice slice_nil(const GoType *et, uint64_t hdr)
{
    Slice s = {0, 0, 0, et, hdr};
    return s;
}

bool slice_on_heap(Slice s)
{
    return s.array >= HEAP_BASE && s.array < STACK_REGION;
}

/* "[n]T" for the trace, formatted only when someone records it. */
static const char *array_name(Machine *m, const GoType *et, uint64_t n,
                              char *buf, size_t size)
{
    if (!m->tr)
        return "";
    snprintf(buf, size, "[%llu]%s", (unsigned long long)n, et->name);
    return buf;
}

/* Why the compiler puts the array on the heap; NULL: it stays in the frame.
 * Models the checks of escape analysis on OMAKESLICE (escape/utils.go:
 * HeapAllocReason). */
static const char *heap_reason(const GoType *et, uint64_t cap, MakeSite site)
{
    if (site.escapes)
        return "escapes";
    if (!site.constant)
        return "non-constant size";
    if ((uint64_t)et->size * cap > SLICE_MAX_STACK_MAKE)
        return "too large for stack";
    return NULL;
}

Slice slice_make(Machine *m, const GoType *et, uint64_t len, uint64_t cap,
                 MakeSite site)
{
    assert(len <= cap);
    Stack *st = machine_stack(m);
    char name[64];
    const char *type = array_name(m, et, cap, name, sizeof name);
    uint64_t mem = (uint64_t)et->size * cap;
    uint64_t hdr = site.var ? stack_local(st, site.var, "slice header",
                                          SLICE_HEADER_SIZE, 8) : 0;
    const char *reason = heap_reason(et, cap, site);
    MemSpace where = reason ? SPACE_HEAP : SPACE_STACK;
    uint64_t array;
    if (reason) /* runtime.makeslice: mallocgc(mem, et, true) */
        array = machine_alloc(m, mem, !et->ptrs, OBJ_ARRAY, type);
    else /* a stack temporary the compiler zeroes */
        array = mem ? stack_local(st, site.var ? site.var : "", type, mem,
                                  et->align ? et->align : 1)
                    : HEAP_ZEROBASE;
    if (mem && !reason)
        touch_write(m, array, (uint32_t)mem);
    if (hdr)
        touch_write(m, hdr, SLICE_HEADER_SIZE);
    TRACE(m->tr, SLICE_MAKE, hdr, array, len, cap, et->size,
          TRACE_STR(m->tr, et->name), where, TRACE_STR(m->tr, reason));
    (void)where;
    Slice s = {array, len, cap, et, hdr};
    return s;
}

uint64_t slice_newcap(uint64_t oldcap, uint64_t needed, uint64_t elemsize)
{
    if (elemsize == 0)
        return needed; /* zero-size elements: cap is just what was asked */
    int64_t newcap = (int64_t)oldcap, want = (int64_t)needed;
    int64_t doublecap = newcap + newcap;
    if (want > doublecap) {
        newcap = want;
    } else if (oldcap < 256) {
        newcap = doublecap;
    } else {
        /* from 2x for small slices to 1.25x for large, smoothly */
        while (0 < newcap && newcap < want)
            newcap += (newcap + 3 * 256) / 4;
        if (newcap <= 0)
            newcap = want;
    }
    if ((uint64_t)newcap > SLICE_MAX_ALLOC / elemsize)
        return 0;
    uint64_t capmem = sizeclass_roundup((uint64_t)newcap * elemsize);
    if (capmem > SLICE_MAX_ALLOC)
        return 0;
    return capmem / elemsize;
}

/* Models runtime.growslice (slice.go:178): a new array of the rounded
 * capacity, the old elements moved into it; len stays. */
static Slice growslice(Machine *m, Slice old, uint64_t needed)
{
    const GoType *et = old.et;
    Slice s = old;
    if (et->size == 0) {
        s.array = HEAP_ZEROBASE;
        s.cap = needed;
        return s;
    }
    s.cap = slice_newcap(old.cap, needed, et->size);
    assert(s.cap >= needed && "growslice: cap out of range");
    uint64_t lenmem = old.len * et->size, newlenmem = needed * et->size;
    uint64_t capmem = s.cap * et->size;
    char name[64];
    s.array = machine_alloc(m, capmem, !et->ptrs, OBJ_ARRAY,
                            array_name(m, et, s.cap, name, sizeof name));
    if (!et->ptrs) /* only the part append will not overwrite */
        touch_write(m, s.array + newlenmem, (uint32_t)(capmem - newlenmem));
    if (lenmem) { /* memmove(p, old.array, lenmem) */
        touch_read(m, old.array, (uint32_t)lenmem);
        touch_write(m, s.array, (uint32_t)lenmem);
    }
    TRACE(m->tr, SLICE_GROW, old.array, s.array, old.len, old.cap, s.cap,
          et->size);
    return s;
}

void slice_store(Machine *m, Slice s)
{
    if (!s.hdr)
        return;
    touch_write(m, s.hdr, SLICE_HEADER_SIZE);
    TRACE(m->tr, SLICE_SET, s.hdr, s.array, s.len, s.cap);
}

Slice slice_append(Machine *m, Slice s, uint64_t n)
{
    uint64_t newlen = s.len + n;
    if (newlen > s.cap) {
        Slice old = s;
        s = growslice(m, s, newlen);
        if (slice_on_heap(old) && old.array != s.array)
            heap_garbage(&m->heap, old.array);
    }
    if (n && s.et->size)
        touch_write(m, s.array + s.len * s.et->size, (uint32_t)(n * s.et->size));
    s.len = newlen;
    slice_store(m, s); /* s = append(s, ...) stores the header */
    return s;
}

Slice slice_append_slice(Machine *m, Slice s, Slice src)
{
    if (src.len && src.et->size)
        touch_read(m, src.array, (uint32_t)(src.len * src.et->size));
    return slice_append(m, s, src.len);
}

uint64_t slice_copy(Machine *m, Slice dst, Slice src)
{
    uint64_t n = dst.len < src.len ? dst.len : src.len;
    uint64_t bytes = n * dst.et->size;
    if (bytes) {
        touch_read(m, src.array, (uint32_t)bytes);
        touch_write(m, dst.array, (uint32_t)bytes);
    }
    TRACE(m->tr, SLICE_COPY, dst.array, src.array, bytes);
    return n;
}

/* Models runtime.goPanicIndex (panic.go:113): boundsError's message. */
SliceStatus slice_index(Machine *m, Slice s, uint64_t i, bool write)
{
    if (i >= s.len) {
        char msg[96];
        snprintf(msg, sizeof msg, "index out of range [%llu] with length %llu",
                 (unsigned long long)i, (unsigned long long)s.len);
        TRACE(m->tr, PANIC, m->cur_g, TRACE_STR(m->tr, msg));
        (void)msg;
        return SLICE_PANIC;
    }
    uint64_t at = s.array + i * s.et->size;
    if (write)
        touch_write(m, at, s.et->size);
    else
        touch_read(m, at, s.et->size);
    return SLICE_OK;
}

void slice_drop(Machine *m, Slice s)
{
    if (slice_on_heap(s))
        heap_garbage(&m->heap, s.array);
}
