/*
 * test_trace.c — the trace format: varints, round trip of every event type,
 * the packed ACCESS form, reading older versions, determinism, and hostile
 * input (every truncation, thousands of byte flips).
 */
#include <string.h>
#include <libdeflate.h>

#include "testutil.h"
#include "machine.h"
#include "scenario.h"
#include "trace_read.h"
#include "varint.h"

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_varint_edges(void **state)
{
    (void)state;
    const uint64_t vals[] = {0, 1, 127, 128, 16383, 16384, UINT32_MAX, UINT64_MAX};
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        uint8_t buf[VARINT_MAX];
        uint8_t *end = varint_put(buf, vals[i]);
        uint64_t v;
        assert_ptr_equal(varint_get(buf, end, &v), end);
        assert_true(v == vals[i]);
        assert_null(varint_get(buf, end - 1, &v)); /* truncated */
        int64_t s = (int64_t)vals[i];
        assert_true(unzigzag(zigzag(s)) == s);
    }
    uint8_t eleven[11];
    memset(eleven, 0x80, sizeof eleven);
    uint64_t v;
    assert_null(varint_get(eleven, eleven + 11, &v)); /* too long */
}

/* The word-at-a-time forms write exactly the bytes of the plain ones and
 * read them back, at every length boundary and at random values. */
static void test_varint_fast_forms(void **state)
{
    (void)state;
    uint64_t seed = 7;
    for (unsigned i = 0; i < 20000; i++) {
        uint64_t v = i < 64 ? (i & 1 ? (1ull << (i / 2 * 2 % 64)) - 1 : 1ull << (i % 64))
                            : rng(&seed) >> (rng(&seed) % 64);
        uint8_t a[VARINT_MAX + VARINT_SLACK + 8], b[sizeof a];
        memset(a, 0xee, sizeof a);
        memset(b, 0xee, sizeof b);
        uint8_t *ea = varint_put(a, v), *eb = varint_put_fast(b, v);
        assert_int_equal(ea - a, eb - b);
        assert_memory_equal(a, b, (size_t)(ea - a));
        uint64_t got = ~v, small = ~v;
        assert_ptr_equal(varint_get_fast(b, b + sizeof b, &got), eb);
        assert_ptr_equal(varint_get_small(b, b + sizeof b, &small), eb);
        assert_true(got == v && small == v);
    }
    uint8_t eleven[16];
    memset(eleven, 0x80, sizeof eleven);
    uint64_t v;
    assert_null(varint_get_fast(eleven, eleven + 11, &v)); /* too long */
}

/* Random events of every type, many chunks' worth. */
static size_t write_random(MemTrace *mt, Event *ev, size_t n)
{
    uint64_t seed = 42;
    uint32_t ids[4] = {0};
    memtrace_open(mt, NULL);
    ids[1] = tracer_str(&mt->tr, "runtime.hmap");
    ids[2] = tracer_str(&mt->tr, "line one\nline two");
    ids[3] = tracer_str(&mt->tr, "main.main");
    for (size_t i = 0; i < n; i++) {
        unsigned type = (unsigned)(rng(&seed) % EV_COUNT);
        const EventInfo *ei = event_info(type);
        ev[i].index = i;
        ev[i].type = (uint16_t)type;
        ev[i].nfields = (uint16_t)ei->nfields;
        for (unsigned k = 0; k < ei->nfields; k++) {
            uint64_t r = rng(&seed);
            ev[i].f[k] = ei->kinds[k] == 's' ? ids[r % 4]
                       : ei->kinds[k] == 'a' ? 0xc000000000ull + (r & 0xffffff)
                       : (r & 1) ? r : r % 300;
        }
        tracer_emit(&mt->tr, type, ev[i].f, ei->nfields);
    }
    memtrace_close(mt);
    return n;
}

static void test_round_trip(void **state)
{
    (void)state;
    enum { N = 40000 };
    Event *ev = calloc(N, sizeof *ev);
    MemTrace mt;
    write_random(&mt, ev, N);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    assert_true(r.nchunks > 1);
    assert_int_equal(r.nevents, N);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    size_t i = 0;
    while (trace_cursor_next(&c, &e)) {
        assert_int_equal(e.type, ev[i].type);
        assert_int_equal(e.index, i);
        assert_memory_equal(e.f, ev[i].f, e.nfields * sizeof e.f[0]);
        i++;
    }
    assert_int_equal(i, N);
    assert_string_equal(trace_string(&r, 2), "line one\nline two");
    assert_string_equal(trace_string(&r, 999), "");
    assert_int_equal(trace_chunk_of(&r, N - 1), r.nchunks - 1);
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt.buf);
    free(ev);
}

/* Give a trace in memory another version number, with a valid header CRC. */
static void relabel(uint8_t *b, unsigned version)
{
    b[12] = (uint8_t)version;
    uint32_t crc = libdeflate_crc32(0, b, 44);
    for (int i = 0; i < 4; i++)
        b[44 + i] = (uint8_t)(crc >> (8 * i));
}

/* The packed ACCESS form: values on both sides of every limit it has
 * (core 4, g 32, info 512, sizes in and out of its table, address deltas
 * of 1 to 4 bytes and beyond), mixed with accesses written field by field,
 * whose context state the packed ones must not disturb.  Many chunks, so
 * events meet the chunk ends, where the reader goes byte by byte. */
static void test_packed_access(void **state)
{
    (void)state;
    enum { N = 60000 };
    static const uint64_t cores[] = {0, 1, 3, 4, 7};
    static const uint64_t gs[] = {0, 5, 31, 32, 300};
    static const uint64_t sizes[] = {1, 2, 3, 7, 8, 9, 16, 24, 40, 64, 72, 128, 129, 144, 4096};
    static const uint64_t infos[] = {0, 1, 127, 128, 511, 512};
    static const int64_t deltas[] = {0, 1, -1, 127, -128, 1 << 15, -(1 << 15) - 1,
                                     1 << 23, INT32_MAX, INT32_MIN, (int64_t)1 << 31,
                                     (int64_t)1 << 40, -((int64_t)1 << 40)};
#define PICK(a) a[rng(&seed) % (sizeof a / sizeof a[0])]
    Event *ev = calloc(N, sizeof *ev);
    uint64_t seed = 99, addr = 0xc000000000ull;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    size_t packed = 0;
    for (size_t i = 0; i < N; i++) {
        addr += (uint64_t)PICK(deltas);
        uint64_t f[5] = {PICK(cores), PICK(gs), addr, PICK(sizes), PICK(infos)};
        bool fits = f[0] < 4 && f[1] < 32 && f[4] < 512 && trace_packed_code(f[3]) < 16 &&
                    zigzag((int64_t)(addr - mt.tr.last_addr)) <= UINT32_MAX;
        uint8_t *before = mt.tr.pos;
        uint64_t first = mt.tr.chunk_first;
        tracer_emit(&mt.tr, EV_ACCESS, f, 5);
        if (fits && mt.tr.chunk_first == first) { /* no flush: size is visible */
            assert_true((before[0] & 0xc0) == TRACE_PACKED);
            assert_in_range(mt.tr.pos - before, 4, 7);
            packed++;
        }
        ev[i].type = EV_ACCESS;
        ev[i].nfields = 5;
        memcpy(ev[i].f, f, sizeof f);
    }
    memtrace_close(&mt);
    assert_true(packed > N / 20);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    assert_true(r.nchunks > 3);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    size_t i = 0;
    while (trace_cursor_next(&c, &e)) {
        assert_int_equal(e.type, EV_ACCESS);
        assert_int_equal(e.nfields, 5);
        assert_memory_equal(e.f, ev[i].f, 5 * sizeof e.f[0]);
        i++;
    }
    assert_int_equal(r.status, TRACE_OK);
    assert_int_equal(i, N);
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt.buf);
    free(ev);
#undef PICK
}

/* The packed form exists from version 3 on: in a trace labelled 2 its wire
 * byte is an unknown event type, named with its offset. */
static void test_packed_needs_version_3(void **state)
{
    (void)state;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    /* the first address is too far from 0 to pack, the second is near it */
    TRACE(&mt.tr, ACCESS, 0, 1, 0xc000000010ull, 8, access_info(0, OUTCOME_HIT, MESI_E, MESI_E));
    TRACE(&mt.tr, ACCESS, 0, 1, 0xc000000018ull, 8, access_info(0, OUTCOME_HIT, MESI_E, MESI_E));
    memtrace_close(&mt);
    uint8_t *b = (uint8_t *)mt.buf;
    Event ev[2];
    TraceReader r;
    for (unsigned v = 2; v <= 3; v++) {
        relabel(b, v);
        assert_int_equal(trace_open_mem(&r, b, mt.len), TRACE_OK);
        int rc = trace_decode_chunk(&r, 0, ev);
        if (v == 2) {
            assert_int_equal(rc, -1);
            assert_non_null(strstr(r.message, "unknown event type"));
        } else {
            assert_int_equal(rc, 0);
            assert_true(ev[1].f[2] == 0xc000000018ull && ev[1].f[1] == 1 && ev[1].f[3] == 8);
        }
        trace_close(&r);
    }
    free(mt.buf);
}

static void record_basics(MemTrace *mt)
{
    memtrace_open(mt, NULL);
    Machine m;
    machine_init(&m, &mt->tr, NULL);
    assert_int_equal(scenario_find("basics")->run(&m), 0);
    machine_free(&m);
    memtrace_close(mt);
}

static void test_deterministic(void **state)
{
    (void)state;
    MemTrace a, b;
    record_basics(&a);
    record_basics(&b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.buf, b.buf, a.len);
    free(a.buf);
    free(b.buf);
}

/* Decode every usable chunk; returns events decoded. */
static uint64_t decode_all(TraceReader *r)
{
    uint64_t n = 0;
    TraceCursor c;
    trace_cursor_init(&c, r);
    Event e;
    while (trace_cursor_next(&c, &e))
        n++;
    trace_cursor_free(&c);
    return n;
}

static void test_every_truncation(void **state)
{
    (void)state;
    MemTrace mt;
    record_basics(&mt);
    uint64_t prev = 0;
    for (size_t cut = 0; cut < mt.len; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1); /* exact size: ASan sees overreads */
        memcpy(copy, mt.buf, cut);
        TraceReader r;
        TraceStatus st = trace_open_mem(&r, copy, cut);
        if (cut < 8 && cut > 0)
            assert_int_equal(st, TRACE_TRUNCATED);
        assert_int_not_equal(st, TRACE_OK);
        assert_int_equal(st == TRACE_DAMAGED, cut == 0); /* an empty file is no trace */
        assert_true(r.message[0] != 0);
        assert_int_equal(decode_all(&r), r.nevents);
        assert_true(r.nevents >= prev); /* more bytes never lose events */
        prev = r.nevents;
        trace_close(&r);
        free(copy);
    }
    free(mt.buf);
}

static void test_random_flips(void **state)
{
    (void)state;
    MemTrace mt;
    record_basics(&mt);
    uint64_t seed = 7;
    uint8_t *copy = malloc(mt.len);
    for (int trial = 0; trial < 5000; trial++) {
        memcpy(copy, mt.buf, mt.len);
        int flips = 1 + (int)(rng(&seed) % 3);
        for (int k = 0; k < flips; k++)
            copy[rng(&seed) % mt.len] ^= (uint8_t)(1 + rng(&seed) % 255);
        TraceReader r;
        TraceStatus st = trace_open_mem(&r, copy, mt.len);
        if (flips == 1)
            assert_int_not_equal(st, TRACE_OK); /* every byte is checksummed */
        decode_all(&r);
        trace_close(&r);
    }
    free(copy);
    free(mt.buf);
}

static void test_text_mode_damage_named(void **state)
{
    (void)state;
    MemTrace mt;
    record_basics(&mt);
    /* CR LF -> LF, as a text-mode transfer does */
    uint8_t *copy = malloc(mt.len);
    memcpy(copy, mt.buf, 4);
    memcpy(copy + 4, mt.buf + 5, mt.len - 5);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, copy, mt.len - 1), TRACE_DAMAGED);
    assert_non_null(strstr(r.message, "text-mode"));
    trace_close(&r);
    memcpy(copy, mt.buf, mt.len);
    copy[8] = 1, copy[9] = 2, copy[10] = 3, copy[11] = 4;
    assert_int_equal(trace_open_mem(&r, copy, mt.len), TRACE_DAMAGED);
    assert_non_null(strstr(r.message, "big-endian"));
    trace_close(&r);
    free(copy);
    free(mt.buf);
}

/* Version 1 stored ALLOC.rounded as a plain number, version 2 relative to
 * size: the same bytes labelled 1 read back as the raw stored values. */
static void test_reads_version_1(void **state)
{
    (void)state;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    TRACE(&mt.tr, ALLOC, 0xc000000000ull, 48, 48, 5, 0, OBJ_HMAP, SPACE_HEAP, 0);
    TRACE(&mt.tr, ALLOC, 0xc000000030ull, 40, 48, 5, 0, OBJ_OTHER, SPACE_HEAP, 0);
    memtrace_close(&mt);
    uint8_t *b = (uint8_t *)mt.buf;
    assert_int_equal(b[12] | b[13] << 8, TRACE_VERSION);
    Event ev[2];
    TraceReader r;
    for (unsigned v = 1; v <= 4; v++) {
        relabel(b, v);
        TraceStatus st = trace_open_mem(&r, b, mt.len);
        if (v == 4) {
            assert_int_equal(st, TRACE_DAMAGED);
            assert_non_null(strstr(r.message, "unsupported trace version 4"));
        } else {
            assert_int_equal(st, TRACE_OK);
            assert_int_equal(trace_decode_chunk(&r, 0, ev), 0);
            assert_int_equal(ev[0].f[2], v >= 2 ? 48 : 0);  /* zigzag(48 - 48) */
            assert_int_equal(ev[1].f[2], v >= 2 ? 48 : 16); /* zigzag(48 - 40) */
        }
        trace_close(&r);
    }
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_varint_edges),
        cmocka_unit_test(test_varint_fast_forms),
        cmocka_unit_test(test_reads_version_1),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_packed_access),
        cmocka_unit_test(test_packed_needs_version_3),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_random_flips),
        cmocka_unit_test(test_text_mode_damage_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
