/*
 * lesson_frames.h — what the frame tests share (test_render_fit.c, the
 * sweep over every step at every class size; test_render_steps.c, what
 * particular steps must show): lessons and scenarios recorded into memory,
 * the View of a step's end, an offscreen target that logs its texts, and
 * queries on that log.
 */
#ifndef GMV_TEST_LESSON_FRAMES_H
#define GMV_TEST_LESSON_FRAMES_H

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

/* Lesson l recorded into memory and opened for replay. */
static inline void open_lesson(const Lesson *l, MemTrace *mt, Replay *rp)
{
    TraceParams tp = lesson_params(l);
    LessonResult res;
    memtrace_open(mt, &tp);
    assert_int_equal(lesson_run(l, &mt->tr, &res), 0);
    memtrace_close(mt);
    assert_int_equal(replay_open_mem(rp, (uint8_t *)mt->buf, mt->len, NULL), TRACE_OK);
}

/* Each scenario `record` knows, recorded into memory as it records it. */
static inline void open_scenario(const Scenario *sc, MemTrace *mt, Replay *rp)
{
    MachineConfig cfg = scenario_config(sc);
    TraceParams tp = scenario_params(&cfg);
    memtrace_open(mt, &tp);
    assert_int_equal(scenario_record(sc, &cfg, &mt->tr), 0);
    memtrace_close(mt);
    assert_int_equal(replay_open_mem(rp, (uint8_t *)mt->buf, mt->len, NULL), TRACE_OK);
}

/* Where the pointer is in the frames cut_at draws (off the window: none). */
static SDL_Point pointer = {-1, -1};

/* The View of the end of step k (0-based) on screen s, settled, every pane
 * the trace has, the pointer where `pointer` is. */
static inline void step_view(View *v, Replay *rp, size_t k, const Screen *s)
{
    view_defaults(v);
    v->name = "lesson";
    for (int i = 0; i < PANE_COUNT; i++) /* as the trace has them */
        v->want[i] = true;
    v->pos = v->from = replay_step_end(rp, k);
    v->palette = s->projector ? PALETTE_PROJECTOR : PALETTE_SCREEN;
    v->text_scale = s->projector ? PROJECTOR_TEXT_SCALE : 1;
    v->hover_x = pointer.x, v->hover_y = pointer.y;
}

/* Draw v on o with an empty text log; the texts it cut. */
static inline unsigned draw_logged(Offscreen *o, Replay *rp, const View *v)
{
    o->d.cut = 0;
    o->d.texts.n = 0;
    offscreen_render(o, rp, v);
    return o->d.cut;
}

/* The texts cut in the frame at the end of step k (with the help overlay
 * over it if help). */
static inline unsigned cut_at(Offscreen *o, Replay *rp, size_t k, const Screen *s, int answered,
                              bool help)
{
    View v;
    step_view(&v, rp, k, s);
    v.answered = answered;
    v.help = help;
    return draw_logged(o, rp, &v);
}

/* The part of a text's ink its pane let show. */
static inline SDL_Rect shown_ink(const DrawnText *t)
{
    SDL_Rect v = {t->ink.x, t->ink.y, 0, 0};
    SDL_IntersectRect(&t->ink, &t->at, &v);
    return v;
}

/* An offscreen target of w x h whose Draw logs its texts. */
static inline void open_target(Offscreen *o, int w, int h)
{
    static DrawnText texts[4096];
    char err[256];
    if (!offscreen_init(o, w, h, err, sizeof err))
        fail_msg("%s", err);
    o->d.texts.v = texts;
    o->d.texts.cap = sizeof texts / sizeof texts[0];
}

/* Whether the last frame drew a text starting with prefix. */
static inline bool drew(const Draw *d, const char *prefix)
{
    for (unsigned i = 0; i < d->texts.n; i++)
        if (!strncmp(d->texts.v[i].text, prefix, strlen(prefix)))
            return true;
    return false;
}

/* Whether the last frame drew a text with part in it. */
static inline bool drew_part(const Draw *d, const char *part)
{
    for (unsigned i = 0; i < d->texts.n; i++)
        if (strstr(d->texts.v[i].text, part))
            return true;
    return false;
}

/* How many texts the last frame drew that read exactly text. */
static inline unsigned drew_count(const Draw *d, const char *text)
{
    unsigned n = 0;
    for (unsigned i = 0; i < d->texts.n; i++)
        n += !strcmp(d->texts.v[i].text, text);
    return n;
}

/* A lesson's frame at the end of step k (1-based) on screen s, its texts
 * logged in f->o.d.texts. */
typedef struct {
    MemTrace mt;
    Replay rp;
    Offscreen o;
} LessonFrame;

static inline void lesson_frame(LessonFrame *f, unsigned id, size_t k, Screen s)
{
    open_lesson(lesson_find(id), &f->mt, &f->rp);
    open_target(&f->o, s.w, s.h);
    cut_at(&f->o, &f->rp, k - 1, &s, 0, false);
}

/* The frame at the end of a trace the test recorded into mt (f takes it
 * over: lesson_frame_free frees it), on screen s. */
static inline void trace_frame(LessonFrame *f, const MemTrace *mt, Screen s)
{
    f->mt = *mt;
    assert_int_equal(replay_open_mem(&f->rp, (uint8_t *)f->mt.buf, f->mt.len, NULL), TRACE_OK);
    open_target(&f->o, s.w, s.h);
    View v;
    step_view(&v, &f->rp, 0, &s);
    v.pos = v.from = f->rp.nevents;
    draw_logged(&f->o, &f->rp, &v);
}

static inline void lesson_frame_free(LessonFrame *f)
{
    offscreen_free(&f->o);
    replay_close(&f->rp);
    free(f->mt.buf);
}

#endif
