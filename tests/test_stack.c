/* test_stack.c — frames nest, locals are aligned and inside their frame. */
#include "testutil.h"
#include "stack.h"

static void test_frames_and_locals(void **state)
{
    (void)state;
    Stack s;
    stack_init(&s, NULL, 3, "main.main");
    assert_true(s.hi == STACK_REGION + 4 * STACK_WINDOW);
    uint64_t x = stack_local(&s, "x", "int", 8, 8);
    assert_true(x == s.hi - 8);
    uint64_t sp = stack_push(&s, "main.f");
    assert_true(sp == x - 8); /* the return PC sits between the frames */
    uint64_t b = stack_local(&s, "b", "[3]byte", 3, 1);
    uint64_t i = stack_local(&s, "i", "int64", 8, 8);
    assert_true(b == sp - 3);
    assert_true(i % 8 == 0 && i + 8 <= b);
    assert_string_equal(stack_top_fn(&s), "main.f");
    stack_pop(&s);
    assert_true(s.sp == x);
    assert_string_equal(stack_top_fn(&s), "main.main");
    assert_int_equal(s.nframes, 1);
}

static void test_big_local_fits_window(void **state)
{
    (void)state;
    Stack s;
    stack_init(&s, NULL, 0, "main.main");
    uint64_t a = stack_local(&s, "a", "[10485760]byte", 10 << 20, 8); /* MaxStackVarSize */
    assert_true(a >= s.lo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_and_locals),
        cmocka_unit_test(test_big_local_fits_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
