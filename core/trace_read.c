/*
 * trace_read.c — validating reader for .gmvt files (docs/trace-format.md).
 *
 * Invariant: every byte is read through a bounds check against the mapped
 * size; every growing array doubles from a small start and is bounded by the
 * file's real size (a chunk has at least 12 bytes, an event at least 2), so a
 * hostile length field can only make us stop, never allocate or read wildly.
 */
#include "trace_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

const uint8_t *varint_get_slow(const uint8_t *p, const uint8_t *end,
                               uint64_t *out)
{
    return varint_get(p, end, out);
}

static TraceStatus fail(TraceReader *r, TraceStatus st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    r->status = st;
    return st;
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * elem);
    if (!q) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    *cap = n;
    return q;
}

/* Explain a bad magic: text-mode transfers leave recognisable marks. */
static TraceStatus check_magic(TraceReader *r)
{
    const uint8_t *d = r->data;
    size_t n = r->size < 8 ? r->size : 8;
    if (r->size == 0)
        return fail(r, TRACE_DAMAGED, "damaged at byte 0: empty file, not a gomemviz trace");
    if (n >= 4 && memcmp(d + 1, "GMV", 3) == 0 && d[0] == 0x09)
        return fail(r, TRACE_DAMAGED, "damaged at byte 0: high bit stripped (7-bit transfer)");
    if (n >= 7 && memcmp(d, "\x89GMV\n\x1a\n", 7) == 0)
        return fail(r, TRACE_DAMAGED, "damaged at byte 4: CR LF became LF (text-mode transfer)");
    if (n >= 8 && memcmp(d, "\x89GMV\r\r\n\x1a", 8) == 0)
        return fail(r, TRACE_DAMAGED, "damaged at byte 5: LF became CR LF (text-mode transfer)");
    if (n >= 8 && memcmp(d, "\x89GMV\r\n\x1a\r", 8) == 0)
        return fail(r, TRACE_DAMAGED, "damaged at byte 7: LF became CR LF (text-mode transfer)");
    if (memcmp(d, TRACE_MAGIC, n) != 0)
        return fail(r, TRACE_DAMAGED, "damaged at byte 0: not a gomemviz trace (bad magic)");
    if (r->size < TRACE_HEADER_SIZE)
        return fail(r, TRACE_TRUNCATED, "truncated at byte %zu: file ends inside the header", r->size);
    return TRACE_OK;
}

static TraceStatus check_header(TraceReader *r)
{
    if (check_magic(r) != TRACE_OK)
        return r->status;
    const uint8_t *h = r->data;
    uint32_t bom = (uint32_t)get_le(h + 8, 4);
    if (bom == 0x04030201u)
        return fail(r, TRACE_DAMAGED, "damaged at byte 8: big-endian byte order mark; gomemviz traces are little-endian");
    if (bom != TRACE_BOM)
        return fail(r, TRACE_DAMAGED, "damaged at byte 8: bad byte order mark");
    r->version = (unsigned)get_le(h + 12, 2);
    if (r->version < 1 || r->version > TRACE_VERSION)
        return fail(r, TRACE_DAMAGED, "damaged at byte 12: unsupported trace version %u (this reader knows 1 to 3)", r->version);
    if (get_le(h + 14, 2) != TRACE_HEADER_SIZE)
        return fail(r, TRACE_DAMAGED, "damaged at byte 14: bad header size");
    if (get_le(h + 44, 4) != libdeflate_crc32(0, h, 44))
        return fail(r, TRACE_DAMAGED, "damaged at byte 44: header checksum mismatch");
    TraceParams *p = &r->params;
    p->ncores = h[16];
    p->line_size = (uint16_t)get_le(h + 18, 2);
    p->cache_size = (uint32_t)get_le(h + 20, 4);
    p->ways = (uint16_t)get_le(h + 24, 2);
    p->page_size = (uint32_t)get_le(h + 28, 4);
    p->heap_base = get_le(h + 32, 8);
    p->flags = (uint32_t)get_le(h + 40, 4);
    if (p->ncores < 1 || p->ncores > 8 || p->line_size < 8 || p->line_size > 4096 ||
        (p->line_size & (p->line_size - 1)) || p->ways == 0)
        return fail(r, TRACE_DAMAGED, "damaged at byte 16: impossible machine parameters");
    return TRACE_OK;
}


static void add_string(TraceReader *r, const uint8_t *s, size_t len)
{
    r->stroff = grow(r->stroff, &r->strs_cap, r->nstrs + 1, sizeof *r->stroff);
    r->strpool = grow(r->strpool, &r->pool_cap, r->pool_used + len + 1, 1);
    memcpy(r->strpool + r->pool_used, s, len);
    r->strpool[r->pool_used + len] = 0;
    r->stroff[r->nstrs++] = r->pool_used;
    r->pool_used += len + 1;
}

/* STRS payload: first id, count, then count x (length, bytes). */
static TraceStatus load_strings(TraceReader *r, size_t off, size_t len)
{
    const uint8_t *p = r->data + off, *end = p + len;
    uint64_t first, count, sl;
    if (!(p = varint_get(p, end, &first)) || !(p = varint_get(p, end, &count)))
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: bad string chunk header", off);
    if (first != r->nstrs || count > len)
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: string ids out of order", off);
    for (uint64_t i = 0; i < count; i++) {
        size_t at = (size_t)(p - r->data);
        if (!(p = varint_get(p, end, &sl)) || sl > (uint64_t)(end - p))
            return fail(r, TRACE_DAMAGED, "damaged at byte %zu: bad string length", at);
        add_string(r, p, (size_t)sl);
        p += sl;
    }
    if (p != end)
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: junk after strings", (size_t)(p - r->data));
    return TRACE_OK;
}

/* EVTS payload: first event index, count, then the events. */
static TraceStatus add_events(TraceReader *r, size_t off, size_t len)
{
    const uint8_t *p = r->data + off, *end = p + len;
    uint64_t first, count;
    if (!(p = varint_get(p, end, &first)) || !(p = varint_get(p, end, &count)))
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: bad event chunk header", off);
    if (first != r->nevents || count == 0 || count > (uint64_t)(end - p) / 2)
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: event numbering broken", off);
    r->chunks = grow(r->chunks, &r->chunks_cap, r->nchunks + 1, sizeof *r->chunks);
    TraceChunk *c = &r->chunks[r->nchunks++];
    c->offset = (uint64_t)(p - r->data);
    c->len = (uint32_t)(end - p);
    c->first = first;
    c->count = (uint32_t)count;
    c->nstrings = r->nstrs;
    r->nevents += count;
    return TRACE_OK;
}

static TraceStatus check_end(TraceReader *r, size_t off, size_t len, size_t next)
{
    const uint8_t *p = r->data + off, *end = p + len;
    uint64_t nev, nstr;
    if (!(p = varint_get(p, end, &nev)) || !(p = varint_get(p, end, &nstr)) ||
        nev != r->nevents || nstr != r->nstrs)
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: end chunk disagrees with the file", off);
    if (next != r->size)
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: data after the end chunk", next);
    return TRACE_OK;
}

/* One chunk at *off: check framing and CRC, dispatch on the tag. */
static TraceStatus walk_chunk(TraceReader *r, size_t *off, int *ended)
{
    size_t o = *off, rem = r->size - o;
    if (rem < 12)
        return fail(r, TRACE_TRUNCATED, "truncated at byte %zu: file ends inside a chunk header; %llu events readable",
                    o, (unsigned long long)r->nevents);
    const uint8_t *c = r->data + o;
    uint64_t len = get_le(c + 4, 4);
    int tag = !memcmp(c, "STRS", 4) ? 1 : !memcmp(c, "EVTS", 4) ? 2 : !memcmp(c, "ENDT", 4) ? 3 : 0;
    if (!tag)
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: unknown chunk tag", o);
    if (len > TRACE_CHUNK_MAX)
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: chunk length %llu too large", o + 4, (unsigned long long)len);
    if (len + 12 > rem)
        return fail(r, TRACE_TRUNCATED, "truncated at byte %zu: file ends inside a %.4s chunk; %llu events readable",
                    o, (const char *)c, (unsigned long long)r->nevents);
    if (get_le(c + 8 + len, 4) != libdeflate_crc32(0, c, 8 + len))
        return fail(r, TRACE_DAMAGED, "damaged at byte %zu: checksum mismatch in %.4s chunk", o, (const char *)c);
    *off = o + 12 + (size_t)len;
    if (tag == 1)
        return load_strings(r, o + 8, (size_t)len);
    if (tag == 2)
        return add_events(r, o + 8, (size_t)len);
    *ended = 1;
    return check_end(r, o + 8, (size_t)len, *off);
}

void trace_release(TraceReader *r, size_t lo, size_t hi)
{
    if (!r->mapped || hi > r->size || lo >= hi)
        return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    lo = (lo + page - 1) & ~(page - 1);
    if (hi < r->size)
        hi &= ~(page - 1);
    if (lo < hi) /* advice only: if the kernel says no, the pages stay */
        (void)madvise((void *)(r->data + lo), hi - lo, MADV_DONTNEED);
}

static TraceStatus scan(TraceReader *r)
{
    add_string(r, (const uint8_t *)"", 0);
    if (check_header(r) != TRACE_OK)
        return r->status;
    size_t off = TRACE_HEADER_SIZE, kept = 0;
    int ended = 0;
    while (!ended && off < r->size) {
        if (walk_chunk(r, &off, &ended) != TRACE_OK)
            return r->status;
        if (off - kept >= (4u << 20)) { /* checked: not needed until decoded */
            trace_release(r, kept, off);
            kept = off;
        }
    }
    if (!ended)
        return fail(r, TRACE_TRUNCATED, "truncated at byte %zu: no end chunk (recording did not finish); %llu events readable",
                    off, (unsigned long long)r->nevents);
    return TRACE_OK;
}

static TraceStatus open_data(TraceReader *r, const uint8_t *data, size_t size, int mapped)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->size = size;
    r->mapped = mapped; /* before the scan, which hands checked pages back */
    return scan(r);
}

TraceStatus trace_open_mem(TraceReader *r, const uint8_t *data, size_t size)
{
    return open_data(r, data, size, 0);
}

TraceStatus trace_open(TraceReader *r, const char *path)
{
    memset(r, 0, sizeof *r);
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = fd < 0 ? errno : EINVAL;
        if (fd >= 0)
            close(fd);
        snprintf(r->message, sizeof r->message, "cannot open %s: %s", path,
                 e == EINVAL ? "not a regular file" : strerror(e));
        return r->status = TRACE_IO_ERROR;
    }
    const uint8_t *data = (const uint8_t *)"";
    if (st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            snprintf(r->message, sizeof r->message, "cannot map %s: %s", path, strerror(errno));
            close(fd);
            return r->status = TRACE_IO_ERROR;
        }
        data = m;
    }
    close(fd);
    return open_data(r, data, (size_t)st.st_size, st.st_size > 0);
}

void trace_close(TraceReader *r)
{
    if (r->mapped)
        munmap((void *)r->data, r->size);
    free(r->chunks);
    free(r->stroff);
    free(r->strpool);
    memset(r, 0, sizeof *r);
}

const char *trace_string(const TraceReader *r, uint64_t id)
{
    return id < r->nstrs ? r->strpool + r->stroff[id] : "";
}

size_t trace_chunk_of(const TraceReader *r, uint64_t index)
{
    size_t lo = 0, hi = r->nchunks;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->chunks[mid].first <= index)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* at: where the bad event starts.  Cold, so the hot loop never computes
 * the offset. */
static __attribute__((cold, noinline)) int
bad_event(TraceReader *r, const uint8_t *at, const char *what)
{
    fail(r, TRACE_DAMAGED, "damaged at byte %zu: %s", (size_t)(at - r->data), what);
    return -1;
}

/* The fields of one event whose type is a constant at each call site, so the
 * unrolled loop turns into straight-line code per type. */
static inline __attribute__((always_inline)) int
decode_fields(TraceReader *r, const TraceChunk *c, const uint8_t **pp,
              const uint8_t *end, uint64_t *last, uint64_t *ctx, uint8_t *valid,
              uint64_t *f, const char *k, unsigned n, unsigned same,
              const uint8_t *at, bool fast)
{
    const uint8_t *p = *pp;
    unsigned k0 = 0;
    if (k[0] == 'c' && same) {
        if (!*valid)
            return bad_event(r, at, "context repeat without context");
        k0 = k[1] == 'c' ? 2 : 1;
        f[0] = ctx[0];
        f[1] = ctx[1];
    }
#pragma GCC unroll 8
    for (unsigned i = 0; i < n; i++) {
        if (i < k0)
            continue;
        uint64_t v;
        if (!(p = !fast        ? varint_get(p, end, &v)
                  : k[i] == 'a' ? varint_get_fast(p, end, &v)
                                : varint_get_small(p, end, &v)))
            return bad_event(r, at, "bad varint in event");
        if (k[i] == 'a')
            v = *last = *last + (uint64_t)unzigzag(v);
        else if (k[i] == 'i')
            v = (uint64_t)unzigzag(v);
        else if (k[i] == 'r') /* version 1 wrote 'r' fields as 'u' */
            v = r->version >= 2 ? f[i - 1] + (uint64_t)unzigzag(v) : v;
        else if (k[i] == 's' && v >= c->nstrings)
            return bad_event(r, at, "string id out of range");
        else if (k[i] == 'c') {
            ctx[i] = v;
            *valid = 1;
        }
        f[i] = v;
    }
    *pp = p;
    return 0;
}

/* The packed ACCESS form (trace.h): fixed fields from one word, no branch
 * per field.  fast: 8 bytes past the wire byte are readable. */
static inline __attribute__((always_inline)) int
decode_packed(TraceReader *r, const uint8_t **pp, const uint8_t *end,
              uint64_t *last, Event *e, bool fast)
{
    static const uint64_t mask[4] = {0xffffff, 0xffffffff, 0xffffffffff,
                                     0xffffffffffff};
    const uint8_t *p = *pp;
    unsigned b = p[0], n = 3 + (b >> 4 & 3);
    uint64_t x = 0;
    if (fast && VARINT_WORD_TRICK) {
        memcpy(&x, p + 1, 8);
        x &= mask[b >> 4 & 3];
    } else {
        if ((size_t)(end - p) < 1 + n)
            return bad_event(r, p, "chunk ends early");
        for (unsigned i = 0; i < n; i++)
            x |= (uint64_t)p[1 + i] << (8 * i);
    }
    uint64_t addr = *last + (uint64_t)unzigzag(x >> 16);
    *last = addr;
    e->type = EV_ACCESS;
    e->nfields = event_nfields[EV_ACCESS];
    e->f[0] = x >> 9 & 3;
    e->f[1] = x >> 11 & 31;
    e->f[2] = addr;
    e->f[3] = trace_packed_sizes[b & 15];
    e->f[4] = x & 511;
    *pp = p + 1 + n;
    return 0;
}

/* Decode one event at *pp; the inverse of tracer_emit.  fast: the event
 * cannot reach the chunk's end (the caller checked), so varints are read a
 * word at a time.  The packed ACCESS form, most of any trace, is tested
 * before the switch: a well-predicted branch instead of an indirect jump.
 * packed_ok: the trace is version 3 or later, where that form exists. */
static inline __attribute__((always_inline)) int
decode_event(TraceReader *r, const TraceChunk *c, const uint8_t **pp,
             const uint8_t *end, uint64_t *last, uint64_t ctx[][EVENT_MAX_CTX],
             uint8_t *valid, Event *e, bool packed_ok, bool fast)
{
    const uint8_t *p = *pp;
    if (!fast && p >= end)
        return bad_event(r, p, "chunk ends early");
    if ((*p & 0xc0) == TRACE_PACKED) {
        if (__builtin_expect(!packed_ok, 0))
            return bad_event(r, p, "unknown event type");
        return decode_packed(r, pp, end, last, e, fast);
    }
    unsigned type = *p & ~EVENT_CTX_SAME, same = *p & EVENT_CTX_SAME;
    *pp = p + 1;
    e->type = (uint16_t)type;
#define GMV_EV_FIELDS(id, kinds)                                               \
    (e->nfields = event_nfields[EV_##id],                                      \
     decode_fields(r, c, pp, end, last, ctx[EV_##id], &valid[EV_##id], e->f,   \
                   kinds, event_nfields[EV_##id], same, p, fast))
    if (type == EV_ACCESS)
        return GMV_EV_FIELDS(ACCESS, event_kinds[EV_ACCESS]);
    switch (type) {
#define GMV_EV_DECODE(id, name, kinds, fields)                                 \
    case EV_##id:                                                              \
        return GMV_EV_FIELDS(id, kinds);
        GMV_EVENTS(GMV_EV_DECODE)
#undef GMV_EV_DECODE
#undef GMV_EV_FIELDS
    default:
        return bad_event(r, p, "unknown event type");
    }
}

int trace_decode_chunk(TraceReader *r, size_t ci, Event *out)
{
    const TraceChunk *c = &r->chunks[ci];
    const uint8_t *p = r->data + c->offset, *end = p + c->len;
    /* an event is at most 1 + EVENT_MAX_FIELDS * VARINT_MAX bytes, and a word
     * read may look 8 bytes past its last varint's start */
    const uint8_t *fast_end = c->len > 96 ? end - 96 : p;
    uint64_t last = 0, ctx[EV_COUNT][EVENT_MAX_CTX] = {{0}};
    uint8_t ctx_valid[EV_COUNT] = {0};
    bool packed_ok = r->version >= 3;
    uint64_t index = c->first;
    Event *e = out, *stop = out + c->count;
    for (; e < stop && p < fast_end; e++) {
        e->index = index++;
        if (decode_event(r, c, &p, end, &last, ctx, ctx_valid, e, packed_ok, true) != 0)
            return -1;
    }
    for (; e < stop; e++) {
        e->index = index++;
        if (decode_event(r, c, &p, end, &last, ctx, ctx_valid, e, packed_ok, false) != 0)
            return -1;
    }
    if (p != end)
        return bad_event(r, p, "junk after events");
    return 0;
}

