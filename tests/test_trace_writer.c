/*
 * test_trace_writer.c — chunks written by the helper thread reach the file
 * whole, in order and byte for byte as the synchronous writer puts them; a
 * full disk's error comes back from close, through the tracer too; a trace
 * recorded through the helper reads back complete.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "trace.h"
#include "trace_read.h"
#include "trace_writer.h"

#define BUF 4096

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static long file_bytes(FILE *f, uint8_t **out)
{
    fflush(f);
    long n = ftell(f);
    *out = malloc((size_t)n + 1);
    rewind(f);
    assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
    return n;
}

/* A chunk of random length (sometimes 0, sometimes a whole buffer) and
 * content, from the pool or from malloc, put in turn with the same chunk
 * written synchronously elsewhere: both files must be equal. */
static void test_same_bytes_in_order(void **state)
{
    (void)state;
    FILE *a = tmpfile(), *b = tmpfile();
    assert_non_null(a);
    assert_non_null(b);
    TraceWriter *w = trace_writer_open(a, BUF);
    if (!w)
        skip(); /* one CPU: the tracer writes itself, nothing to test */
    uint64_t s = 88172645463325252ull;
    for (int i = 0; i < 500; i++) {
        uint64_t r = rng(&s);
        size_t len = r % 7 == 0 ? 0 : r % 5 == 0 ? BUF : (size_t)(r >> 20) % BUF;
        bool pooled = r >> 40 & 1;
        uint8_t *p = pooled ? trace_writer_buffer(w) : malloc(len ? len : 1);
        assert_non_null(p);
        for (size_t k = 0; k < len; k++)
            p[k] = (uint8_t)(rng(&s) >> 32);
        const char *tag = pooled ? "EVTS" : "STRS";
        assert_int_equal(trace_chunk_write(b, tag, p, len), 0);
        trace_writer_put(w, tag, p, len, pooled);
    }
    assert_int_equal(trace_writer_close(w), 0);
    uint8_t *x, *y;
    long nx = file_bytes(a, &x), ny = file_bytes(b, &y);
    assert_int_equal(nx, ny);
    assert_memory_equal(x, y, (size_t)nx);
    free(x);
    free(y);
    fclose(a);
    fclose(b);
}

/* /dev/full takes nothing: the first failed write's errno comes back. */
static void test_full_disk_reported(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    TraceWriter *w = trace_writer_open(f, BUF);
    if (!w) {
        fclose(f);
        skip();
    }
    for (int i = 0; i < 64; i++) {
        uint8_t *p = trace_writer_buffer(w);
        memset(p, i, BUF);
        trace_writer_put(w, "EVTS", p, BUF, 1);
    }
    assert_int_equal(trace_writer_close(w), ENOSPC);
    fclose(f);
}

/* The same through the tracer: close fails with ENOSPC. */
static void test_tracer_full_disk(void **state)
{
    (void)state;
    Tracer t;
    if (tracer_open(&t, "/dev/full", NULL) != 0)
        skip();
    for (uint64_t i = 0; i < 200000; i++)
        TRACE(&t, ACCESS, i & 1, 0, 0xc000000000ull + 8 * i, 8, 0);
    errno = 0;
    assert_int_equal(tracer_close(&t), -1);
    assert_int_equal(errno, ENOSPC);
}

/* Many chunks and strings through the helper: the reader finds every event
 * and every string, in order. */
static void test_tracer_round_trip(void **state)
{
    (void)state;
    char path[] = "/tmp/gmv-test-writer-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    Tracer t;
    assert_int_equal(tracer_open(&t, path, NULL), 0);
    enum { N = 300000 };
    for (uint64_t i = 0; i < N; i++) {
        if (i % 1000 == 0) {
            char s[32];
            snprintf(s, sizeof s, "string %llu", (unsigned long long)i);
            TRACE(&t, NARRATE, tracer_str(&t, s));
        } else {
            TRACE(&t, ACCESS, i & 1, 0, 0xc000000000ull + 8 * i, 8, 0);
        }
    }
    assert_int_equal(tracer_close(&t), 0);
    TraceReader r;
    assert_int_equal(trace_open(&r, path), TRACE_OK);
    assert_int_equal(r.nevents, N);
    assert_true(r.nchunks > 10);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    for (uint64_t i = 0; i < N; i++) {
        assert_int_equal(trace_cursor_next(&c, &e), 1);
        if (i % 1000 == 0) {
            char s[32];
            snprintf(s, sizeof s, "string %llu", (unsigned long long)i);
            assert_int_equal(e.type, EV_NARRATE);
            assert_string_equal(trace_string(&r, e.f[0]), s);
        } else {
            assert_int_equal(e.f[2], 0xc000000000ull + 8 * i);
        }
    }
    assert_int_equal(trace_cursor_next(&c, &e), 0);
    assert_int_equal(r.status, TRACE_OK);
    trace_cursor_free(&c);
    trace_close(&r);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_in_order),
        cmocka_unit_test(test_full_disk_reported),
        cmocka_unit_test(test_tracer_full_disk),
        cmocka_unit_test(test_tracer_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
