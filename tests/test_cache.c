/*
 * test_cache.c — the MESI cache model, transition by transition.
 *
 * Every access in these tests goes through acc(), which runs mesi_check()
 * afterwards, so no test can leave the caches incoherent unnoticed.  Initial
 * states are reached with real accesses only (reads, writes, and evictions
 * forced by filling a set), never by poking the caches.
 */
#include "cache_testutil.h"

static MesiState state_of_char(char c)
{
    switch (c) {
    case 'M': return MESI_MODIFIED;
    case 'E': return MESI_EXCLUSIVE;
    case 'S': return MESI_SHARED;
    default: return MESI_INVALID;
    }
}

static void assert_states(const Cpu *cpu, const char *want, uint64_t addr)
{
    for (int c = 0; want[c]; c++) {
        if (cpu_state(cpu, c, addr) != state_of_char(want[c]))
            fail_msg("core %d: want %c, have %s (want %s)", c, want[c],
                     mesi_state_name(cpu_state(cpu, c, addr)), want);
    }
}

/* Reach the states in want (one letter per core) for line A. */
static void setup_states(Cpu *cpu, const char *want)
{
    int nshared = 0, helper = -1;
    for (int c = 0; want[c]; c++) {
        if (want[c] == 'M')
            acc(cpu, c, A, 8, ACC_WRITE);
        else if (want[c] == 'E')
            acc(cpu, c, A, 8, ACC_READ);
        else if (want[c] == 'S')
            acc(cpu, c, A, 8, ACC_READ), nshared++;
        else
            helper = c; /* the last I core: the first may be the one under test */
    }
    if (nshared == 1) { /* a lone S: share with a helper, then lose the helper's copy */
        assert_true(helper >= 0);
        acc(cpu, helper, A, 8, ACC_READ);
        evict_by_conflict(cpu, helper, A);
    }
    assert_states(cpu, want, A);
}

/* ---- every MESI transition --------------------------------------------- */

typedef struct {
    const char *start; /* states of cores 0,1,2; core 0 makes the access */
    unsigned op;
    CacheOutcome outcome;
    int source;
    const char *end;
    int ninval;
    int ndown;
    bool down_writeback;
} MesiRow;


static const MesiRow mesi_table[] = {
    /* nobody has it */
    {"III", R, CACHE_MISS_MEM, -1, "EII", 0, 0, false},
    {"III", W, CACHE_MISS_MEM, -1, "MII", 0, 0, false},
    {"III", X, CACHE_MISS_MEM, -1, "MII", 0, 0, false},
    {"III", P, CACHE_MISS_MEM, -1, "EII", 0, 0, false},
    /* another core has it Exclusive */
    {"IEI", R, CACHE_MISS_CLEAN, 1, "SSI", 0, 1, false},
    {"IEI", W, CACHE_MISS_CLEAN, 1, "MII", 1, 0, false},
    {"IEI", X, CACHE_MISS_CLEAN, 1, "MII", 1, 0, false},
    /* another core has it Modified: HITM */
    {"IMI", R, CACHE_HITM, 1, "SSI", 0, 1, true},
    {"IMI", W, CACHE_HITM, 1, "MII", 1, 0, false},
    {"IMI", X, CACHE_HITM, 1, "MII", 1, 0, false},
    {"IMI", P, CACHE_HITM, 1, "SSI", 0, 1, true},
    {"IIM", R, CACHE_HITM, 2, "SIS", 0, 1, true},
    /* others share it */
    {"ISI", R, CACHE_MISS_CLEAN, 1, "SSI", 0, 0, false},
    {"ISI", W, CACHE_MISS_CLEAN, 1, "MII", 1, 0, false},
    {"ISI", X, CACHE_MISS_CLEAN, 1, "MII", 1, 0, false},
    {"ISS", R, CACHE_MISS_CLEAN, 1, "SSS", 0, 0, false},
    {"ISS", W, CACHE_MISS_CLEAN, 1, "MII", 2, 0, false},
    {"ISS", X, CACHE_MISS_CLEAN, 1, "MII", 2, 0, false},
    /* we share it */
    {"SII", R, CACHE_HIT, -1, "SII", 0, 0, false},
    {"SII", W, CACHE_UPGRADE, -1, "MII", 0, 0, false}, /* S cannot know it is alone */
    {"SII", X, CACHE_UPGRADE, -1, "MII", 0, 0, false},
    {"SSI", R, CACHE_HIT, -1, "SSI", 0, 0, false},
    {"SSI", W, CACHE_UPGRADE, -1, "MII", 1, 0, false},
    {"SSI", X, CACHE_UPGRADE, -1, "MII", 1, 0, false},
    {"SSS", R, CACHE_HIT, -1, "SSS", 0, 0, false},
    {"SSS", W, CACHE_UPGRADE, -1, "MII", 2, 0, false},
    {"SSS", X, CACHE_UPGRADE, -1, "MII", 2, 0, false},
    {"SSS", P, CACHE_HIT, -1, "SSS", 0, 0, false},
    /* we own it */
    {"EII", R, CACHE_HIT, -1, "EII", 0, 0, false},
    {"EII", W, CACHE_HIT, -1, "MII", 0, 0, false}, /* silent E -> M */
    {"EII", X, CACHE_HIT, -1, "MII", 0, 0, false},
    {"MII", R, CACHE_HIT, -1, "MII", 0, 0, false},
    {"MII", W, CACHE_HIT, -1, "MII", 0, 0, false},
    {"MII", X, CACHE_HIT, -1, "MII", 0, 0, false},
};

static uint32_t expected_cycles(const CacheCosts *k, unsigned op, CacheOutcome o)
{
    if (op & ACC_PREFETCH)
        return 0;
    return k->outcome[o] + ((op & ACC_ATOMIC) ? k->atomic_extra : 0);
}

static void check_row(const MesiRow *row)
{
    Cpu *cpu = new_cpu(3);
    setup_states(cpu, row->start);
    AccessResult r = acc(cpu, 0, A, 8, row->op);
    assert_int_equal(r.outcome, row->outcome);
    assert_int_equal(r.source, row->source);
    assert_int_equal(r.before, state_of_char(row->start[0]));
    assert_int_equal(r.after, state_of_char(row->end[0]));
    assert_states(cpu, row->end, A);
    assert_int_equal(r.ninval, row->ninval);
    for (int i = 0; i < r.ninval; i++) /* victims report the state they lost */
        assert_int_equal(r.inval[i].before, state_of_char(row->start[r.inval[i].core]));
    assert_int_equal(r.ndown, row->ndown);
    for (int i = 0; i < r.ndown; i++) {
        assert_int_equal(r.down[i].before, state_of_char(row->start[r.down[i].core]));
        assert_int_equal(r.down[i].writeback, row->down_writeback);
    }
    assert_false(r.evicted.happened);
    assert_int_equal(r.cycles, expected_cycles(&cpu->cfg.costs, row->op, row->outcome));
    del_cpu(cpu);
}

static void test_mesi_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mesi_table / sizeof mesi_table[0]; i++) {
        const MesiRow *row = &mesi_table[i];
        printf("  %s %-8s -> %-10s %s\n", row->start,
               row->op & P ? "prefetch" : row->op & X ? "atomic" : row->op & W ? "write" : "read",
               cache_outcome_name(row->outcome), row->end);
        check_row(row);
    }
}

static void test_one_core(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(1);
    assert_int_equal(acc(cpu, 0, A, 8, R).after, MESI_EXCLUSIVE);
    AccessResult r = acc(cpu, 0, A, 8, W);
    assert_int_equal(r.outcome, CACHE_HIT);
    assert_int_equal(r.after, MESI_MODIFIED);
    del_cpu(cpu);
}

static void test_eight_cores(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(8);
    for (int c = 0; c < 8; c++)
        acc(cpu, c, A + 8 * (uint64_t)c, 8, R);
    assert_states(cpu, "SSSSSSSS", A);
    AccessResult r = acc(cpu, 3, A + 24, 8, W);
    assert_int_equal(r.outcome, CACHE_UPGRADE);
    assert_int_equal(r.ninval, 7);
    for (int i = 0; i < 7; i++)
        assert_true(r.inval[i].false_sharing); /* each read only its own 8 bytes */
    assert_states(cpu, "IIIMIIII", A);
    del_cpu(cpu);
}

/* ---- LRU and eviction --------------------------------------------------- */

static void test_lru_order(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    for (int i = 0; i < 8; i++)
        acc(cpu, 0, conflict(cpu, A, i), 8, R);
    int touch[] = {3, 1, 7};
    for (int i = 0; i < 3; i++)
        acc(cpu, 0, conflict(cpu, A, touch[i]), 8, R);
    /* Least recent first: the untouched in fill order, then the touched. */
    int want[] = {0, 2, 4, 5, 6, 3, 1, 7};
    for (int i = 0; i < 8; i++) {
        AccessResult r = acc(cpu, 0, conflict(cpu, A, 8 + i) + 8, 8, R);
        assert_true(r.evicted.happened);
        assert_int_equal(r.evicted.line, conflict(cpu, A, want[i]));
        assert_int_equal(r.evicted.state, MESI_EXCLUSIVE);
        assert_false(r.evicted.writeback);
        /* The way is reused: none of the victim's used bytes carry over. */
        assert_int_equal(cpu_used_mask(cpu, 0, conflict(cpu, A, 8 + i)), 0xFF00ull);
    }
    assert_int_equal(cpu_core_stats(cpu, 0)->evictions, 8);
    del_cpu(cpu);
}

static void test_eviction_writeback(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    acc(cpu, 0, A, 8, W); /* the dirty line, least recently used */
    for (int i = 1; i < 8; i++)
        acc(cpu, 0, conflict(cpu, A, i), 8, R);
    AccessResult r = acc(cpu, 0, conflict(cpu, A, 8), 8, R);
    assert_true(r.evicted.happened);
    assert_int_equal(r.evicted.line, A);
    assert_int_equal(r.evicted.state, MESI_MODIFIED);
    assert_true(r.evicted.writeback);
    assert_int_equal(cpu_core_stats(cpu, 0)->writebacks, 1);
    /* Touching a line protects it: now conflict 1 is the oldest. */
    acc(cpu, 0, conflict(cpu, A, 1), 8, R);
    r = acc(cpu, 0, conflict(cpu, A, 9), 8, R);
    assert_int_equal(r.evicted.line, conflict(cpu, A, 2));
    /* Other sets are untouched by all this. */
    assert_int_equal(cpu_state(cpu, 0, A + 64), MESI_INVALID);
    del_cpu(cpu);
}

/* ---- accesses that straddle lines ------------------------------------- */

static void test_straddle(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    AccessResult r[4];
    assert_int_equal(cpu_span_lines(cpu, A + 60, 8), 2);
    assert_int_equal(cpu_span_lines(cpu, A, 64), 1);
    assert_int_equal(cpu_span_lines(cpu, A + 63, 1), 1);
    assert_int_equal(cpu_span_lines(cpu, A, 130), 3);

    int n = cpu_access_span(cpu, 0, A + 60, 8, W, r, 4);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].line, A);
    assert_int_equal(r[0].mask, 0xF000000000000000ull);
    assert_int_equal(r[1].line, A + 64);
    assert_int_equal(r[1].mask, 0xFull);
    assert_int_equal(cpu_state(cpu, 0, A), MESI_MODIFIED);
    assert_int_equal(cpu_state(cpu, 0, A + 64), MESI_MODIFIED);
    assert_true(mesi_check(cpu));

    n = cpu_access_span(cpu, 1, A, 130, R, r, 4);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].mask, ~0ull);
    assert_int_equal(r[1].mask, ~0ull);
    assert_int_equal(r[2].mask, 0x3ull);
    assert_int_equal(r[0].outcome, CACHE_HITM);
    assert_int_equal(r[1].outcome, CACHE_HITM);
    assert_int_equal(r[2].outcome, CACHE_MISS_MEM);
    assert_true(mesi_check(cpu));
    del_cpu(cpu);
}

/* ---- false and true sharing ------------------------------------------- */

static void test_false_sharing_disjoint_writes(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    acc(cpu, 0, A, 8, W);
    AccessResult r = acc(cpu, 1, A + 8, 8, W);
    assert_int_equal(r.outcome, CACHE_HITM);
    assert_int_equal(r.ninval, 1);
    assert_int_equal(r.inval[0].core, 0);
    assert_int_equal(r.inval[0].before, MESI_MODIFIED);
    assert_int_equal(r.inval[0].writer_mask, 0xFF00ull);
    assert_int_equal(r.inval[0].victim_mask, 0xFFull);
    assert_true(r.inval[0].false_sharing);
    assert_int_equal(cpu_core_stats(cpu, 1)->false_sharing, 1);
    assert_int_equal(cpu_core_stats(cpu, 0)->inval_received, 1);
    del_cpu(cpu);
}

static void test_true_sharing_same_bytes(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    acc(cpu, 0, A, 8, W);
    AccessResult r = acc(cpu, 1, A + 4, 8, X); /* overlaps bytes 4..7 */
    assert_int_equal(r.ninval, 1);
    assert_int_equal(r.inval[0].writer_mask, 0xFF0ull);
    assert_int_equal(r.inval[0].victim_mask, 0xFFull);
    assert_false(r.inval[0].false_sharing);
    del_cpu(cpu);
}

static void test_victim_read_counts(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    acc(cpu, 0, A, 8, W);
    acc(cpu, 1, A + 8, 8, R); /* downgrade: core 0 keeps its used bytes */
    assert_int_equal(cpu_used_mask(cpu, 0, A), 0xFFull);
    assert_int_equal(cpu_used_mask(cpu, 1, A), 0xFF00ull);
    AccessResult r = acc(cpu, 0, A + 12, 4, W); /* core 1 read bytes 8..15 */
    assert_int_equal(r.outcome, CACHE_UPGRADE);
    assert_false(r.inval[0].false_sharing);
    r = acc(cpu, 1, A + 32, 4, R);
    r = acc(cpu, 0, A, 1, W); /* core 1 re-acquired the line and read 32..35 */
    assert_int_equal(r.inval[0].victim_mask, 0xFull << 32);
    assert_true(r.inval[0].false_sharing);
    del_cpu(cpu);
}

static void test_victim_touched_nothing(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    AccessResult r = acc(cpu, 1, A, 8, P); /* a prefetcher brings the line in */
    assert_int_equal(r.mask, 0);
    assert_int_equal(r.cycles, 0);
    assert_int_equal(cpu_used_mask(cpu, 1, A), 0);
    r = acc(cpu, 0, A, 8, W);
    assert_int_equal(r.ninval, 1);
    assert_int_equal(r.inval[0].before, MESI_EXCLUSIVE);
    assert_int_equal(r.inval[0].victim_mask, 0);
    assert_true(r.inval[0].false_sharing); /* nothing used: nothing shared */
    del_cpu(cpu);
}

static void test_used_mask_resets_on_reacquire(void **state)
{
    (void)state;
    Cpu *cpu = new_cpu(2);
    acc(cpu, 0, A, 8, W);
    AccessResult r = acc(cpu, 1, A, 8, W);
    assert_false(r.inval[0].false_sharing); /* both wrote bytes 0..7 */
    r = acc(cpu, 0, A + 8, 8, W);
    assert_true(r.inval[0].false_sharing);  /* core 1 only ever had 0..7 */
    r = acc(cpu, 1, A, 8, W);
    /* core 0 wrote 0..7 long ago, but lost the line since: only 8..15 count */
    assert_int_equal(r.inval[0].victim_mask, 0xFF00ull);
    assert_true(r.inval[0].false_sharing);
    del_cpu(cpu);
}


static void test_cost_defaults(void **state)
{
    (void)state;
    /* docs/cost-model.md quotes these; change both together. */
    const CacheCosts *k = &CACHE_COSTS_DEFAULT;
    assert_int_equal(k->outcome[CACHE_HIT], 4);
    assert_int_equal(k->outcome[CACHE_MISS_MEM], 200);
    assert_int_equal(k->outcome[CACHE_HITM], 75);
    assert_int_equal(k->outcome[CACHE_MISS_CLEAN], 45);
    assert_int_equal(k->outcome[CACHE_UPGRADE], 40);
    assert_int_equal(k->atomic_extra, 14);
    CacheConfig cfg = cache_config_default();
    assert_memory_equal(&cfg.costs, k, sizeof *k);
    /* The ordering the lessons teach. */
    assert_true(k->outcome[CACHE_HIT] < k->outcome[CACHE_UPGRADE]);
    assert_true(k->outcome[CACHE_UPGRADE] <= k->outcome[CACHE_MISS_CLEAN]);
    assert_true(k->outcome[CACHE_MISS_CLEAN] < k->outcome[CACHE_HITM]);
    assert_true(k->outcome[CACHE_HITM] < k->outcome[CACHE_MISS_MEM]);
}

static void test_cost_override(void **state)
{
    (void)state;
    CacheConfig cfg = cache_config_default();
    cfg.costs = (CacheCosts){{1, 1000, 300, 20, 7}, 50};
    Cpu cpu;
    assert_true(cpu_init(&cpu, &cfg));
    AccessResult r;
    cpu_access(&cpu, 0, A, 8, R, &r);
    assert_int_equal(r.cycles, 1000);
    cpu_access(&cpu, 0, A, 8, R, &r);
    assert_int_equal(r.cycles, 1);
    cpu_access(&cpu, 1, A, 8, R, &r);
    assert_int_equal(r.cycles, 20);
    cpu_access(&cpu, 1, A, 8, X, &r);
    assert_int_equal(r.cycles, 7 + 50);
    cpu_access(&cpu, 0, A, 8, W, &r);
    assert_int_equal(r.cycles, 300);
    assert_int_equal(cpu_core_stats(&cpu, 0)->cycles, 1000 + 1 + 300);
    assert_int_equal(cpu_core_stats(&cpu, 1)->cycles, 20 + 57);
    assert_true(mesi_check(&cpu));
    cpu_free(&cpu);
}

/* ---- configuration ------------------------------------------------------ */

static void test_config_check(void **state)
{
    (void)state;
    CacheConfig ok = cache_config_default();
    assert_null(cache_config_check(&ok));
    assert_int_equal(ok.ncores, 2);
    assert_int_equal(ok.cache_size, 32 * 1024);
    assert_int_equal(ok.ways, 8);
    assert_int_equal(ok.line_size, 64);
    CacheConfig bad[] = {ok, ok, ok, ok, ok, ok, ok, ok};
    bad[0].ncores = 0;
    bad[1].ncores = 9;
    bad[2].line_size = 48;
    bad[3].line_size = 128;
    bad[4].ways = 0;
    bad[5].cache_size = 1000;
    bad[6].cache_size = 3 * 8 * 64; /* 3 sets */
    bad[7].cache_size = 0;
    for (int i = 0; i < 8; i++) {
        Cpu cpu;
        assert_non_null(cache_config_check(&bad[i]));
        assert_false(cpu_init(&cpu, &bad[i]));
    }
}

static void test_small_lines(void **state)
{
    (void)state;
    CacheConfig cfg = cache_config_default();
    cfg.line_size = 32;
    Cpu cpu;
    assert_true(cpu_init(&cpu, &cfg));
    AccessResult r[2];
    assert_int_equal(cpu_access_span(&cpu, 0, A + 28, 8, W, r, 2), 2);
    assert_int_equal(r[0].mask, 0xF0000000ull);
    assert_int_equal(r[1].line, A + 32);
    cpu_access(&cpu, 1, A + 16, 4, W, &r[0]);
    assert_true(r[0].inval[0].false_sharing);
    assert_true(mesi_check(&cpu));
    cpu_free(&cpu);
}

/* ---- random soak: the invariant under arbitrary traffic ----------------- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_random_soak(void **state)
{
    (void)state;
    CacheConfig cfg = cache_config_default();
    cfg.ncores = 4;
    cfg.cache_size = 1024; /* 8 sets of 2 ways: constant evictions */
    cfg.ways = 2;
    Cpu cpu;
    assert_true(cpu_init(&cpu, &cfg));
    static const unsigned ops[] = {R, R, W, X, P};
    uint64_t seed = 0x9E3779B97F4A7C15ull, inval = 0, received = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        int core = (int)(rng_next(&seed) % 4);
        uint64_t addr = 0xc000000000ull + rng_next(&seed) % (48 * 64);
        uint32_t room = 64 - (uint32_t)(addr & 63);
        uint32_t size = 1 + (uint32_t)(rng_next(&seed) % (room < 8 ? room : 8));
        AccessResult r = acc(&cpu, core, addr, size, ops[rng_next(&seed) % 5]);
        inval += (uint64_t)r.ninval;
        assert_true(r.ninval + r.ndown < cfg.ncores);
        assert_true(r.outcome != CACHE_HIT || r.before != MESI_INVALID);
        assert_true(r.outcome != CACHE_UPGRADE || r.before == MESI_SHARED);
    }
    uint64_t total = 0;
    for (int c = 0; c < 4; c++) {
        const CoreStats *st = cpu_core_stats(&cpu, c);
        for (int o = 0; o < CACHE_NOUTCOMES; o++)
            total += st->outcomes[o];
        received += st->inval_received;
    }
    assert_int_equal(total, n);
    assert_int_equal(received, inval);
    cpu_free(&cpu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mesi_table),
        cmocka_unit_test(test_one_core),
        cmocka_unit_test(test_eight_cores),
        cmocka_unit_test(test_lru_order),
        cmocka_unit_test(test_eviction_writeback),
        cmocka_unit_test(test_straddle),
        cmocka_unit_test(test_false_sharing_disjoint_writes),
        cmocka_unit_test(test_true_sharing_same_bytes),
        cmocka_unit_test(test_victim_read_counts),
        cmocka_unit_test(test_victim_touched_nothing),
        cmocka_unit_test(test_used_mask_resets_on_reacquire),
        cmocka_unit_test(test_cost_defaults),
        cmocka_unit_test(test_cost_override),
        cmocka_unit_test(test_config_check),
        cmocka_unit_test(test_small_lines),
        cmocka_unit_test(test_random_soak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
