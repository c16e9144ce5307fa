/*
 * c2c_report.h — perf-c2c-style report of contended cache lines,
 * computed from a trace's events alone (used by `stats` and the viewer).
 *
 * Invariant: counts are sums over INVALIDATE and ACCESS events; the objects
 * named for a line are the allocations and stack locals that overlap it.
 */
#ifndef GMV_C2C_REPORT_H
#define GMV_C2C_REPORT_H

#include <stdio.h>

#include "trace_read.h"

typedef struct {
    uint64_t line;
    uint64_t inval_false, inval_true, hitm, accesses;
    uint64_t touched[8];   /* byte mask per core (bit i: byte i of the line) */
    uint64_t written[8];
} C2cLine;

typedef struct {
    uint64_t addr, size, type; /* type: string id */
} ObjRange;

/* How a line is kept while the events go by: C2cLine's counts, then the
 * touched and written masks of the trace's cores only (2 on most traces:
 * 72 bytes, not 168, and a big trace has millions of lines). */
typedef struct {
    uint64_t line;
    uint64_t inval_false, inval_true, hitm, accesses;
    uint64_t mask[];      /* touched[0, ncores), then written[0, ncores) */
} C2cRec;

typedef struct {
    unsigned line_size, ncores;
    unsigned char *table; /* open addressing on line address, stride bytes each */
    size_t stride, cap;
    size_t used;
    ObjRange *objs;
    size_t nobjs, objs_cap;
    ObjRange *fields;     /* FIELD events: addr, size, name */
    size_t nfields, fields_cap;
} C2cReport;

void c2c_init(C2cReport *c, unsigned line_size, unsigned ncores);
void c2c_free(C2cReport *c);
void c2c_add(C2cReport *c, const TraceReader *r, const Event *e);
/* The n most contended lines (by invalidations, then HITMs), best first.
 * Returns how many were written to out. */
size_t c2c_top(const C2cReport *c, C2cLine *out, size_t n);
void c2c_print_text(const C2cReport *c, const TraceReader *r, FILE *f, size_t n);
void c2c_print_json(const C2cReport *c, const TraceReader *r, FILE *f, size_t n);

#endif
