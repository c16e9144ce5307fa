/*
 * test_lesson_figures.c — the figures lessons quote from real Go 1.19 and
 * real hardware are the ones measured: lessons 9 and 11's recomputed from
 * docs/syncmap.md's benchmark table (bench/syncmap_go's output), lesson 7's
 * from docs/false-sharing-hw.md's summary row, and looked for in the
 * lessons' text.
 *
 * The model's own numbers are claims, checked as the lessons run; these are
 * measurements of the real runtime that a test cannot take again, so the
 * table is their record and the lessons must say what it says.  Re-measure,
 * update the table, and this test names the lesson text to change.
 */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "lesson.h"
#include "trace_read.h"

enum { OP_NEW, OP_EXISTING, OP_LOAD, NOPS };
static const char *const op_names[NOPS] = {"store-new", "store-existing", "load"};

typedef struct {
    double lo, hi;              /* sync.Map / map+Mutex, over procs and runs */
    double sm[3][2], mu[3][2];  /* ns/op by procs 1, 2, 4 and run */
    int bytes, allocs;          /* sync.Map's B/op and allocs/op */
    int mu_allocs;              /* map+Mutex's allocs/op */
} OpFigures;

/* One table row: "| op | impl | procs | ns1 | ns2 | B | allocs |". */
static bool parse_row(const char *line, OpFigures *ops)
{
    char op[32], impl[32];
    unsigned procs;
    double ns1, ns2;
    int b, allocs;
    if (sscanf(line, "| %31[^ |] | %31[^|]| %u | %lf | %lf | %d | %d |", op, impl, &procs, &ns1,
               &ns2, &b, &allocs) != 7)
        return false;
    for (size_t n = strlen(impl); n && impl[n - 1] == ' ';)
        impl[--n] = 0;
    int k = procs == 1 ? 0 : procs == 2 ? 1 : procs == 4 ? 2 : -1;
    for (int o = 0; o < NOPS && k >= 0; o++) {
        if (strcmp(op, op_names[o]))
            continue;
        if (!strcmp(impl, "sync.Map")) {
            ops[o].sm[k][0] = ns1, ops[o].sm[k][1] = ns2;
            ops[o].bytes = b, ops[o].allocs = allocs;
        } else if (!strcmp(impl, "map+Mutex")) {
            ops[o].mu[k][0] = ns1, ops[o].mu[k][1] = ns2;
            ops[o].mu_allocs = allocs;
        }
        return true;
    }
    return false;
}

static void read_table(OpFigures *ops)
{
    char path[512];
    FILE *f = fopen(source_path(path, sizeof path, "docs/syncmap.md"), "r");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[256];
    unsigned rows = 0;
    while (fgets(line, sizeof line, f))
        rows += parse_row(line, ops);
    fclose(f);
    assert_int_equal(rows, NOPS * 3 * 3); /* three ops, three maps, three proc counts */
    for (int o = 0; o < NOPS; o++) {
        ops[o].lo = INFINITY, ops[o].hi = 0;
        for (int k = 0; k < 3; k++)
            for (int r = 0; r < 2; r++) {
                assert_true(ops[o].mu[k][r] > 0);
                double x = ops[o].sm[k][r] / ops[o].mu[k][r];
                ops[o].lo = x < ops[o].lo ? x : ops[o].lo;
                ops[o].hi = x > ops[o].hi ? x : ops[o].hi;
            }
    }
}

/* A ratio as the lessons write it: one decimal, two below 1 (0.27x). */
static void fmt_ratio(char *buf, size_t n, double x)
{
    snprintf(buf, n, x < 1 ? "%.2f" : "%.1f", x);
}

/* "LO-HIx" for op o. */
static void range(char *buf, size_t n, const OpFigures *f)
{
    char lo[16], hi[16];
    fmt_ratio(lo, sizeof lo, f->lo);
    fmt_ratio(hi, sizeof hi, f->hi);
    snprintf(buf, n, "%s-%sx", lo, hi);
}

/* All of lesson id's narration, one text after another. */
static char *narration(unsigned id)
{
    const Lesson *l = lesson_find(id);
    assert_non_null(l);
    MemTrace mt;
    TraceParams tp = lesson_params(l);
    LessonResult res;
    memtrace_open(&mt, &tp);
    assert_int_equal(lesson_run(l, &mt.tr, &res), 0);
    memtrace_close(&mt);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (const uint8_t *)mt.buf, mt.len), TRACE_OK);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    size_t cap = 1 << 16, len = 0;
    char *all = calloc(cap, 1);
    Event e;
    while (trace_cursor_next(&c, &e))
        if (e.type == EV_NARRATE) {
            const char *t = trace_string(&r, e.f[0]);
            size_t n = strlen(t);
            assert_true(len + n + 2 < cap);
            memcpy(all + len, t, n);
            len += n;
            all[len++] = '\n';
        }
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt.buf);
    return all;
}

static void expect(const char *text, unsigned lesson, const char *want)
{
    if (!strstr(text, want))
        fail_msg("lesson %u should say \"%s\" (the measurement docs/ records)", lesson, want);
}

static void test_quoted_measurements(void **state)
{
    (void)state;
    OpFigures ops[NOPS];
    memset(ops, 0, sizeof ops);
    read_table(ops);
    char r[NOPS][40], want[256];
    for (int o = 0; o < NOPS; o++)
        range(r[o], sizeof r[o], &ops[o]);
    char *l9 = narration(9), *l11 = narration(11);
    snprintf(want, sizeof want,
             "new-key Store %s slower than a presized map+Mutex, %d allocs (%d B) vs %d",
             r[OP_NEW], ops[OP_NEW].allocs, ops[OP_NEW].bytes, ops[OP_NEW].mu_allocs);
    expect(l9, 9, want);
    snprintf(want, sizeof want, "existing keys %s; Loads %s", r[OP_EXISTING], r[OP_LOAD]);
    expect(l9, 9, want);
    snprintf(want, sizeof want, "%s for new-key Stores only, %s for existing keys, %s for Loads",
             r[OP_NEW], r[OP_EXISTING], r[OP_LOAD]);
    expect(l11, 11, want);
    snprintf(want, sizeof want, "%d allocations against %d", ops[OP_NEW].allocs,
             ops[OP_NEW].mu_allocs);
    expect(l11, 11, want);
    free(l9);
    free(l11);
}

/* Lesson 7's hardware figure: the atomic slowdown range in the summary row
 * of docs/false-sharing-hw.md ("| atomic (`lock xadd`) | ... | **5.0–6.0x** |",
 * ten runs of bench/false_sharing.c). */
static void test_false_sharing_figure(void **state)
{
    (void)state;
    char path[512], line[512], lo[16] = "", hi[16] = "";
    FILE *f = fopen(source_path(path, sizeof path, "docs/false-sharing-hw.md"), "r");
    if (!f)
        fail_msg("cannot open %s", path);
    while (fgets(line, sizeof line, f) && !*lo) {
        const char *at = strstr(line, "| atomic (`lock xadd`) |"), *b = strstr(line, "| **");
        if (at == line && b) /* "**5.0–6.0x**": an en dash between */
            sscanf(b, "| **%15[0-9.]\xe2\x80\x93%15[0-9.]x** |", lo, hi);
    }
    fclose(f);
    if (!*lo || !*hi)
        fail_msg("no atomic slowdown range in %s", path);
    char want[64], *l7 = narration(7);
    snprintf(want, sizeof want, "padded version was %s-%sx faster", lo, hi);
    expect(l7, 7, want);
    free(l7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_quoted_measurements),
                                       cmocka_unit_test(test_false_sharing_figure)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
