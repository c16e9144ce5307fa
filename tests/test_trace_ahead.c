/*
 * test_trace_ahead.c — chunks decoded ahead on helper threads come out in
 * order and equal to the sequential decoder's, from any first chunk, with
 * any number of threads; a damaged chunk stops the stream there with the
 * same message; closing early never hangs or leaks.
 */
#include <string.h>
#include <libdeflate.h>

#include "testutil.h"
#include "trace_ahead.h"
#include "trace_read.h"
#include "varint.h"

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Many chunks of accesses (packed and not), allocations and frames. */
static void record_mix(MemTrace *mt, size_t n)
{
    uint64_t seed = 5, addr = 0xc000000000ull;
    memtrace_open(mt, NULL);
    uint32_t fn = tracer_str(&mt->tr, "main.f");
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rng(&seed);
        addr += (r >> 8) % 4096 - 2000;
        switch (r % 5) {
        case 0: case 1: case 2:
            TRACE(&mt->tr, ACCESS, r >> 40 & 3, r >> 42 & 63, addr, 1u << (r >> 50 & 3), r >> 52 & 511);
            break;
        case 3:
            TRACE(&mt->tr, ALLOC, addr, 48, 48, 5, 0, OBJ_OTHER, SPACE_HEAP, r >> 60);
            break;
        default:
            TRACE(&mt->tr, FRAME_PUSH, r >> 33 & 7, fn, 0xc800000000ull - (r & 0xff0));
        }
    }
    memtrace_close(mt);
}

/* Every chunk from `first` on through a TraceAhead equals trace_decode_chunk. */
static void check_against_sequential(TraceReader *r, size_t first, unsigned threads)
{
    TraceAhead *a = trace_ahead_open(r, first, threads);
    assert_non_null(a);
    Event *want = malloc(65536 * sizeof *want);
    const Event *got;
    size_t n, chunk, expect = first;
    while ((got = trace_ahead_next(a, &n, &chunk))) {
        assert_int_equal(chunk, expect);
        assert_int_equal(n, r->chunks[chunk].count);
        assert_int_equal(trace_decode_chunk(r, chunk, want), 0);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(got[i].index, want[i].index);
            assert_int_equal(got[i].type, want[i].type);
            assert_memory_equal(got[i].f, want[i].f, want[i].nfields * sizeof got[i].f[0]);
        }
        expect++;
    }
    assert_int_equal(expect, r->nchunks);
    assert_null(trace_ahead_next(a, &n, &chunk)); /* stays at the end */
    trace_ahead_close(a);
    free(want);
}

static void test_in_order_any_threads(void **state)
{
    (void)state;
    MemTrace mt;
    record_mix(&mt, 200000);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    assert_true(r.nchunks > 10);
    for (unsigned threads = 0; threads <= 4; threads++) {
        check_against_sequential(&r, 0, threads);
        check_against_sequential(&r, r.nchunks / 2, threads);
        check_against_sequential(&r, r.nchunks - 1, threads);
        check_against_sequential(&r, r.nchunks, threads); /* nothing left */
    }
    trace_close(&r);
    free(mt.buf);
}

/* Chunk ci's first event gets an unknown type, its CRC recomputed so that
 * only the decoder can tell. */
static void damage_chunk(TraceReader *r, uint8_t *buf, size_t ci)
{
    const TraceChunk *c = &r->chunks[ci];
    uint8_t head[2 * VARINT_MAX]; /* the payload's first index and count */
    size_t hl = (size_t)(varint_put(varint_put(head, c->first), c->count) - head);
    uint8_t *events = buf + c->offset, *end = events + c->len;
    events[0] = 0x3f;
    uint32_t crc = libdeflate_crc32(0, events - hl - 8, c->len + hl + 8);
    for (int i = 0; i < 4; i++)
        end[i] = (uint8_t)(crc >> (8 * i));
}

static void test_damaged_chunk_stops_there(void **state)
{
    (void)state;
    MemTrace mt;
    record_mix(&mt, 100000);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    damage_chunk(&r, (uint8_t *)mt.buf, 3);
    trace_close(&r);
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    Event *tmp = malloc(65536 * sizeof *tmp);
    assert_int_equal(trace_decode_chunk(&r, 3, tmp), -1);
    char want[sizeof r.message];
    strcpy(want, r.message);
    assert_non_null(strstr(want, "unknown event type"));
    for (unsigned threads = 1; threads <= 3; threads++) {
        r.status = TRACE_OK;
        r.message[0] = 0;
        TraceAhead *a = trace_ahead_open(&r, 0, threads);
        size_t n, chunk, seen = 0;
        while (trace_ahead_next(a, &n, &chunk))
            assert_int_equal(chunk, seen++);
        assert_int_equal(seen, 3);
        assert_int_equal(r.status, TRACE_DAMAGED);
        assert_string_equal(r.message, want);
        assert_null(trace_ahead_next(a, &n, &chunk));
        trace_ahead_close(a);
    }
    /* the event cursor, built on it, stops at the same event */
    r.status = TRACE_OK;
    TraceCursor cur;
    trace_cursor_init(&cur, &r);
    Event e;
    uint64_t count = 0;
    while (trace_cursor_next(&cur, &e))
        count++;
    assert_int_equal(count, r.chunks[3].first);
    assert_string_equal(r.message, want);
    trace_cursor_free(&cur);
    free(tmp);
    trace_close(&r);
    free(mt.buf);
}

/* Closing after one chunk, while helpers are busy or waiting for room. */
static void test_close_early(void **state)
{
    (void)state;
    MemTrace mt;
    record_mix(&mt, 100000);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    for (int round = 0; round < 50; round++) {
        TraceAhead *a = trace_ahead_open(&r, 0, 2 + round % 3);
        size_t n;
        for (int k = 0; k < round % 4; k++)
            assert_non_null(trace_ahead_next(a, &n, NULL));
        trace_ahead_close(a);
    }
    trace_ahead_close(NULL);
    trace_close(&r);
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_any_threads),
        cmocka_unit_test(test_damaged_chunk_stops_there),
        cmocka_unit_test(test_close_early),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
