/*
 * test_sizeclass.c — roundupsize for every size 1..32768 and a sample of
 * large sizes, against tests/data/go119_roundupsize.txt, which was measured
 * from the real Go 1.19 runtime (tests/data/gen_roundupsize.sh).
 */
#include <string.h>

#include "testutil.h"
#include "sizeclass.h"

static void test_against_go(void **state)
{
    (void)state;
    char path[1024];
    FILE *f = fopen(source_path(path, sizeof path, "tests/data/go119_roundupsize.txt"), "r");
    if (!f)
        fail_msg("cannot open %s", path);
    unsigned long long size, rounded, n = 0, small = 0;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%llu %llu", &size, &rounded) != 2)
            continue;
        if (sizeclass_roundup(size) != rounded)
            fail_msg("roundupsize(%llu): Go %llu, model %llu", size, rounded,
                     (unsigned long long)sizeclass_roundup(size));
        n++;
        small += size <= 32768;
    }
    fclose(f);
    assert_true(small >= 32768); /* every small size was compared */
    assert_true(n > small);      /* and some large ones */
}

static void test_class_table_shape(void **state)
{
    (void)state;
    assert_int_equal(sizeclass_size(1), 8);
    assert_int_equal(sizeclass_size(SC_NUM_CLASSES - 1), 32768);
    for (unsigned c = 1; c < SC_NUM_CLASSES; c++) {
        assert_true(sizeclass_nelems(c) >= 1);
        assert_true(sizeclass_size(c) > sizeclass_size(c - 1));
        assert_int_equal(sizeclass_of(sizeclass_size(c)), c);
    }
    assert_int_equal(sizeclass_roundup(0), 0);
    assert_int_equal(sizeclass_roundup(32769), 40960);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_go),
        cmocka_unit_test(test_class_table_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
