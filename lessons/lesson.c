/*
 * lesson.c — recording a lesson: machine set-up, LESSON_BEGIN with the Go
 * source, steps, narration, questions and checked claims as trace events.
 *
 * Invariant: see lesson.h.  Claim texts are recorded with the model's value
 * appended, so the viewer (and a handout) shows what was checked and what
 * the model said.
 */
#include "lesson.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void lesson_step(LessonCtx *lc, const LessonText *t)
{
    Tracer *tr = lc->m->tr;
    if (lc->at_step)
        lc->at_step(lc, lc->at_step_arg);
    lc->step++;
    TRACE(tr, STEP, lc->step, TRACE_STR(tr, t->title));
    if (t->line)
        TRACE(tr, SOURCE_LINE, t->line);
    if (t->text)
        TRACE(tr, NARRATE, TRACE_STR(tr, t->text));
    (void)tr;
}

void lesson_say(LessonCtx *lc, const char *text)
{
    TRACE(lc->m->tr, NARRATE, TRACE_STR(lc->m->tr, text));
    (void)lc, (void)text;
}

void lesson_ask(LessonCtx *lc, const LessonQuestion *q)
{
    Tracer *tr = lc->m->tr;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s\n%s", q->text, q->why ? q->why : "");
    TRACE(tr, QUESTION, TRACE_STR(tr, buf), TRACE_STR(tr, q->choices), q->answer);
    (void)tr, (void)buf;
}

void lesson_variant(LessonCtx *lc, unsigned id, const char *name)
{
    TRACE(lc->m->tr, VARIANT, id, TRACE_STR(lc->m->tr, name));
    (void)lc, (void)id, (void)name;
}

bool lesson_claim(LessonCtx *lc, const char *text, bool ok)
{
    lc->claims++;
    if (!ok && lc->failed++ == 0)
        snprintf(lc->first_failure, sizeof lc->first_failure, "lesson %u step %u: %.200s",
                 lc->lesson->id, lc->step, text);
    TRACE(lc->m->tr, CLAIM, TRACE_STR(lc->m->tr, text), ok);
    return ok;
}

bool lesson_claim_eq(LessonCtx *lc, const char *text, uint64_t got, uint64_t want)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s (model: %" PRIu64 ")", text, got);
    return lesson_claim(lc, buf, got == want);
}

bool lesson_claim_range(LessonCtx *lc, const char *text, uint64_t got,
                        uint64_t lo, uint64_t hi)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s (model: %" PRIu64 ")", text, got);
    return lesson_claim(lc, buf, got >= lo && got <= hi);
}

static MachineConfig lesson_config(const Lesson *l)
{
    MachineConfig cfg = machine_config_default();
    cfg.ncores = l->ncores ? l->ncores : 2;
    cfg.cache = l->cache;
    return cfg;
}

TraceParams lesson_params(const Lesson *l)
{
    MachineConfig cfg = lesson_config(l);
    TraceParams tp = trace_params_default();
    tp.ncores = (uint8_t)cfg.ncores;
    tp.flags = cfg.cache ? TRACE_FLAG_CACHE : 0;
    return tp;
}

int lesson_record(const Lesson *l, const char *path, LessonResult *res)
{
    TraceParams tp = lesson_params(l);
    Tracer tr;
    if (tracer_open(&tr, path, &tp) != 0)
        return -1;
    int rc = lesson_run(l, &tr, res);
    if (tracer_close(&tr) != 0)
        return -1;
    return rc;
}

int lesson_run(const Lesson *l, Tracer *tr, LessonResult *res)
{
    MachineConfig cfg = lesson_config(l);
    Machine m;
    machine_init(&m, tr, &cfg);
    TRACE(tr, LESSON_BEGIN, l->id, tracer_str(tr, l->title), tracer_str(tr, l->go_source));
    LessonCtx lc = {.m = &m, .lesson = l};
    int rc = l->run(&lc);
    if (rc != 0)
        lesson_claim(&lc, "the model ran the lesson to its end", false);
    memset(res, 0, sizeof *res);
    res->steps = lc.step;
    res->claims = lc.claims;
    res->failed = lc.failed;
    res->events = tr->nevents;
    memcpy(res->first_failure, lc.first_failure, sizeof res->first_failure);
    machine_free(&m);
    return lc.failed ? 1 : 0;
}
