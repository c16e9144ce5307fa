/*
 * test_scenario.c — every built-in scenario runs, passes its own checks,
 * leaves a readable trace, and records the same bytes twice; every map slot
 * it writes carries its key and value for the map pane.
 */
#include <string.h>

#include "testutil.h"
#include "scenario.h"
#include "trace_read.h"

static void record(const Scenario *sc, MemTrace *mt)
{
    MachineConfig cfg = scenario_config(sc);
    TraceParams tp = scenario_params(&cfg);
    memtrace_open(mt, &tp);
    assert_int_equal(scenario_record(sc, &cfg, &mt->tr), 0);
    memtrace_close(mt);
}

static void test_all_scenarios(void **state)
{
    (void)state;
    const Scenario *const *all = scenario_all();
    assert_non_null(all[0]);
    for (unsigned i = 0; all[i]; i++) {
        for (unsigned j = 0; j < i; j++)
            assert_string_not_equal(all[i]->name, all[j]->name);
        MemTrace a, b;
        record(all[i], &a);
        record(all[i], &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.buf, b.buf, a.len);
        TraceReader r;
        assert_int_equal(trace_open_mem(&r, (uint8_t *)a.buf, a.len), TRACE_OK);
        assert_true(r.nevents > 0);
        TraceCursor c;
        trace_cursor_init(&c, &r);
        Event e;
        while (trace_cursor_next(&c, &e))
            if (slot_unlabelled(&r, &e))
                fail_msg("scenario %s: event %llu writes a map slot with no key or value "
                         "to show", all[i]->name, (unsigned long long)e.index);
        assert_int_equal(r.status, TRACE_OK);
        trace_cursor_free(&c);
        trace_close(&r);
        free(a.buf);
        free(b.buf);
        assert_ptr_equal(scenario_find(all[i]->name), all[i]);
    }
    assert_null(scenario_find("no-such-scenario"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_all_scenarios)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
