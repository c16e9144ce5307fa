/*
 * test_contention.c — per-line contention records (perf c2c style): counts
 * of false and true sharing and HITMs, per-core bytes, the top-N ordering.
 */
#include "cache_testutil.h"

/* ---- per-line contention (perf c2c) ----------------------------------- */

static void ping_pong(Cpu *cpu, uint64_t line, int rounds, uint32_t off0, uint32_t off1)
{
    for (int i = 0; i < rounds; i++) {
        acc(cpu, 0, line + off0, 8, W);
        acc(cpu, 1, line + off1, 8, W);
    }
}

static void test_contention_stats(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    const uint64_t L1 = 0x10000, L2 = 0x20000, L3 = 0x30000, L4 = 0x40000, L5 = 0x50000,
                   L6 = 0x60000;
    ping_pong(cpu, L1, 3, 0, 8);  /* 5 HITM writes, 5 false invalidations */
    ping_pong(cpu, L2, 1, 0, 0);  /* 1 HITM write, 1 true invalidation */
    ping_pong(cpu, L3, 2, 0, 0);  /* 3 + 3 */
    ping_pong(cpu, L4, 1, 0, 16); /* ties with L2: the lower address wins */
    acc(cpu, 0, L5, 8, W);        /* never contended */
    acc(cpu, 1, L1 + 8, 8, R);    /* a read after the record opened */
    acc(cpu, 0, L6, 8, W);
    acc(cpu, 1, L6 + 8, 8, R);    /* read HITM: core 0 keeps an S copy */

    assert_null(cpu_line_stats(cpu, L5));
    const LineStats *s = cpu_line_stats(cpu, L1 + 40);
    assert_non_null(s);
    assert_int_equal(s->line, L1);
    assert_int_equal(s->inval_false, 5);
    assert_int_equal(s->inval_true, 0);
    assert_int_equal(s->hitm, 5);
    /* Counting starts at the first contention: core 0's first write is not in it. */
    assert_int_equal(s->writes[0], 2);
    assert_int_equal(s->writes[1], 3);
    assert_int_equal(s->reads[1], 1);
    assert_int_equal(s->touched[0], 0xFFull); /* seeded from the first victim */
    assert_int_equal(s->touched[1], 0xFF00ull);

    s = cpu_line_stats(cpu, L6);
    assert_int_equal(s->hitm, 1);
    assert_int_equal(s->inval_false + s->inval_true, 0);
    assert_int_equal(s->reads[1], 1);
    assert_int_equal(s->writes[0], 0);
    assert_int_equal(s->touched[0], 0xFFull); /* seeded from the surviving holder */
    assert_int_equal(s->touched[1], 0xFF00ull);

    LineStats top[8];
    assert_int_equal(cpu_top_lines(cpu, top, 8), 5);
    assert_int_equal(top[4].line, L6);
    assert_int_equal(top[0].line, L1);
    assert_int_equal(top[1].line, L3);
    assert_int_equal(top[2].line, L2);
    assert_int_equal(top[3].line, L4);
    assert_int_equal(top[1].inval_true, 3);
    assert_int_equal(top[2].inval_true, 1);
    assert_int_equal(top[3].inval_false, 1);
    assert_int_equal(cpu_top_lines(cpu, top, 2), 2);
    assert_int_equal(top[1].line, L3);
    assert_int_equal(cpu_top_lines(cpu, top, 0), 0);
    del_cpu(cpu);
}

static void test_contention_survives_eviction(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    ping_pong(cpu, A, 1, 0, 8);
    evict_by_conflict(cpu, 1, A);      /* core 1 drops the contended line */
    acc(cpu, 1, A + 8, 8, R);          /* and gets it back: still counted */
    assert_int_equal(cpu_line_stats(cpu, A)->reads[1], 1);
    assert_int_equal(cpu_line_stats(cpu, A)->hitm, 1);
    del_cpu(cpu);
}

/* ---- the cost table ----------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contention_stats),
        cmocka_unit_test(test_contention_survives_eviction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
