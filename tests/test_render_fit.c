/*
 * test_render_fit.c — what a lesson shows fits on the screen: at every step
 * of every lesson, with its question open and answered, at the sizes a
 * class uses (1024x768, an XGA projector, and 1280x720 to 1920x1080), on a
 * screen and with the projector preset (P: larger text), at 800x600 (a
 * window, an SVGA projector) and on a handout page to print (1240x1754 with
 * the projector preset), the frame shortens or cuts off no text: not the
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
 * What particular steps must show: test_render_steps.c.
 */
#include "lesson_frames.h"

static const Screen screens[] = {
    {800, 600, false}, /* a small window on a laptop */
    {800, 600, true},  /* an SVGA projector */
    {1024, 768, false}, {1024, 768, true}, /* an XGA classroom projector */
    {1280, 720, false}, {1280, 720, true}, {1600, 900, false},
    {1600, 900, true},  {1920, 1080, false}, {1920, 1080, true},
    {1240, 1754, true}, /* a handout page to print: A4 at 150 dpi */
};

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

/* Whether t is a number or an address cut from its end ("104…",
 * "0xc000002…"): its first digits, which a run of keys or lines share,
 * where its last ones would tell them apart. */
static bool head_of_number(const char *t)
{
    size_t n = strlen(t), body = n - 3;
    if (n < 4 || strcmp(t + body, "…"))
        return false;
    size_t at = t[0] == '-' ? 1 : !strncmp(t, "0x", 2) ? 2 : 0;
    const char *digits = at == 2 ? "0123456789abcdef" : "0123456789";
    return at < body && strspn(t + at, digits) == body - at;
}

/* 1, and a line naming it, if the frame at the end of step k cuts a text,
 * draws one over another or one too small to read, or keeps a number's
 * head where its tail tells it apart; else 0. */
static unsigned frame_bad(Offscreen *o, Replay *rp, size_t k, const Screen *s, int answer,
                          const char *who)
{
    unsigned cut = cut_at(o, rp, k, s, answer, false);
    char what[320] = "";
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
    for (unsigned i = 0; i < o->d.texts.n; i++)
        if (head_of_number(o->d.texts.v[i].text)) {
            if (!*what)
                snprintf(what, sizeof what, "'%s' keeps a number's head",
                         o->d.texts.v[i].text);
            cut++;
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

/* Where a frame has room for fewer lines than its locals need (800x600
 * with the projector's text: seven lines in room for five), the ones the
 * step declared are still shown: the newest frame's locals made during
 * step k each have their type drawn. */
static unsigned step_locals_shown(Offscreen *o, Replay *rp, size_t k, const Screen *s,
                                  unsigned id)
{
    unsigned bad = 0;
    cut_at(o, rp, k, s, 0, false);
    const World *w = &rp->w;
    if (!w->frames.n)
        return 0;
    uint32_t serial = w->frames.v[w->frames.n - 1].serial;
    for (uint32_t i = 0; i < w->locals.n; i++) {
        const WLocal *l = &w->locals.v[i];
        const char *type = trace_string(&rp->r, l->type);
        if (l->frame != serial || l->born < rp->steps[k].at || drew_part(&o->d, type))
            continue;
        print_message("lesson %u step %zu at %dx%d%s: the step's local %s %s is hidden\n", id,
                      k + 1, s->w, s->h, s->projector ? ", projector" : "",
                      trace_string(&rp->r, l->name), type);
        bad++;
    }
    return bad;
}

/* The slice lessons' frames are their subject: at a class's sizes every
 * step shows each local of the newest frame, none left to "… N more in
 * this frame" (lesson 1 step 3 at 1280x720 with the projector preset hid
 * b, the step's point, while the heap had room to spare). */
static unsigned every_local_shown(Offscreen *o, Replay *rp, size_t k, const Screen *s,
                                  unsigned id)
{
    unsigned bad = 0;
    if (s->w < 1024 && s->projector)
        return step_locals_shown(o, rp, k, s, id);
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
        cmocka_unit_test(test_hover_fits),
        cmocka_unit_test(test_help_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
