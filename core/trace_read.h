/*
 * trace_read.h — the trace reader.  Every file is hostile.
 *
 * trace_open maps the file, checks the header, walks the chunks checking each
 * length against the bytes that remain and each CRC, loads the string tables
 * and records where every event chunk starts.  Events are decoded on demand,
 * one chunk at a time (each chunk decodes on its own), with every type, varint
 * and string id checked.
 *
 * Outcomes: TRACE_OK; TRACE_TRUNCATED (the file ends inside a chunk or has no
 * end chunk: everything before is usable, `message` says where it stopped);
 * TRACE_DAMAGED (a bad header, CRC, tag or event: one line naming the byte
 * offset; chunks before it are still usable).
 *
 * Invariant: no allocation is sized by a field read from the file; sizes come
 * from the file's real length, which bounds everything.
 */
#ifndef GMV_TRACE_READ_H
#define GMV_TRACE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "trace.h"

typedef enum { TRACE_OK, TRACE_TRUNCATED, TRACE_DAMAGED, TRACE_IO_ERROR } TraceStatus;

typedef struct {
    uint64_t offset;      /* file offset of the chunk's payload */
    uint32_t len;         /* payload length */
    uint64_t first;       /* index of its first event */
    uint32_t count;       /* number of events */
    uint32_t nstrings;    /* strings known once this chunk is reached */
} TraceChunk;

typedef struct {
    const uint8_t *data;  /* the whole file (mapped or read) */
    size_t size;
    int mapped;
    TraceParams params;
    unsigned version;
    TraceStatus status;
    char message[160];    /* one line, set unless status == TRACE_OK */
    TraceChunk *chunks;   /* event chunks, in order */
    size_t nchunks;
    uint64_t nevents;     /* events in the usable chunks */
    size_t *stroff;       /* id -> offset of its NUL-terminated copy in strpool */
    uint32_t nstrs;
    char *strpool;
    size_t strs_cap, pool_cap, pool_used, chunks_cap;
} TraceReader;

/* Open and validate path.  Returns the status; on TRACE_IO_ERROR nothing is
 * usable, otherwise the reader must be closed with trace_close. */
TraceStatus trace_open(TraceReader *r, const char *path);
/* Same over a buffer the caller keeps alive (used by the fuzzer and tests). */
TraceStatus trace_open_mem(TraceReader *r, const uint8_t *data, size_t size);
void trace_close(TraceReader *r);

/* Decode chunk ci into out (room for chunks[ci].count events).  Returns 0, or
 * -1 after setting status TRACE_DAMAGED and message. */
int trace_decode_chunk(TraceReader *r, size_t ci, Event *out);

/* The caller is done, for now, with the file's bytes [lo, hi): the mapped
 * pages wholly inside leave this process (the OS keeps them in its page
 * cache, and touching them again maps them back), so a pass over a big
 * trace holds a few chunks of it in memory, not the whole file.  No effect
 * on a trace opened with trace_open_mem. */
void trace_release(TraceReader *r, size_t lo, size_t hi);

/* String for an id, "" if out of range. */
const char *trace_string(const TraceReader *r, uint64_t id);

/* Index of the chunk holding event index, by binary search. */
size_t trace_chunk_of(const TraceReader *r, uint64_t index);

/* Sequential cursor over all events (core/trace_ahead.c: the chunks after
 * the current one are decoded ahead on the machine's other cores). */
typedef struct {
    TraceReader *r;
    struct TraceAhead *ahead;
    const Event *buf;
    size_t n, pos;
} TraceCursor;

void trace_cursor_init(TraceCursor *c, TraceReader *r);
/* Next event, or 0 at the end / on damage (then r->status says which). */
int trace_cursor_next(TraceCursor *c, Event *out);
void trace_cursor_free(TraceCursor *c);

/* Format one event as "name field=value ..." (dump's line, no newline). */
size_t trace_format_event(const TraceReader *r, const Event *e, char *buf,
                          size_t size);

#endif
