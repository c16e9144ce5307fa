/* test_event.c — the event schema is self-consistent. */
#include <string.h>

#include "testutil.h"
#include "event.h"

static void test_schema_consistent(void **state)
{
    (void)state;
    for (unsigned t = 0; t < EV_COUNT; t++) {
        const EventInfo *ei = event_info(t);
        assert_non_null(ei);
        assert_int_equal(ei->nfields, strlen(ei->kinds));
        assert_true(ei->nfields >= 1 && ei->nfields <= EVENT_MAX_FIELDS);
        unsigned words = 0;
        for (const char *p = ei->field_names; *p; p++)
            words += (p == ei->field_names || p[-1] == ' ') && *p != ' ';
        assert_int_equal(words, ei->nfields);
        assert_string_equal(event_info(event_by_name(ei->name))->name, ei->name);
        assert_true(strspn(ei->kinds, "uiascr") == ei->nfields);
        assert_true(ei->kinds[0] != 'r'); /* 'r' is relative to the field before */
        /* context fields lead, and there are at most EVENT_MAX_CTX */
        unsigned nc = (unsigned)strspn(ei->kinds, "c");
        assert_true(nc <= EVENT_MAX_CTX && nc == event_nctx(t));
        assert_null(strchr(ei->kinds + nc, 'c'));
        assert_int_equal(event_nfields[t], ei->nfields);
    }
    assert_null(event_info(EV_COUNT));
    assert_int_equal(event_by_name("no-such-event"), EV_COUNT);
}

static void test_field_lookup(void **state)
{
    (void)state;
    assert_int_equal(event_field(EV_ALLOC, "addr"), 0);
    assert_int_equal(event_field(EV_ALLOC, "g"), 7);
    assert_int_equal(event_field(EV_ALLOC, "nope"), -1);
    assert_int_equal(event_field(EV_COUNT, "addr"), -1);
}

static void test_access_info_packing(void **state)
{
    (void)state;
    for (unsigned fl = 0; fl < 4; fl++)
        for (unsigned o = 0; o < OUTCOME_COUNT; o++)
            for (unsigned b = 0; b < 4; b++)
                for (unsigned a = 0; a < 4; a++) {
                    uint64_t x = access_info(fl, o, b, a);
                    assert_int_equal(ACCESS_INFO_FLAGS(x), fl);
                    assert_int_equal(ACCESS_INFO_OUTCOME(x), o);
                    assert_int_equal(ACCESS_INFO_BEFORE(x), b);
                    assert_int_equal(ACCESS_INFO_AFTER(x), a);
                }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_consistent),
        cmocka_unit_test(test_field_lookup),
        cmocka_unit_test(test_access_info_packing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
