/*
 * trace.c — the trace writer: header, chunks with CRC-32, string tables.
 *
 * Invariant: the file is always a valid prefix of a trace: the header, then
 * whole chunks.  STRS chunks carry strings in id order and always precede the
 * EVTS chunk whose events first use them.  Delta state (last_addr) restarts
 * at 0 in every EVTS chunk, so each chunk decodes on its own (the viewer seeks
 * by chunk).  All integers in fixed-size fields are little-endian.
 */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "strtab.h"
#include "trace_writer.h"

/* TARGET bytes of events, one more whole event past it, and room in front
 * of them for the chunk header, which is only known at the end. */
#define TRACER_BUF_SIZE (TRACE_CHUNK_TARGET + 2 * (1 + EVENT_MAX_FIELDS * VARINT_MAX))

/* Wire bytes 0x40-0x7f are the packed ACCESS form, so types stay below. */
_Static_assert(EV_COUNT <= TRACE_PACKED, "event types collide with the packed form");

TraceParams trace_params_default(void)
{
    TraceParams p = {.ncores = 2, .line_size = 64, .cache_size = 32 * 1024,
                     .ways = 8, .page_size = 8192,
                     .heap_base = 0xc000000000ull, .flags = 0};
    return p;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void write_bytes(Tracer *t, const void *p, size_t n)
{
    t->bytes += n;
    if (t->out && !t->error && fwrite(p, 1, n, t->out) != n)
        t->error = errno ? errno : EIO;
}

/* One chunk out (trace_chunk_write): counted, then handed to the writer,
 * which takes payload over, or written here.  Here a chunk buffer stays the
 * tracer's and any other payload is freed. */
static void put_chunk(Tracer *t, const char tag[4], uint8_t *payload, size_t len,
                      bool chunk_buffer)
{
    t->bytes += 12 + len;
    if (t->writer) {
        trace_writer_put(t->writer, tag, payload, len, chunk_buffer);
        return;
    }
    if (t->out && !t->error)
        t->error = trace_chunk_write(t->out, tag, payload, len);
    if (!chunk_buffer)
        free(payload);
}

static void write_header(Tracer *t, const TraceParams *p)
{
    uint8_t h[TRACE_HEADER_SIZE] = {0};
    memcpy(h, TRACE_MAGIC, 8);
    put_le(h + 8, TRACE_BOM, 4);
    put_le(h + 12, TRACE_VERSION, 2);
    put_le(h + 14, TRACE_HEADER_SIZE, 2);
    h[16] = p->ncores;
    h[17] = 8; /* pointer size of the simulated machine */
    put_le(h + 18, p->line_size, 2);
    put_le(h + 20, p->cache_size, 4);
    put_le(h + 24, p->ways, 2);
    put_le(h + 28, p->page_size, 4);
    put_le(h + 32, p->heap_base, 8);
    put_le(h + 40, p->flags, 4);
    put_le(h + 44, libdeflate_crc32(0, h, 44), 4);
    write_bytes(t, h, sizeof h);
}

int tracer_open_stream(Tracer *t, FILE *out, const TraceParams *params)
{
    memset(t, 0, sizeof *t);
    t->out = out;
    t->buf = malloc(TRACER_BUF_SIZE);
    if (!t->buf)
        return -1;
    t->pos = t->buf;
    t->limit = t->buf + TRACE_CHUNK_TARGET;
    strtab_init(&t->strs);
    t->strs_flushed = 1; /* id 0 ("") is implicit */
    TraceParams def = trace_params_default();
    write_header(t, params ? params : &def);
    if (out)
        t->writer = trace_writer_open(out, TRACER_BUF_SIZE); /* after the header */
    return 0;
}

int tracer_open(Tracer *t, const char *path, const TraceParams *params)
{
    FILE *f = NULL;
    if (path && !(f = fopen(path, "wb")))
        return -1;
    if (tracer_open_stream(t, f, params) != 0) {
        if (f)
            fclose(f);
        return -1;
    }
    t->own_out = f != NULL;
    return 0;
}

uint32_t tracer_str(Tracer *t, const char *s)
{
    return strtab_intern(&t->strs, s);
}

static void flush_strings(Tracer *t)
{
    while (t->strs_flushed < t->strs.n) {
        size_t cap = TRACE_CHUNK_TARGET, len = 0;
        uint8_t *buf = malloc(cap + 32);
        if (!buf)
            abort();
        uint32_t first = t->strs_flushed, n = 0;
        uint8_t tmp[2 * VARINT_MAX];
        /* header: first id, count (filled after); payload built separately */
        while (t->strs_flushed < t->strs.n) {
            const char *s = t->strs.str[t->strs_flushed];
            size_t sl = strlen(s);
            if (n > 0 && len + sl + VARINT_MAX > cap)
                break;
            if (len + sl + VARINT_MAX > cap) {
                cap = len + sl + VARINT_MAX;
                buf = realloc(buf, cap + 32);
                if (!buf)
                    abort();
            }
            len = (size_t)(varint_put(buf + len, sl) - buf);
            memcpy(buf + len, s, sl);
            len += sl;
            t->strs_flushed++;
            n++;
        }
        uint8_t *q = varint_put(varint_put(tmp, first), n);
        size_t hl = (size_t)(q - tmp);
        uint8_t *payload = malloc(hl + len);
        if (!payload)
            abort();
        memcpy(payload, tmp, hl);
        memcpy(payload + hl, buf, len);
        put_chunk(t, "STRS", payload, hl + len, false);
        free(buf);
    }
}

void tracer_flush(Tracer *t)
{
    flush_strings(t);
    uint64_t count = t->nevents - t->chunk_first;
    if (count == 0)
        return;
    uint8_t head[2 * VARINT_MAX];
    uint8_t *q = varint_put(varint_put(head, t->chunk_first), count);
    size_t hl = (size_t)(q - head), len = (size_t)(t->pos - t->buf);
    memmove(t->buf + hl, t->buf, len); /* once per chunk: cheap */
    memcpy(t->buf, head, hl);
    put_chunk(t, "EVTS", t->buf, len + hl, true);
    if (t->writer && !(t->buf = trace_writer_buffer(t->writer)))
        abort(); /* out of memory, as everywhere in the recorder */
    t->pos = t->buf;
    t->limit = t->buf + TRACE_CHUNK_TARGET;
    t->last_addr = 0;
    memset(t->ctx_valid, 0, sizeof t->ctx_valid);
    t->chunk_first = t->nevents;
}

int tracer_close(Tracer *t)
{
    tracer_flush(t);
    if (t->writer) { /* everything before ENDT written, the stream ours again */
        int werr = trace_writer_close(t->writer);
        t->writer = NULL;
        if (werr && !t->error)
            t->error = werr;
    }
    uint8_t *end = malloc(2 * VARINT_MAX);
    if (!end)
        abort();
    uint8_t *q = varint_put(varint_put(end, t->nevents), t->strs.n);
    put_chunk(t, "ENDT", end, (size_t)(q - end), false);
    int err = t->error;
    if (t->out && fflush(t->out) != 0 && !err)
        err = errno ? errno : EIO;
    if (t->own_out && fclose(t->out) != 0 && !err)
        err = errno ? errno : EIO;
    free(t->buf);
    strtab_free(&t->strs);
    memset(t, 0, sizeof *t);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}
