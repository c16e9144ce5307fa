/*
 * test_lessons.c — every lesson records, passes all of its claims, numbers
 * its steps from 1, leaves a readable trace, and is deterministic.  Every
 * map slot it writes carries its key and value, so the map pane can show
 * them.
 */
#include <string.h>

#include "testutil.h"
#include "lesson.h"
#include "trace_read.h"

static void record(const Lesson *l, const char *path, LessonResult *res)
{
    int rc = lesson_record(l, path, res);
    if (rc != 0)
        fail_msg("lesson %u (%s): %u of %u claims failed; first: %s", l->id, l->slug,
                 res->failed, res->claims, res->first_failure);
}

static void check_trace(const char *path, const LessonResult *res)
{
    TraceReader r;
    assert_int_equal(trace_open(&r, path), TRACE_OK);
    assert_int_equal(r.nevents, res->events);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    unsigned steps = 0, claims = 0, begins = 0;
    while (trace_cursor_next(&c, &e)) {
        if (e.type == EV_STEP)
            assert_int_equal(e.f[0], ++steps);
        claims += e.type == EV_CLAIM;
        if (e.type == EV_CLAIM)
            assert_int_equal(e.f[1], 1); /* every claim recorded as holding */
        begins += e.type == EV_LESSON_BEGIN;
        if (slot_unlabelled(&r, &e))
            fail_msg("%s: event %llu writes a map slot with no key or value to show (set "
                     "the map's label)", path, (unsigned long long)e.index);
    }
    assert_int_equal(r.status, TRACE_OK);
    assert_int_equal(steps, res->steps);
    assert_int_equal(claims, res->claims);
    assert_int_equal(begins, 1);
    trace_cursor_free(&c);
    trace_close(&r);
}

static bool same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    int ca, cb;
    while (same && ((ca = fgetc(fa)) != EOF) | ((cb = fgetc(fb)) != EOF))
        same = ca == cb;
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static void test_every_lesson(void **state)
{
    (void)state;
    unsigned n = 0, prev = 0;
    for (const Lesson *const *l = lesson_all(); *l; l++, n++) {
        assert_true((*l)->id > prev);
        prev = (*l)->id;
        assert_ptr_equal(lesson_find((*l)->id), *l);
        char a[64], b[64];
        snprintf(a, sizeof a, "/tmp/gmv-test-lesson%u-a.gmvt", (*l)->id);
        snprintf(b, sizeof b, "/tmp/gmv-test-lesson%u-b.gmvt", (*l)->id);
        LessonResult ra, rb;
        record(*l, a, &ra);
        record(*l, b, &rb);
        assert_true(ra.steps >= 3);
        assert_true(ra.claims >= 1);
        check_trace(a, &ra);
        assert_true(same_file(a, b));
        remove(a);
        remove(b);
    }
    assert_true(n >= 1);
    assert_null(lesson_find(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_lesson)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
