/*
 * test_render_map.c — what the map pane must show at particular lesson
 * steps and traces, each a fault a frame once had: a live map, the map a
 * step's loads read, keys readable when zoomed or printed, where a
 * growth's entries went, big bucket indexes, a number's last digits.
 * The sweep that no frame cuts a text is test_render_fit.c.
 */
#include "lesson_frames.h"
#include "viz_synth.h"

/* A map's slots name their key and elem wherever they are tall enough to
 * read: lesson 11 step 3 (the local map's 9th insert) with the projector
 * preset at 1920x1080 drew tophashes and empty slots (its map had no
 * label), then, under a legibility floor set too high, colours only. */
static void test_map_slots_show_keys(void **state)
{
    (void)state;
    static const struct { unsigned lesson; size_t step; Screen s; const char *label; } c[] = {
        {11, 3, {1920, 1080, true}, "8:8"}, {4, 4, {1280, 720, true}, "9:81"},
        {4, 4, {1920, 1080, true}, "9:81"}, {5, 2, {1600, 900, false}, "9:9"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        LessonFrame f;
        lesson_frame(&f, c[i].lesson, c[i].step, c[i].s);
        if (!drew(&f.o.d, c[i].label))
            fail_msg("lesson %u step %zu at %dx%d: no slot reads %s", c[i].lesson, c[i].step,
                     c[i].s.w, c[i].s.h, c[i].label);
        lesson_frame_free(&f);
    }
}

/* The map pane shows a map that exists: lesson 11's local map goes with
 * localMap's frame, and from step 4 on the pane showed its 9 slots for
 * the rest of the lesson; by step 8 it shows the sync.Map's read map.
 * With no map left (lesson 4 step 6, "count returns"), the one that went
 * is shown faded and says so.  Lesson 10's arena map is recorded as a map,
 * so its step shows it, not the RWMutex's map made before it; the step
 * that frees the arena shows it faded; the next the newest live map. */
static void test_map_pane_shows_a_live_map(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 11, 8, (Screen){1920, 1080, true});
    assert_false(drew(&f.o.d, "hmap at 0xc801ffffc8"));
    assert_true(drew(&f.o.d, "hmap at 0xc000104030"));
    lesson_frame_free(&f);
    lesson_frame(&f, 4, 6, (Screen){1920, 1080, true});
    assert_true(drew(&f.o.d, "hmap at 0xc801ffffc8 (gone)"));
    lesson_frame_free(&f);
    lesson_frame(&f, 4, 5, (Screen){1920, 1080, true});
    assert_true(drew_count(&f.o.d, "hmap at 0xc801ffffc8") == 1);
    lesson_frame_free(&f);
    lesson_frame(&f, 10, 4, (Screen){1920, 1080, true}); /* "Arena map": the step's table */
    assert_true(drew(&f.o.d, "header at 0xc00001a000"));
    assert_true(drew(&f.o.d, "arenaMap[int64]int64"));
    lesson_frame_free(&f);
    lesson_frame(&f, 10, 5, (Screen){1920, 1080, true}); /* "Releasing the arena" */
    assert_true(drew(&f.o.d, "header at 0xc00001a000 (gone)"));
    lesson_frame_free(&f);
    lesson_frame(&f, 10, 6, (Screen){1920, 1080, true}); /* then the newest live map */
    assert_true(drew(&f.o.d, "hmap at 0xc000000030"));
    lesson_frame_free(&f);
}

/* Lesson 5 step 4 with the projector preset at 1920x1080: two rows of
 * buckets leave slots too short to read, and the row says how to make them
 * taller; zoomed (the wheel over the map), the old buckets' keys read, and
 * so do step 9's in buckets too narrow for them beside their marks. */
static void test_map_zoom_reads_the_slots(void **state)
{
    (void)state;
    LessonFrame f;
    const Screen big = {1920, 1080, true};
    lesson_frame(&f, 5, 4, big);
    assert_false(drew(&f.o.d, "26:26"));
    assert_true(drew(&f.o.d, "new buckets · wheel: zoom"));
    View v;
    step_view(&v, &f.rp, 3, &big);
    v.map_zoom = 3;
    draw_logged(&f.o, &f.rp, &v);
    assert_true(drew(&f.o.d, "26:26"));
    assert_false(drew(&f.o.d, "new buckets · wheel: zoom"));
    v.map_pan = 100000; /* scrolled to the end: the new buckets' last slots */
    draw_logged(&f.o, &f.rp, &v);
    assert_false(drew(&f.o.d, "26:26"));
    assert_true(drew(&f.o.d, "53:53"));
    lesson_frame_free(&f);
    /* Step 9's 16 columns: zooming made the slots taller but no wider, and
     * four-digit keys stayed "1…"; taller slots now stack key under mark. */
    lesson_frame(&f, 5, 9, big); /* at zoom 1 the row says the keys are cut */
    assert_true(drew(&f.o.d, "buckets · wheel: zoom to read the keys"));
    step_view(&v, &f.rp, 8, &big);
    v.map_zoom = 3;
    draw_logged(&f.o, &f.rp, &v);
    assert_int_equal(drew_count(&f.o.d, "1180"), 2);
    assert_false(drew(&f.o.d, "1…"));
    assert_false(drew_part(&f.o.d, "wheel: zoom"));
    lesson_frame_free(&f);
}

/* A row with more buckets than columns shows where the step's entries
 * went: lesson 5 steps 6 and 8 evacuate old buckets whose Y halves (new
 * bucket i + old count) lay past the first eight, which were all a row
 * showed, so a student saw keys leave an old bucket for nowhere.  Every
 * shown old bucket's X and Y buckets are drawn; the update of step 6 (key
 * 6 to 36) is in view; the count names 2^B buckets and the spare overflow
 * buckets apart, as makeBucketArray allocates them.  Half-way through step
 * 6, entries fly to the Y halves too (they flew to X only). */
static void test_map_shows_where_entries_went(void **state)
{
    (void)state;
    static const struct {
        size_t step;
        const char *counts, *key;
    } at[] = {{6, "B=4  ·  16 buckets + 2 spare overflow", "6:36"},
              {8, "B=5  ·  32 buckets + 5 spare overflow", "105:105"}};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        LessonFrame f;
        lesson_frame(&f, 5, at[k].step, (Screen){1920, 1080, false});
        const World *w = &f.rp.w;
        const WMap *m = &w->maps.v[0];
        assert_true(m->growing && m->nbuckets > 8);
        assert_true(drew_part(&f.o.d, at[k].counts));
        assert_true(drew(&f.o.d, at[k].key));
        unsigned checked = 0;
        for (uint32_t i = 0; i < m->noldbuckets; i++) {
            char name[16];
            snprintf(name, sizeof name, "old %u", i);
            const WBucket *b = world_bucket(w, m->oldbuckets + (uint64_t)i * m->bucketsize);
            if (!b || !(b->evacuated & BUCKET_EVACUATED) || !drew_count(&f.o.d, name))
                continue;
            for (int half = 0; half < 2; half++) {
                if (!(b->evacuated & (half ? BUCKET_TO_Y : BUCKET_TO_X)))
                    continue;
                snprintf(name, sizeof name, "b%u", i + (half ? m->noldbuckets : 0));
                if (!drew_count(&f.o.d, name))
                    fail_msg("step %zu: old bucket %u went to %s, not drawn", at[k].step, i, name);
                checked++;
            }
        }
        assert_true(checked >= 3);
        if (at[k].step == 6) { /* half-way: old 1's Y half and old 3's fly */
            View v;
            step_view(&v, &f.rp, 5, &(Screen){1920, 1080, false});
            v.from = f.rp.steps[5].at;
            v.phase = 0.5f;
            draw_logged(&f.o, &f.rp, &v);
            assert_int_equal(drew_count(&f.o.d, "Y"), 2);
            assert_int_equal(drew_count(&f.o.d, "X"), 1);
        }
        lesson_frame_free(&f);
    }
}

/* A big map growing (B 13 to 14), old buckets 4734-4743 evacuated last,
 * each to X and Y. */
static void big_map(MemTrace *mt)
{
    TraceParams p = trace_params_default();
    memtrace_open(mt, &p);
    Tracer *t = &mt->tr;
    const uint64_t h = 0xc000010000ull, b0 = 0xc000100000ull, b1 = 0xc002000000ull;
    uint32_t lab = tracer_str(t, "k");
    TRACE(t, MAP_NEW, h, 8, 8, 144, 13, tracer_str(t, "map[int64]int64"));
    TRACE(t, MAP_BUCKETS, h, b0, 13, 8192 + 512);
    TRACE(t, MAP_GROW_START, h, 13, 14, 0, b0, b1);
    TRACE(t, MAP_BUCKETS, h, b1, 14, 16384 + 1024);
    for (uint64_t i = 4734; i <= 4743; i++) {
        TRACE(t, MAP_EVACUATE, h, i, 1, 1);
        TRACE(t, MAP_SLOT_SET, h, b1 + i * 144, 0, 9, lab, SLOT_NUMS_KEY_ELEM, (int64_t)i, 1);
        TRACE(t, MAP_SLOT_SET, h, b1 + (i + 8192) * 144, 0, 9, lab, SLOT_NUMS_KEY_ELEM,
              (int64_t)i + 8192, 1);
    }
    memtrace_close(mt);
}

/* The rows of big_map show the newest eight old buckets, and the newest
 * four's X and Y buckets, named whole (in columns too narrow for "old
 * 4743", "4743": the row says they are old; it was cut to "old 4…"). */
static void test_map_big_indexes_read(void **state)
{
    (void)state;
    static const Screen screens[] = {{1920, 1080, false}, {800, 600, true}};
    for (int sc = 0; sc < 2; sc++) {
        MemTrace mt;
        LessonFrame f;
        big_map(&mt);
        trace_frame(&f, &mt, screens[sc]);
        assert_true(drew_part(&f.o.d, "B=14  ·  16384 buckets"));
        for (unsigned i = 4736; i <= 4743; i++) { /* the newest eight old */
            char name[16], long_name[16];
            snprintf(name, sizeof name, "%u", i);
            snprintf(long_name, sizeof long_name, "old %u", i);
            assert_int_equal(drew_count(&f.o.d, name) + drew_count(&f.o.d, long_name), 1);
            for (int half = 0; half < 2 && i >= 4740; half++) { /* 8 new: 4 X, 4 Y */
                snprintf(name, sizeof name, "b%u", i + (half ? 8192 : 0));
                assert_int_equal(drew_count(&f.o.d, name), 1);
            }
        }
        for (unsigned i = 0; i < f.o.d.texts.n; i++)
            if (f.o.d.texts.v[i].cut)
                fail_msg("'%s' cut", f.o.d.texts.v[i].text);
        lesson_frame_free(&f);
    }
}

/* With more maps made than the World has records for, the pane shows the
 * newest (records are reused, so the table's order is not the program's):
 * 300 heap maps, each garbage before the next is made. */
static void test_map_pane_newest_of_many(void **state)
{
    (void)state;
    TraceParams p = trace_params_default();
    MemTrace mt;
    LessonFrame f;
    memtrace_open(&mt, &p);
    syn_many_maps(&mt.tr, 300, false);
    memtrace_close(&mt);
    trace_frame(&f, &mt, (Screen){1920, 1080, false});
    assert_true(drew(&f.o.d, "hmap at 0xc00012b000 (gone)"));
    assert_true(drew(&f.o.d, "299:299"));
    lesson_frame_free(&f);
}

/* A handout to print (--size 1240x1754 --projector, A4 at 150 dpi): lesson
 * 5's growth steps show both rows with their keys at zoom 1, where a
 * landscape frame with the projector's text needs the wheel, and its
 * churn step shows every key. */
static void test_handout_page_reads_the_map(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 5, 6, (Screen){1240, 1754, true});
    assert_true(drew(&f.o.d, "7:7"));   /* old bucket 2 */
    assert_true(drew(&f.o.d, "6:36"));  /* the update, in new bucket 11 */
    assert_true(drew(&f.o.d, "old 0") && drew(&f.o.d, "b13"));
    assert_false(drew_part(&f.o.d, "wheel: zoom"));
    lesson_frame_free(&f);
    /* Step 9's churned map: 16 columns of buckets, each too narrow for a
     * 4-digit key beside its tophash ("1…"), tall enough to stack them. */
    lesson_frame(&f, 5, 9, (Screen){1240, 1754, true});
    assert_int_equal(drew_count(&f.o.d, "1180"), 2); /* key over elem */
    assert_false(drew(&f.o.d, "1…"));
    assert_true(drew(&f.o.d, "ovf"));     /* its 8 overflow buckets, not "overfl…" */
    assert_false(drew(&f.o.d, "overfl…"));
    lesson_frame_free(&f);
}

/* Keys 1<<20 + i too wide for their slots keep their last digits, which
 * tell them apart, not their first: every one read "104…" or "1…" (lesson
 * 9's boxed keys in the sync.Map's dirty map, lesson 10's int keys on the
 * handout page, stacked key over elem), and at least two of them. */
static void test_big_keys_keep_their_last_digits(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 9, 4, (Screen){1280, 720, true});
    assert_true(drew(&f.o.d, "…576") && drew(&f.o.d, "…599"));
    assert_false(drew(&f.o.d, "104…") || drew(&f.o.d, "1…"));
    lesson_frame_free(&f);
    lesson_frame(&f, 10, 6, (Screen){1240, 1754, true});
    assert_true(drew_count(&f.o.d, "…590") >= 2); /* key 1048590 and its elem */
    assert_false(drew(&f.o.d, "104…"));
    lesson_frame_free(&f);
    /* With room for one digit ("…8": one key in ten) a slot keeps its
     * colour only, and the row says the wheel would show its keys. */
    lesson_frame(&f, 10, 4, (Screen){1600, 900, false});
    for (unsigned i = 0; i < f.o.d.texts.n; i++) {
        const char *t = f.o.d.texts.v[i].text;
        assert_false(!strncmp(t, "…", 3) && strlen(t) == 4 && t[3] >= '0' && t[3] <= '9');
    }
    assert_true(drew(&f.o.d, "buckets · wheel: zoom"));
    lesson_frame_free(&f);
}

/* The map pane shows the map whose buckets the caches saw touched last:
 * lesson 8's sync.Map steps read the sync.Map's read map and change
 * nothing, and the pane showed the RWMutex's map, made after it, which
 * those steps never touch.  Its RWMutex steps show that map again. */
static void test_map_pane_shows_the_map_the_loads_read(void **state)
{
    (void)state;
    LessonFrame f;
    for (unsigned step = 2; step <= 4; step++) {
        lesson_frame(&f, 8, step, (Screen){1920, 1080, false});
        bool sync = step < 4;
        assert_int_equal(drew(&f.o.d, "map[interface {}]*sync.entry"), sync);
        assert_int_equal(drew_part(&f.o.d, "(inside the sync.Map)"), sync);
        assert_int_equal(drew(&f.o.d, "map[int64]int64"), !sync);
        lesson_frame_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_slots_show_keys),
        cmocka_unit_test(test_map_pane_shows_a_live_map),
        cmocka_unit_test(test_map_zoom_reads_the_slots),
        cmocka_unit_test(test_map_shows_where_entries_went),
        cmocka_unit_test(test_map_big_indexes_read),
        cmocka_unit_test(test_map_pane_newest_of_many),
        cmocka_unit_test(test_handout_page_reads_the_map),
        cmocka_unit_test(test_big_keys_keep_their_last_digits),
        cmocka_unit_test(test_map_pane_shows_the_map_the_loads_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
