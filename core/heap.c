/*
 * heap.c — mallocgc, spans and the sweep, after Go 1.19's malloc.go,
 * mcache.go, mcentral.go and mgcsweep.go, reduced to what decides addresses
 * and sizes.
 *
 * Invariants: page_span[p] is the index of the in-use span covering page p,
 * or -1; spans never overlap; an object's address is base + slot*elemsize;
 * each P's mcache caches at most one span per span class (class<<1|noscan).
 * Pages are handed out lowest address first, as Go's page allocator does.
 */
#include "heap.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TINY_BLOCK 0x80u /* tinylive flag: this slot is a tiny block */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    return q;
}

static void mcache_reset(MCache *c)
{
    for (unsigned i = 0; i < 2 * SC_NUM_CLASSES; i++)
        c->cur[i] = -1;
    c->tiny = 0;
    c->tinyoffset = 0;
}

void heap_init(Heap *h, Tracer *tr)
{
    memset(h, 0, sizeof *h);
    h->tr = tr;
    for (unsigned p = 0; p < HEAP_MAX_P; p++)
        mcache_reset(&h->mcache[p]);
}

void heap_free_all(Heap *h)
{
    for (uint32_t i = 0; i < h->nspans; i++) {
        free(h->spans[i].slot);
        free(h->spans[i].tinylive);
    }
    free(h->spans);
    free(h->page_span);
    memset(h, 0, sizeof *h);
}

/* First fit over the page map, growing the heap at its end if needed. */
static uint32_t alloc_pages(Heap *h, uint32_t npages)
{
    uint32_t run = 0, p = 0;
    for (; p < h->npages && run < npages; p++)
        run = h->page_span[p] < 0 ? run + 1 : 0;
    if (run == npages)
        return p - npages;
    uint32_t start = h->npages - run;
    uint32_t need = start + npages;
    if (need > h->pages_cap) {
        h->pages_cap = need * 2;
        h->page_span = xrealloc(h->page_span, h->pages_cap * sizeof *h->page_span);
    }
    for (uint32_t q = h->npages; q < need; q++)
        h->page_span[q] = -1;
    h->npages = need;
    return start;
}

static uint64_t page_addr(uint32_t page)
{
    return HEAP_BASE + (uint64_t)page * SC_PAGE_SIZE;
}

/* A new span of npages for class (0 = one large object). */
static int32_t span_new(Heap *h, uint32_t npages, unsigned class, bool noscan)
{
    int32_t si = -1;
    for (uint32_t i = 0; i < h->nspans && si < 0; i++)
        if (!h->spans[i].in_use)
            si = (int32_t)i;
    if (si < 0) {
        if (h->nspans == h->spans_cap) {
            h->spans_cap = h->spans_cap ? h->spans_cap * 2 : 64;
            h->spans = xrealloc(h->spans, h->spans_cap * sizeof *h->spans);
        }
        si = (int32_t)h->nspans++;
        memset(&h->spans[si], 0, sizeof h->spans[si]);
    }
    Span *s = &h->spans[si];
    uint32_t first = alloc_pages(h, npages);
    free(s->slot);
    free(s->tinylive);
    memset(s, 0, sizeof *s);
    s->base = page_addr(first);
    s->npages = npages;
    s->class = (uint16_t)class;
    s->noscan = noscan;
    s->in_use = true;
    s->elemsize = class ? sizeclass_size(class) : (uint32_t)(npages * SC_PAGE_SIZE);
    s->nelems = class ? sizeclass_nelems(class) : 1;
    s->slot = calloc(s->nelems, 1);
    if (class == 2 && noscan)
        s->tinylive = calloc(s->nelems, 1);
    if (!s->slot || (class == 2 && noscan && !s->tinylive))
        abort();
    for (uint32_t p = 0; p < npages; p++)
        h->page_span[first + p] = si;
    TRACE(h->tr, SPAN_NEW, s->base, npages, class, noscan, s->nelems);
    return si;
}

static bool span_has_free(const Span *s)
{
    return s->nlive + s->ngarbage < s->nelems;
}

/* The span the current P allocates class objects from: its cached span, a
 * partly free span of that class (mcentral's partial list), or a new one. */
static Span *span_for(Heap *h, unsigned class, bool noscan)
{
    int32_t *cur = &h->mcache[h->cur_p].cur[class << 1 | noscan];
    if (*cur >= 0 && span_has_free(&h->spans[*cur]))
        return &h->spans[*cur];
    int32_t best = -1;
    for (uint32_t i = 0; i < h->nspans; i++) {
        const Span *s = &h->spans[i];
        bool cached = false;
        for (unsigned p = 0; p < HEAP_MAX_P; p++)
            cached |= h->mcache[p].cur[class << 1 | noscan] == (int32_t)i;
        if (s->in_use && s->class == class && s->noscan == noscan && !cached &&
            span_has_free(s) && (best < 0 || s->base < h->spans[best].base))
            best = (int32_t)i;
    }
    if (best < 0)
        best = span_new(h, sizeclass_npages(class), class, noscan);
    *cur = best;
    return &h->spans[best];
}

/* Lowest free slot at or above freeindex (nextFreeIndex, mbitmap.go). */
static uint64_t span_take(Span *s)
{
    uint32_t i = s->freeindex;
    while (s->slot[i] != SLOT_FREE)
        i++;
    assert(i < s->nelems);
    s->slot[i] = SLOT_LIVE;
    s->nlive++;
    s->freeindex = i + 1;
    return s->base + (uint64_t)i * s->elemsize;
}

static void account(Heap *h, uint64_t rounded, bool counts_as_malloc)
{
    h->stats.mallocs += counts_as_malloc;
    h->stats.total_alloc += rounded;
    h->stats.live_bytes += rounded;
    if (h->stats.live_bytes > h->stats.peak_bytes)
        h->stats.peak_bytes = h->stats.live_bytes;
}

static void emit_alloc(Heap *h, uint64_t addr, uint64_t size, uint64_t rounded,
                       unsigned class, const char *type, ObjKind kind,
                       MemSpace space)
{
    TRACE(h->tr, ALLOC, addr, size, rounded, class, TRACE_STR(h->tr, type),
          kind, space, h->cur_g);
    (void)addr, (void)size, (void)rounded, (void)class, (void)type,
        (void)kind, (void)space;
}

static uint64_t alloc_small(Heap *h, uint64_t size, bool noscan, ObjKind kind,
                            const char *type)
{
    unsigned class = sizeclass_of(size);
    Span *s = span_for(h, class, noscan);
    uint64_t addr = span_take(s);
    account(h, s->elemsize, kind != OBJ_TINY_BLOCK);
    emit_alloc(h, addr, size, s->elemsize, class, type, kind, SPACE_HEAP);
    return addr;
}

static uint64_t alloc_large(Heap *h, uint64_t size, bool noscan, ObjKind kind,
                            const char *type)
{
    uint32_t npages = (uint32_t)((size + SC_PAGE_SIZE - 1) / SC_PAGE_SIZE);
    int32_t si = span_new(h, npages, 0, noscan); /* may move h->spans */
    Span *s = &h->spans[si];
    uint64_t addr = span_take(s);
    account(h, s->elemsize, true);
    emit_alloc(h, addr, size, s->elemsize, 0, type, kind, SPACE_LARGE);
    return addr;
}

static Span *span_of(const Heap *h, uint64_t addr, uint32_t *slot)
{
    if (addr < HEAP_BASE || addr >= page_addr(h->npages))
        return NULL;
    int32_t si = h->page_span[(addr - HEAP_BASE) / SC_PAGE_SIZE];
    if (si < 0)
        return NULL;
    Span *s = &h->spans[si];
    *slot = (uint32_t)((addr - s->base) / s->elemsize);
    return s;
}

static bool is_current_tiny(const Heap *h, uint64_t block)
{
    for (unsigned p = 0; p < HEAP_MAX_P; p++)
        if (h->mcache[p].tiny == block)
            return true;
    return false;
}

/* A tiny block with no live sub-object that no P allocates from any more is
 * garbage as a whole. */
static void tiny_release(Heap *h, uint64_t block)
{
    uint32_t slot;
    Span *s = span_of(h, block, &slot);
    assert(s && s->tinylive && (s->tinylive[slot] & TINY_BLOCK));
    if ((s->tinylive[slot] & ~TINY_BLOCK) == 0 && !is_current_tiny(h, block) &&
        s->slot[slot] == SLOT_LIVE) {
        s->slot[slot] = SLOT_GARBAGE;
        s->nlive--;
        s->ngarbage++;
        TRACE(h->tr, GARBAGE, block);
    }
}

/* Tiny allocator (malloc.go:1003): pointer-free objects under 16 bytes are
 * packed into the P's current 16-byte block. */
static uint64_t alloc_tiny(Heap *h, uint64_t size, ObjKind kind, const char *type)
{
    MCache *c = &h->mcache[h->cur_p];
    uint64_t off = c->tinyoffset;
    if ((size & 7) == 0)
        off = (off + 7) & ~7ull;
    else if ((size & 3) == 0)
        off = (off + 3) & ~3ull;
    else if ((size & 1) == 0)
        off = (off + 1) & ~1ull;
    uint64_t addr;
    if (off + size <= SC_TINY_SIZE && c->tiny != 0) {
        addr = c->tiny + off;
        c->tinyoffset = off + size;
    } else {
        uint64_t old = c->tiny;
        addr = alloc_small(h, SC_TINY_SIZE, true, OBJ_TINY_BLOCK, "tiny block");
        uint32_t slot;
        span_of(h, addr, &slot)->tinylive[slot] = TINY_BLOCK;
        if (size < c->tinyoffset || c->tiny == 0) {
            c->tiny = addr;
            c->tinyoffset = size;
            if (old)
                tiny_release(h, old);
        }
    }
    uint32_t slot;
    Span *s = span_of(h, addr, &slot);
    s->tinylive[slot]++;
    h->stats.mallocs++; /* counted like c.tinyAllocs */
    emit_alloc(h, addr, size, 0, 2, type, kind, SPACE_TINY);
    return addr;
}

uint64_t heap_alloc(Heap *h, uint64_t size, bool noscan, ObjKind kind,
                    const char *type)
{
    if (size == 0)
        return HEAP_ZEROBASE;
    if (noscan && size < SC_TINY_SIZE)
        return alloc_tiny(h, size, kind, type);
    if (size <= SC_MAX_SMALL)
        return alloc_small(h, size, noscan, kind, type);
    return alloc_large(h, size, noscan, kind, type);
}

void heap_garbage(Heap *h, uint64_t addr)
{
    uint32_t slot;
    Span *s = span_of(h, addr, &slot);
    assert(s && "garbage: not a heap object");
    if (s->tinylive && (s->tinylive[slot] & TINY_BLOCK)) {
        assert((s->tinylive[slot] & ~TINY_BLOCK) > 0);
        s->tinylive[slot]--;
        TRACE(h->tr, GARBAGE, addr);
        tiny_release(h, s->base + (uint64_t)slot * s->elemsize);
        return;
    }
    assert(s->slot[slot] == SLOT_LIVE && "garbage: object not live");
    s->slot[slot] = SLOT_GARBAGE;
    s->nlive--;
    s->ngarbage++;
    TRACE(h->tr, GARBAGE, addr);
}

static void span_release(Heap *h, Span *s)
{
    uint32_t first = (uint32_t)((s->base - HEAP_BASE) / SC_PAGE_SIZE);
    for (uint32_t p = 0; p < s->npages; p++)
        h->page_span[first + p] = -1;
    s->in_use = false;
    TRACE(h->tr, SPAN_FREE, s->base);
}

/* Sweep one span (mspan.sweep, mgcsweep.go): garbage slots become free. */
static uint64_t span_sweep(Heap *h, Span *s, uint64_t *bytes)
{
    uint64_t freed = 0;
    for (uint32_t i = 0; i < s->nelems && s->ngarbage; i++) {
        if (s->slot[i] != SLOT_GARBAGE)
            continue;
        s->slot[i] = SLOT_FREE;
        if (s->tinylive)
            s->tinylive[i] = 0;
        s->ngarbage--;
        freed++;
        *bytes += s->elemsize;
        if (i < s->freeindex)
            s->freeindex = i;
        TRACE(h->tr, FREE, s->base + (uint64_t)i * s->elemsize, s->elemsize);
    }
    if (s->nlive == 0)
        span_release(h, s);
    return freed;
}

uint64_t heap_gc(Heap *h)
{
    /* Mark termination flushes every mcache (mcache.prepareForSweep). */
    for (unsigned p = 0; p < HEAP_MAX_P; p++) {
        uint64_t tiny = h->mcache[p].tiny;
        mcache_reset(&h->mcache[p]);
        if (tiny)
            tiny_release(h, tiny);
    }
    uint64_t freed = 0, bytes = 0;
    for (uint32_t i = 0; i < h->nspans; i++)
        if (h->spans[i].in_use && (h->spans[i].ngarbage || !h->spans[i].nlive))
            freed += span_sweep(h, &h->spans[i], &bytes);
    h->stats.frees += freed;
    h->stats.live_bytes -= bytes;
    h->stats.gc_cycles++;
    TRACE(h->tr, GC, freed, bytes);
    return freed;
}

uint64_t heap_object_size(const Heap *h, uint64_t addr)
{
    uint32_t slot;
    const Span *s = span_of(h, addr, &slot);
    return s && s->slot[slot] != SLOT_FREE ? s->elemsize : 0;
}

int heap_object_state(const Heap *h, uint64_t addr)
{
    uint32_t slot;
    const Span *s = span_of(h, addr, &slot);
    return s ? s->slot[slot] : SLOT_FREE;
}

bool heap_check(const Heap *h)
{
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < h->nspans; i++) {
        const Span *s = &h->spans[i];
        if (!s->in_use)
            continue;
        uint32_t live = 0, garbage = 0;
        for (uint32_t k = 0; k < s->nelems; k++) {
            live += s->slot[k] == SLOT_LIVE;
            garbage += s->slot[k] == SLOT_GARBAGE;
        }
        bytes += (uint64_t)(live + garbage) * s->elemsize;
        uint32_t first = (uint32_t)((s->base - HEAP_BASE) / SC_PAGE_SIZE);
        for (uint32_t p = 0; p < s->npages; p++)
            if (h->page_span[first + p] != (int32_t)i) {
                fprintf(stderr, "heap_check: page %u not owned by span %u\n", first + p, i);
                return false;
            }
        if (live != s->nlive || garbage != s->ngarbage) {
            fprintf(stderr, "heap_check: span %u counts %u/%u, slots say %u/%u\n",
                    i, s->nlive, s->ngarbage, live, garbage);
            return false;
        }
    }
    if (bytes != h->stats.live_bytes) {
        fprintf(stderr, "heap_check: live bytes %llu, spans hold %llu\n",
                (unsigned long long)h->stats.live_bytes, (unsigned long long)bytes);
        return false;
    }
    return true;
}
