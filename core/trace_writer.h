/*
 * trace_writer.h — a trace's chunks written to its file by a helper thread.
 *
 * The recorder's thread runs the model; checksumming a chunk and copying it
 * into the kernel (a tenth of a fully recorded map benchmark) can happen
 * beside it on the other core.  The tracer hands over each finished chunk's
 * payload and goes on with a fresh buffer; the helper adds the chunk's head
 * and CRC-32 and writes it.
 *
 * Invariants: chunks reach the file whole and in the order they were put;
 * at most TRACE_WRITER_QUEUE of them wait (put blocks beyond), so memory
 * stays bounded when the disk is slow; the first write error is kept and
 * later chunks are dropped, as the synchronous writer does.  The stream
 * belongs to the helper between open and close.
 */
#ifndef GMV_TRACE_WRITER_H
#define GMV_TRACE_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACE_WRITER_QUEUE 4

typedef struct TraceWriter TraceWriter;

/* A writer for out whose chunk buffers are buf_size bytes, or NULL when
 * there is no second CPU to run it on or no thread could be started (the
 * caller then writes chunks itself). */
TraceWriter *trace_writer_open(FILE *out, size_t buf_size);

/* Queue chunk tag/payload[0, len) for writing.  payload belongs to the
 * writer from now on: a chunk buffer (from trace_writer_buffer) goes back
 * to the pool when written, any other malloc'd block is freed. */
void trace_writer_put(TraceWriter *w, const char tag[4], uint8_t *payload, size_t len,
                      int is_chunk_buffer);

/* A chunk buffer of buf_size bytes, one the helper has written or a new
 * one; NULL if out of memory.  The caller owns it until it puts it. */
uint8_t *trace_writer_buffer(TraceWriter *w);

/* Write what is queued, stop the helper, free the writer.  Returns 0, or
 * the errno of the first failed write. */
int trace_writer_close(TraceWriter *w);

/* Write one chunk: tag, length, payload, CRC-32 of tag+length+payload.
 * Returns 0 or an errno.  Shared with the tracer's synchronous path. */
int trace_chunk_write(FILE *out, const char tag[4], const uint8_t *payload, size_t len);

#endif
