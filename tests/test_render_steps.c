/*
 * test_render_steps.c — what particular lesson steps must show, each a
 * fault a frame once had: a step's own span, keys, cache lines and labels
 * in view when the pane cannot show everything; an empty heap that says
 * so; a frame's newest locals; still frames without mouse hints.  The map
 * pane's are test_render_map.c; the sweep that no frame cuts a text is
 * test_render_fit.c.
 */
#include "lesson_frames.h"
#include "viz_synth.h"

/* A heap pane with room for fewer spans than the trace has shows the ones
 * where the step changed most: lesson 11 step 5's 1 MiB make, not the
 * older span of garbage buckets before it in address order; lesson 10
 * step 4's arena chunk, not the span of the hmap made with it.  With the
 * projector's text at 1280x720 each has room for one row. */
static void test_heap_shows_the_steps_spans(void **state)
{
    (void)state;
    static const struct {
        unsigned lesson;
        size_t step;
        const char *shown, *not_shown;
    } at[] = {{11, 5, "1.0 MiB · large", "288 B · class 19"},
              {10, 4, "16 KiB · class 59", "48 B · class 5"}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        for (int proj = 0; proj < 2; proj++) {
            LessonFrame f;
            lesson_frame(&f, at[i].lesson, at[i].step, (Screen){1280, 720, proj != 0});
            assert_true(drew(&f.o.d, at[i].shown));
            if (proj)
                assert_false(drew(&f.o.d, at[i].not_shown));
            lesson_frame_free(&f);
        }
}

/* A sync.Map side with more keys than rows lists the keys the step changed
 * first: lesson 6 step 9 puts the expunged key 2 back into dirty, and with
 * the projector's text at 1280x720 dirty has rows for three of its five
 * keys, which were 3, 4 and 1. */
static void test_syncmap_shows_the_steps_keys(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 6, 9, (Screen){1280, 720, true});
    assert_true(drew(&f.o.d, "+2 more"));
    assert_int_equal(drew_count(&f.o.d, "key 2"), 2); /* in read, and in dirty */
    lesson_frame_free(&f);
}

/* A key whose entry is deleted (p = nil) or expunged says so on its chip:
 * lesson 6 step 7 deletes key 2 from read, and with the projector's text
 * at 1920x1080 the pane has no room left for the entries row, so the
 * frame showed four alike keys; step 8's dirtyLocked expunges it. */
static void test_syncmap_keys_show_their_state(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 6, 7, (Screen){1920, 1080, true});
    assert_true(drew(&f.o.d, "key 2: nil"));
    assert_false(drew(&f.o.d, "key 1: "));
    lesson_frame_free(&f);
    lesson_frame(&f, 6, 8, (Screen){1920, 1080, true});
    assert_true(drew(&f.o.d, "key 2: expunged"));
    lesson_frame_free(&f);
}

/* A frame with more locals than its box has lines for (100 of them, more
 * than the pane collects) hides the oldest: the newest is drawn, the
 * first is not, and the count of hidden ones covers all the rest. */
static void test_frame_hides_oldest_locals(void **state)
{
    (void)state;
    TraceParams p = trace_params_default();
    MemTrace mt;
    LessonFrame f;
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    uint64_t top = SYN_STACK0 + SYN_WIN;
    TRACE(t, G_CREATE, 0, syn_s(t, "main"), SYN_STACK0, top);
    TRACE(t, FRAME_PUSH, 0, syn_s(t, "main"), top);
    for (int i = 0; i < 100; i++) {
        char name[16], type[24];
        snprintf(name, sizeof name, "v%d", i);
        snprintf(type, sizeof type, "[%d]byte", 1000 + i);
        TRACE(t, LOCAL, 0, syn_s(t, name), syn_s(t, type), top - 0x1000 * (uint64_t)(i + 1),
              1000 + i);
    }
    memtrace_close(&mt);
    trace_frame(&f, &mt, (Screen){1280, 720, false});
    assert_true(drew_part(&f.o.d, "[1099]byte"));
    assert_false(drew_part(&f.o.d, "[1000]byte"));
    unsigned shown = 0, hidden = 0;
    for (int i = 0; i < 100; i++) {
        char type[24];
        snprintf(type, sizeof type, "[%d]byte", 1000 + i);
        shown += drew_part(&f.o.d, type);
    }
    for (unsigned i = 0; i < f.o.d.texts.n; i++)
        sscanf(f.o.d.texts.v[i].text, "… %u more in this frame", &hidden);
    assert_true(shown > 3);
    assert_int_equal(shown + hidden, 100);
    lesson_frame_free(&f);
}

/* The sync.Map pane shows the sync.Map changed last: lesson 9's second
 * benchmark stores keys 1<<20 + i into a second sync.Map while its map
 * pane shows that map's dirty map; the pane showed the first benchmark's
 * sync.Map (keys 1, 2, 3 ...), done with two steps before. */
static void test_syncmap_pane_follows_the_step(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 9, 4, (Screen){1920, 1080, false});
    assert_true(drew(&f.o.d, "key 1048576"));
    assert_int_equal(drew_count(&f.o.d, "key 1"), 0);
    lesson_frame_free(&f);
    lesson_frame(&f, 9, 2, (Screen){1920, 1080, false}); /* the first one's step */
    assert_int_equal(drew_count(&f.o.d, "key 1"), 1);
    assert_false(drew(&f.o.d, "key 1048576"));
    lesson_frame_free(&f);
}

/* A still frame (render's PNGs, the window's S) leaves out the hints that
 * need a mouse: lesson 5's handout page said "+4 more spans: drag the pane
 * to see" on paper, a slide said "· wheel: zoom", and a PNG with --pointer
 * over the timeline "click to go there".  The window keeps them. */
static void draw_step(LessonFrame *f, size_t k, Screen s, int hx, int hy, bool still)
{
    View v;
    step_view(&v, &f->rp, k - 1, &s);
    v.hover_x = hx, v.hover_y = hy;
    v.still = still;
    draw_logged(&f->o, &f->rp, &v);
}

static void test_still_frames_have_no_mouse_hints(void **state)
{
    (void)state;
    LessonFrame f;
    Screen page = {1240, 1754, true}, wide = {1600, 900, false}, small = {640, 400, false};
    lesson_frame(&f, 5, 4, page);
    assert_true(drew(&f.o.d, "+4 more spans: drag the pane to see"));
    draw_step(&f, 4, page, -1, -1, true);
    assert_true(drew(&f.o.d, "+4 more spans"));
    assert_false(drew_part(&f.o.d, "drag"));
    lesson_frame_free(&f);
    lesson_frame(&f, 10, 4, wide);
    assert_true(drew(&f.o.d, "buckets · wheel: zoom"));
    draw_step(&f, 4, wide, -1, -1, true);
    assert_true(drew(&f.o.d, "buckets"));
    assert_false(drew_part(&f.o.d, "wheel"));
    lesson_frame_free(&f);
    lesson_frame(&f, 6, 2, small);
    draw_step(&f, 2, small, 320, 375, false); /* the pointer over the timeline */
    assert_true(drew_part(&f.o.d, "click to go there"));
    draw_step(&f, 2, small, 320, 375, true);
    assert_true(drew_part(&f.o.d, "event "));
    assert_false(drew_part(&f.o.d, "click"));
    lesson_frame_free(&f);
}

/* A caches pane too narrow for a line's address names it by its last
 * four digits, where its rows differ (lesson 8 at 800x600 with the
 * projector preset read "0xc000002…" on both rows). */
static void test_narrow_caches_name_lines_by_their_last_digits(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 8, 2, (Screen){800, 600, true});
    assert_true(drew(&f.o.d, "…2040") && drew(&f.o.d, "…2280"));
    assert_false(drew(&f.o.d, "0xc000002…"));
    lesson_frame_free(&f);
}

/* An empty heap says so: lesson 11 step 2 ("A map is always on the heap"
 * - FALSE) is about a heap with nothing on it, and its pane was blank. */
static void test_empty_heap_says_so(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 11, 2, (Screen){1920, 1080, true});
    assert_true(drew(&f.o.d, "nothing on the heap yet"));
    lesson_frame_free(&f);
}

/* Lesson 10's fixed-key table lives in static data: the caches pane names
 * its lines after the variable, and the heap pane does not count it. */
static void test_static_table_names_its_lines(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 10, 6, (Screen){1280, 720, false}); /* the fixed-key table */
    assert_true(drew(&f.o.d, "main.d [64]struct"));
    assert_true(drew(&f.o.d, "12 spans · 168 objects"));
    lesson_frame_free(&f);
}

/* A cache line's label names what it holds, not only the first object
 * allocated in it: lesson 7's padded run puts its WaitGroup, whose Done
 * writes are the true sharing left, in the counters' line.  Where the
 * names do not fit, shorter words, then the first and how many more. */
static void test_line_names_what_it_holds(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 7, 5, (Screen){1920, 1080, false});
    assert_true(drew(&f.o.d, "main.counters +1"));
    lesson_frame_free(&f);
    /* Too wide, a label says it in Go's shorter words first: lesson 9's
     * sync.Map buckets read "bucket[interface …", their type unseen. */
    lesson_frame(&f, 9, 4, (Screen){1280, 720, true});
    assert_true(drew(&f.o.d, "bucket[any]*sy"));
    assert_false(drew(&f.o.d, "bucket[interface"));
    lesson_frame_free(&f);
}

/* A caches pane too short for its lines' full rows draws compact ones and
 * says how many it leaves out: lesson 7 step 5 ("The padded layout") with
 * the projector preset at 1280x720 had room for two full rows, the
 * counters' and the closures' lines, and not b's line, Modified in core 1,
 * the step's point; nor did it say a line was missing.  A compact row
 * names what its line holds, where the name and the address do not both
 * fit. */
static void test_caches_show_the_padded_lines(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 7, 5, (Screen){1280, 720, true});
    assert_int_equal(drew_count(&f.o.d, "main.padded"), 2); /* a's line and b's */
    assert_true(drew(&f.o.d, "+1 more line"));
    lesson_frame_free(&f);
}

/* The map gets more of the height when it is the only pane below the
 * heap, but not the heap's last compact row: the map-growth scenario with
 * the projector preset in 800x600 cut its "48 B · class 5" row in half. */
static void test_heap_keeps_a_row_beside_a_map(void **state)
{
    (void)state;
    Offscreen o;
    MemTrace mt;
    Replay rp;
    const Screen small = {800, 600, true};
    open_scenario(scenario_find("map-growth"), &mt, &rp);
    open_target(&o, small.w, small.h);
    cut_at(&o, &rp, 2, &small, 0, false);
    bool whole = false;
    for (unsigned i = 0; i < o.d.texts.n; i++) {
        const DrawnText *t = &o.d.texts.v[i];
        SDL_Rect ink = shown_ink(t);
        whole |= !strcmp(t->text, "48 B · class 5") && SDL_RectEquals(&ink, &t->ink);
    }
    assert_true(whole);
    offscreen_free(&o);
    replay_close(&rp);
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_shows_the_steps_spans),
        cmocka_unit_test(test_syncmap_shows_the_steps_keys),
        cmocka_unit_test(test_syncmap_keys_show_their_state),
        cmocka_unit_test(test_frame_hides_oldest_locals),
        cmocka_unit_test(test_narrow_caches_name_lines_by_their_last_digits),
        cmocka_unit_test(test_syncmap_pane_follows_the_step),
        cmocka_unit_test(test_empty_heap_says_so),
        cmocka_unit_test(test_static_table_names_its_lines),
        cmocka_unit_test(test_line_names_what_it_holds),
        cmocka_unit_test(test_caches_show_the_padded_lines),
        cmocka_unit_test(test_heap_keeps_a_row_beside_a_map),
        cmocka_unit_test(test_still_frames_have_no_mouse_hints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
