/*
 * related.h — the events that concern one object: what a click selects.
 *
 * A selection [lo, hi) (a heap object, a cache line or a map bucket) is
 * related to every event with an address field inside it, and to every
 * event naming a cache line that overlaps it: its allocation and death,
 * the accesses to it, the invalidations of its lines and the writes that
 * caused them; and for map buckets, the growth that retired or installed
 * the array it is in (recorded inside the insert that started it) and the
 * evacuation of the old bucket it is.  The viewer ticks them on the
 * timeline and ',' and '.' step between them.
 *
 * Invariant: out[] is sorted by event index and holds no duplicates.
 */
#ifndef GMV_RELATED_H
#define GMV_RELATED_H

#include <stddef.h>
#include <stdint.h>

#include "trace_read.h"

/* Fill out (room for max) with the indices of the events related to
 * [lo, hi), in order; returns how many (at most max).  Reads the trace with
 * its own cursor; a damaged chunk ends the search. */
size_t related_find(TraceReader *r, uint64_t lo, uint64_t hi, unsigned line_size,
                    uint64_t *out, size_t max);

/* The same for events of some types (bit t of types: type t < 64) whose
 * first field is obj: a sync.Map's misses and the promotions they force. */
size_t related_find_kinds(TraceReader *r, uint64_t obj, uint64_t types, uint64_t *out,
                          size_t max);

/* The related event before (dir < 0) or after (dir > 0) pos, or pos if
 * there is none. */
uint64_t related_step(const uint64_t *rel, size_t n, uint64_t pos, int dir);

#endif
