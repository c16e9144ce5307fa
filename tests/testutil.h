/*
 * testutil.h — helpers shared by the cmocka tests: record into memory.
 */
#ifndef GMV_TESTUTIL_H
#define GMV_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "trace.h"
#include "trace_read.h"

/* A tracer writing into a growing memory buffer. */
typedef struct {
    Tracer tr;
    FILE *f;
    char *buf;
    size_t len;
} MemTrace;

static inline void memtrace_open(MemTrace *mt, const TraceParams *p)
{
    mt->buf = NULL;
    mt->len = 0;
    mt->f = open_memstream(&mt->buf, &mt->len);
    assert_non_null(mt->f);
    assert_int_equal(tracer_open_stream(&mt->tr, mt->f, p), 0);
}

/* rel (e.g. "docs/syncmap.md") in the source tree, which ctest names in
 * GMV_SOURCE_DIR (else the working directory). */
static inline const char *source_path(char *buf, size_t n, const char *rel)
{
    const char *dir = getenv("GMV_SOURCE_DIR");
    snprintf(buf, n, "%s/%s", dir ? dir : ".", rel);
    return buf;
}

/* Whether event e writes a map slot the map pane can show no key or value
 * for (the recording map has no label). */
static inline bool slot_unlabelled(const TraceReader *r, const Event *e)
{
    return e->type == EV_MAP_SLOT_SET && e->f[5] == SLOT_NUMS_NONE &&
           !*trace_string(r, e->f[4]);
}

/* Close the tracer; the bytes are in mt->buf / mt->len (free them). */
static inline void memtrace_close(MemTrace *mt)
{
    assert_int_equal(tracer_close(&mt->tr), 0);
    fclose(mt->f);
}

#endif
