/*
 * test_render_fit.c — what a lesson shows fits on the screen: at every step
 * of every lesson, with its question open and answered, at the sizes a
 * class uses (1024x768, an XGA projector, and 1280x720 to 1920x1080), on a
 * screen and with the projector preset (P: larger text), and in an 800x600
 * window on the screen palette, the frame shortens or cuts off no text: not the
 * title, the Go source (long lines wrap), the narration (the step's text,
 * its checks, its question), a counter, a map's header, a slice header in
 * a frame, a sync.Map key.
 *
 * The renderer counts every text it shortens with "…" or cuts at the
 * bottom of its box (Draw.cut).  Labels inside cells too small for them
 * (a bucket slot's key:elem, an object's type in its block), whose whole
 * text the pointer's details show, are drawn with draw_label and not
 * counted.  Nor may a pane's edge cut a text (the Draw logs where each
 * text went and what of it its pane's clip let show), nor any text be
 * drawn over another (no two may share ink), nor any be smaller than 8 px
 * at scale 1 (a label that small is noise: its cell shows colour only).
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "offscreen.h"
#include "scenario.h"

typedef struct {
    int w, h;
    bool projector;
} Screen;

static const Screen screens[] = {
    {800, 600, false}, /* a small window on a laptop */
    {1024, 768, false}, {1024, 768, true}, /* an XGA classroom projector */
    {1280, 720, false}, {1280, 720, true}, {1600, 900, false},
    {1600, 900, true},  {1920, 1080, false}, {1920, 1080, true},
};

/* Lesson l recorded into memory and opened for replay. */
static void open_lesson(const Lesson *l, MemTrace *mt, Replay *rp)
{
    TraceParams tp = lesson_params(l);
    LessonResult res;
    memtrace_open(mt, &tp);
    assert_int_equal(lesson_run(l, &mt->tr, &res), 0);
    memtrace_close(mt);
    assert_int_equal(replay_open_mem(rp, (uint8_t *)mt->buf, mt->len, NULL), TRACE_OK);
}

/* Where the pointer is in the frames cut_at draws (off the window: none). */
static SDL_Point pointer = {-1, -1};

/* The texts cut in the frame at the end of step k (with the help overlay
 * over it if help). */
static unsigned cut_at(Offscreen *o, Replay *rp, size_t k, const Screen *s, int answered,
                       bool help)
{
    View v;
    view_defaults(&v);
    v.name = "lesson";
    for (int i = 0; i < PANE_COUNT; i++) /* as the trace has them */
        v.want[i] = true;
    v.pos = replay_step_end(rp, k);
    v.from = v.pos;
    v.palette = s->projector ? PALETTE_PROJECTOR : PALETTE_SCREEN;
    v.text_scale = s->projector ? PROJECTOR_TEXT_SCALE : 1;
    v.answered = answered;
    v.help = help;
    v.hover_x = pointer.x, v.hover_y = pointer.y;
    o->d.cut = 0;
    o->d.texts.n = 0;
    offscreen_render(o, rp, &v);
    return o->d.cut;
}

/* The part of a text's ink its pane let show. */
static SDL_Rect shown_ink(const DrawnText *t)
{
    SDL_Rect v = {t->ink.x, t->ink.y, 0, 0};
    SDL_IntersectRect(&t->ink, &t->at, &v);
    return v;
}

/* Pairs of texts in the last frame drawn over each other; the first one
 * named in *what. */
static unsigned overlaps(const Draw *d, char *what, size_t n)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < d->texts.n; i++)
        for (unsigned j = i + 1; j < d->texts.n; j++) {
            SDL_Rect a = shown_ink(&d->texts.v[i]), b = shown_ink(&d->texts.v[j]);
            if (!SDL_HasIntersection(&a, &b))
                continue;
            if (!bad++)
                snprintf(what, n, "'%s' at %d,%d and '%s' at %d,%d", d->texts.v[i].text, a.x,
                         a.y, d->texts.v[j].text, b.x, b.y);
        }
    return bad;
}

/* An offscreen target of w x h whose Draw logs its texts. */
static void open_target(Offscreen *o, int w, int h)
{
    static DrawnText texts[4096];
    char err[256];
    if (!offscreen_init(o, w, h, err, sizeof err))
        fail_msg("%s", err);
    o->d.texts.v = texts;
    o->d.texts.cap = sizeof texts / sizeof texts[0];
}

/* 1, and a line naming it, if the frame at the end of step k cuts a text,
 * draws one over another or one too small to read; else 0. */
static unsigned frame_bad(Offscreen *o, Replay *rp, size_t k, const Screen *s, int answer,
                          const char *who)
{
    unsigned cut = cut_at(o, rp, k, s, answer, false);
    char what[160] = "";
    unsigned over = overlaps(&o->d, what, sizeof what);
    for (unsigned i = 0; i < o->d.texts.n && !*what; i++) /* name a cut one */
        if (o->d.texts.v[i].cut)
            snprintf(what, sizeof what, "'%s' cut short", o->d.texts.v[i].text);
    for (unsigned i = 0; i < o->d.texts.n; i++) { /* cut by its pane's edge */
        SDL_Rect in = o->d.texts.v[i].ink, vis;
        if (!SDL_RectEmpty(&in) &&
            (!SDL_IntersectRect(&in, &o->d.texts.v[i].at, &vis) || !SDL_RectEquals(&vis, &in))) {
            if (!*what)
                snprintf(what, sizeof what, "'%s' cut by its pane", o->d.texts.v[i].text);
            cut++;
        }
    }
    unsigned tiny = 0; /* too small to read: 8 px at scale 1 */
    for (unsigned i = 0; i < o->d.texts.n; i++)
        if (o->d.texts.v[i].px < S(&o->d, 8) && !tiny++ && !*what)
            snprintf(what, sizeof what, "'%s' at %d px", o->d.texts.v[i].text,
                     o->d.texts.v[i].px);
    if (!cut && !over && !tiny)
        return 0;
    print_message("%s step %zu at %dx%d%s%s: %u texts cut, %u pairs over each other, %u too "
                  "small: %s\n", who, k + 1, s->w, s->h, s->projector ? ", projector" : "",
                  answer ? ", answered" : "", cut, over, tiny, what);
    return 1;
}

/* What a test checks of lesson id's frames at step k on screen s; returns
 * how many faults it found. */
typedef unsigned (*StepCheck)(Offscreen *o, Replay *rp, size_t k, const Screen *s, unsigned id);

/* check over every step of lessons first..last, at every size; the sum. */
static unsigned each_step(unsigned first, unsigned last, StepCheck check)
{
    unsigned bad = 0;
    for (size_t si = 0; si < sizeof screens / sizeof screens[0]; si++) {
        Offscreen o;
        open_target(&o, screens[si].w, screens[si].h);
        for (const Lesson *const *l = lesson_all(); *l; l++) {
            if ((*l)->id < first || (*l)->id > last)
                continue;
            MemTrace mt;
            Replay rp;
            open_lesson(*l, &mt, &rp);
            for (size_t k = 0; k < rp.nsteps; k++)
                bad += check(&o, &rp, k, &screens[si], (*l)->id);
            replay_close(&rp);
            free(mt.buf);
        }
        offscreen_free(&o);
    }
    return bad;
}

/* The step's frame, with its question open and answered. */
static unsigned step_fits(Offscreen *o, Replay *rp, size_t k, const Screen *s, unsigned id)
{
    char who[32];
    snprintf(who, sizeof who, "lesson %u", id);
    replay_seek(rp, replay_step_end(rp, k));
    int answer = (int)rp->w.nar.answer;
    unsigned bad = 0;
    for (int a = 0; a <= (rp->w.nar.question ? 1 : 0); a++)
        bad += frame_bad(o, rp, k, s, a ? answer : 0, who);
    return bad;
}

static void test_lessons_fit(void **state)
{
    (void)state;
    assert_int_equal(each_step(1, UINT32_MAX, step_fits), 0);
}

/* Each scenario `record` knows, recorded into memory as it records it. */
static void open_scenario(const Scenario *sc, MemTrace *mt, Replay *rp)
{
    MachineConfig cfg = scenario_config(sc);
    TraceParams tp = scenario_params(&cfg);
    memtrace_open(mt, &tp);
    assert_int_equal(scenario_record(sc, &cfg, &mt->tr), 0);
    memtrace_close(mt);
    assert_int_equal(replay_open_mem(rp, (uint8_t *)mt->buf, mt->len, NULL), TRACE_OK);
}

/* The scenarios (no lesson: their marks are the steps) cut no text and
 * draw none over another either, at every mark, at every class size. */
static void test_scenarios_fit(void **state)
{
    (void)state;
    unsigned bad = 0;
    for (size_t si = 0; si < sizeof screens / sizeof screens[0]; si++) {
        Offscreen o;
        open_target(&o, screens[si].w, screens[si].h);
        for (const Scenario *const *sc = scenario_all(); *sc; sc++) {
            MemTrace mt;
            Replay rp;
            open_scenario(*sc, &mt, &rp);
            for (size_t k = 0; k < rp.nsteps; k++)
                bad += frame_bad(&o, &rp, k, &screens[si], 0, (*sc)->name);
            replay_close(&rp);
            free(mt.buf);
        }
        offscreen_free(&o);
    }
    assert_int_equal(bad, 0);
}

/* Whether the last frame drew a text starting with prefix. */
static bool drew(const Draw *d, const char *prefix)
{
    for (unsigned i = 0; i < d->texts.n; i++)
        if (!strncmp(d->texts.v[i].text, prefix, strlen(prefix)))
            return true;
    return false;
}

/* What a frame says where it cannot show everything, or shows less than
 * the trace has: goroutines without a column are named, a heap pane with
 * no room below its one row counts the others in its legend's row, a
 * dropped sync.Map entry is not listed, and a caches pane with no room
 * does not claim that no line was touched. */
static void test_frames_say_what_they_leave_out(void **state)
{
    (void)state;
    const Screen small = {640, 400, false}, hd = {1280, 720, false};
    Offscreen o;
    MemTrace mt;
    Replay rp;
    open_lesson(lesson_find(8), &mt, &rp);
    open_target(&o, hd.w, hd.h);
    cut_at(&o, &rp, 2, &hd, 0, false); /* step 3: the 12 readers have exited */
    assert_true(drew(&o.d, "+12 more: g1 g2"));
    offscreen_free(&o);
    open_target(&o, small.w, small.h);
    cut_at(&o, &rp, 4, &small, 0, false);
    assert_true(drew(&o.d, "no room for its"));
    assert_false(drew(&o.d, "no cache lines touched"));
    offscreen_free(&o);
    replay_close(&rp);
    free(mt.buf);
    open_lesson(lesson_find(11), &mt, &rp); /* a heap pane with room for one row */
    const Screen big = {1920, 1080, true};
    open_target(&o, big.w, big.h);
    cut_at(&o, &rp, 8, &big, 0, false);
    assert_true(drew(&o.d, "+6 more spans"));
    offscreen_free(&o);
    replay_close(&rp);
    free(mt.buf);
    open_scenario(scenario_find("syncmap-expunge"), &mt, &rp);
    open_target(&o, hd.w, hd.h);
    cut_at(&o, &rp, rp.nsteps - 1, &hd, 0, false); /* Delete of dirty-only key 4 */
    assert_true(drew(&o.d, "1: value"));
    assert_false(drew(&o.d, "4: "));
    cut_at(&o, &rp, rp.nsteps - 2, &hd, 0, false); /* before it: 4 is listed */
    assert_true(drew(&o.d, "4: value"));
    offscreen_free(&o);
    replay_close(&rp);
    free(mt.buf);
}

/* The slice lessons' frames are their subject: at a class's sizes every
 * step shows each local of the newest frame, none left to "… N more in
 * this frame" (lesson 1 step 3 at 1280x720 with the projector preset hid
 * b, the step's point, while the heap had room to spare). */
static unsigned every_local_shown(Offscreen *o, Replay *rp, size_t k, const Screen *s,
                                  unsigned id)
{
    unsigned bad = 0;
    cut_at(o, rp, k, s, 0, false);
    for (unsigned i = 0; i < o->d.texts.n; i++)
        if (strstr(o->d.texts.v[i].text, "more in this frame")) {
            print_message("lesson %u step %zu at %dx%d%s: %s\n", id, k + 1, s->w, s->h,
                          s->projector ? ", projector" : "", o->d.texts.v[i].text);
            bad++;
        }
    return bad;
}

static void test_slice_lessons_show_every_local(void **state)
{
    (void)state;
    assert_int_equal(each_step(1, 3, every_local_shown), 0);
}

/* A lesson's frame at the end of step k (1-based) on screen s, its texts
 * logged in f->o.d.texts. */
typedef struct {
    MemTrace mt;
    Replay rp;
    Offscreen o;
} LessonFrame;

static void lesson_frame(LessonFrame *f, unsigned id, size_t k, Screen s)
{
    open_lesson(lesson_find(id), &f->mt, &f->rp);
    open_target(&f->o, s.w, s.h);
    cut_at(&f->o, &f->rp, k - 1, &s, 0, false);
}

static void lesson_frame_free(LessonFrame *f)
{
    offscreen_free(&f->o);
    replay_close(&f->rp);
    free(f->mt.buf);
}

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

static unsigned drew_count(const Draw *d, const char *text)
{
    unsigned n = 0;
    for (unsigned i = 0; i < d->texts.n; i++)
        n += !strcmp(d->texts.v[i].text, text);
    return n;
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
 * taller; zoomed (the wheel over the map), the old buckets' keys read. */
static void test_map_zoom_reads_the_slots(void **state)
{
    (void)state;
    LessonFrame f;
    const Screen big = {1920, 1080, true};
    lesson_frame(&f, 5, 4, big);
    assert_false(drew(&f.o.d, "26:26"));
    assert_true(drew(&f.o.d, "new buckets · wheel: zoom"));
    View v;
    view_defaults(&v);
    v.name = "lesson";
    v.pos = v.from = replay_step_end(&f.rp, 3);
    v.palette = PALETTE_PROJECTOR, v.text_scale = PROJECTOR_TEXT_SCALE;
    v.map_zoom = 3;
    f.o.d.texts.n = 0;
    offscreen_render(&f.o, &f.rp, &v);
    assert_true(drew(&f.o.d, "26:26"));
    assert_false(drew(&f.o.d, "new buckets · wheel: zoom"));
    v.map_pan = 100000; /* scrolled to the end: the new buckets' last slots */
    f.o.d.texts.n = 0;
    offscreen_render(&f.o, &f.rp, &v);
    assert_false(drew(&f.o.d, "26:26"));
    assert_true(drew(&f.o.d, "53:53"));
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
 * names do not fit, the first and how many more. */
static void test_line_names_what_it_holds(void **state)
{
    (void)state;
    LessonFrame f;
    lesson_frame(&f, 7, 5, (Screen){1920, 1080, false});
    assert_true(drew(&f.o.d, "main.counters +1"));
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

/* The details under the pointer fit too: the pointer on a grid over two
 * dense steps (lesson 8's four cores side by side, lesson 10's narrow
 * caches pane), on the screen and the projector's palette at 1280x720. */
static void test_hover_fits(void **state)
{
    (void)state;
    static const struct { unsigned lesson; size_t step; } at[] = {{8, 6}, {10, 4}};
    unsigned bad = 0;
    Offscreen o;
    open_target(&o, 1280, 720);
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        MemTrace mt;
        Replay rp;
        open_lesson(lesson_find(at[i].lesson), &mt, &rp);
        for (int proj = 0; proj < 2; proj++)
            for (int y = 40; y < 720; y += 80)
                for (int x = 40; x < 1280; x += 80) {
                    const Screen s = {1280, 720, proj != 0};
                    char who[64];
                    snprintf(who, sizeof who, "lesson %u, pointer at %d,%d:", at[i].lesson, x, y);
                    pointer = (SDL_Point){x, y};
                    bad += frame_bad(&o, &rp, at[i].step - 1, &s, 0, who);
                    pointer = (SDL_Point){-1, -1};
                }
        replay_close(&rp);
        free(mt.buf);
    }
    offscreen_free(&o);
    assert_int_equal(bad, 0);
}

/* The help overlay (?) lists every key in full at every class size. */
static void test_help_fits(void **state)
{
    (void)state;
    MemTrace mt;
    Replay rp;
    open_lesson(lesson_find(1), &mt, &rp);
    for (size_t si = 0; si < sizeof screens / sizeof screens[0]; si++) {
        Offscreen o;
        char err[256];
        if (!offscreen_init(&o, screens[si].w, screens[si].h, err, sizeof err))
            fail_msg("%s", err);
        unsigned cut = cut_at(&o, &rp, 0, &screens[si], 0, true);
        offscreen_free(&o);
        if (cut)
            fail_msg("help at %dx%d%s: %u texts cut", screens[si].w, screens[si].h,
                     screens[si].projector ? ", projector" : "", cut);
    }
    replay_close(&rp);
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lessons_fit),
        cmocka_unit_test(test_scenarios_fit),
        cmocka_unit_test(test_frames_say_what_they_leave_out),
        cmocka_unit_test(test_slice_lessons_show_every_local),
        cmocka_unit_test(test_heap_shows_the_steps_spans),
        cmocka_unit_test(test_syncmap_shows_the_steps_keys),
        cmocka_unit_test(test_syncmap_keys_show_their_state),
        cmocka_unit_test(test_map_slots_show_keys),
        cmocka_unit_test(test_map_pane_shows_a_live_map),
        cmocka_unit_test(test_empty_heap_says_so),
        cmocka_unit_test(test_map_zoom_reads_the_slots),
        cmocka_unit_test(test_static_table_names_its_lines),
        cmocka_unit_test(test_line_names_what_it_holds),
        cmocka_unit_test(test_caches_show_the_padded_lines),
        cmocka_unit_test(test_heap_keeps_a_row_beside_a_map),
        cmocka_unit_test(test_hover_fits),
        cmocka_unit_test(test_help_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
