/*
 * trace_ahead.h — read a trace's event chunks in order while other threads
 * decode the chunks after them.
 *
 * Chunks decode independently (the address base and the context state
 * restart in each), so while the caller works on chunk i, a helper thread
 * can already be decoding i+1, i+2, ...  Whoever is free takes the next
 * chunk: a caller that finds the chunk it wants not yet started decodes it
 * itself, so with a cheap consumer both cores decode, and with an expensive
 * one (the viewer's replay) the helper hides the decoding behind it.
 *
 * Invariants: chunks come out in file order, each exactly as
 * trace_decode_chunk gives it; at most TRACE_AHEAD_SLOTS chunks are decoded
 * and not yet handed back (each slot's buffer is as big as the biggest chunk
 * it has held, so memory follows the chunks really read); a damaged chunk ends the stream there with the
 * reader's status and message set, as the sequential cursor does.  The
 * reader must not be changed (nor closed) while the TraceAhead is open.
 */
#ifndef GMV_TRACE_AHEAD_H
#define GMV_TRACE_AHEAD_H

#include <stddef.h>

#include "trace_read.h"

#define TRACE_AHEAD_SLOTS 4
#define TRACE_AHEAD_MAX_THREADS 4

typedef struct TraceAhead TraceAhead;

/* Start reading at chunk `first` with `threads` decoding threads in all,
 * the caller's included (1: no helper thread; 0: one per online CPU, at
 * most TRACE_AHEAD_MAX_THREADS).  NULL if out of memory. */
TraceAhead *trace_ahead_open(TraceReader *r, size_t first, unsigned threads);

/* The next chunk's events, valid until the next call.  *n gets their count
 * and *chunk (if not NULL) the chunk's index.  NULL at the end, or at a
 * damaged chunk (then r->status and r->message say so). */
const Event *trace_ahead_next(TraceAhead *a, size_t *n, size_t *chunk);

/* Stop the helpers and free everything.  NULL is allowed. */
void trace_ahead_close(TraceAhead *a);

/* Threads in all that trace_ahead_open(.., 0) would use. */
unsigned trace_ahead_default_threads(void);

#endif
