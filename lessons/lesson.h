/*
 * lesson.h — a lesson: Go code, a run of the model in steps, narration for a
 * learner, questions to predict, and claims that are checked.
 *
 * A lesson file holds the Go source it models, one table of texts (titles,
 * narration, questions, claims: the only strings a translation would
 * replace) and a run function that drives the model through the public core
 * API, calling lesson_step before each idea.  Claims are checks: the trace
 * records each with its verdict, and tests/test_lessons.c fails when one does
 * not hold.
 *
 * Invariant: a lesson is deterministic (same trace bytes every run), steps are
 * numbered from 1 in the order they are emitted, and every claim a lesson
 * states is recorded with the value the model produced.
 */
#ifndef GMV_LESSON_H
#define GMV_LESSON_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

/* One step's words: what the learner reads while the step plays. */
typedef struct {
    const char *title;
    const char *text;
    unsigned line;        /* Go source line to highlight, 1-based; 0: none */
} LessonText;

/* A question asked before a step's outcome is shown. */
typedef struct {
    const char *text;
    const char *choices;  /* 2-4 choices, separated by '\n' */
    unsigned answer;      /* 1-based */
    const char *why;      /* shown after answering */
} LessonQuestion;

typedef struct LessonCtx LessonCtx;

typedef struct {
    unsigned id;          /* 1..11, the catalogue order */
    const char *slug;     /* e.g. "false-sharing" */
    const char *title;
    const char *go_source;
    unsigned ncores;
    bool cache;
    int (*run)(LessonCtx *lc);  /* 0 unless the model itself failed */
} Lesson;

struct LessonCtx {
    Machine *m;
    const Lesson *lesson;
    unsigned step;        /* steps emitted so far */
    unsigned claims, failed;
    char first_failure[256];
    /* Called as each step begins, before its STEP event; NULL for none.
     * Tests compare the model there with the World the viewer rebuilds. */
    void (*at_step)(LessonCtx *lc, void *arg);
    void *at_step_arg;
    /* The map or sync.Map the lesson is showing now, or NULL: at_step hooks
     * compare them too.  Set when one is made, cleared before it is freed. */
    const struct Map *shown_map;
    const struct SyncMap *shown_syncmap;
};

/* All lessons, in catalogue order, NULL-terminated. */
const Lesson *const *lesson_all(void);
/* Lesson by id (1-based), or NULL. */
const Lesson *lesson_find(unsigned id);

/* Start the next step: its title, narration and source line. */
void lesson_step(LessonCtx *lc, const LessonText *t);
/* Ask the learner to predict (the viewer waits for a number key). */
void lesson_ask(LessonCtx *lc, const LessonQuestion *q);
/* Further narration within the current step. */
void lesson_say(LessonCtx *lc, const char *text);
/* Switch to variant id (0, 1, ...) for side-by-side comparisons. */
void lesson_variant(LessonCtx *lc, unsigned id, const char *name);

/* A claim the lesson states: text says what, ok whether the model agrees. */
bool lesson_claim(LessonCtx *lc, const char *text, bool ok);
/* A numeric claim: "text" followed by " (model: got)", ok iff got == want. */
bool lesson_claim_eq(LessonCtx *lc, const char *text, uint64_t got, uint64_t want);
/* ok iff lo <= got <= hi. */
bool lesson_claim_range(LessonCtx *lc, const char *text, uint64_t got,
                        uint64_t lo, uint64_t hi);

typedef struct {
    unsigned steps, claims, failed;
    uint64_t events;
    char first_failure[256];
} LessonResult;

/* Record lesson l into path (NULL: null sink).  Returns 0 if it ran and
 * every claim held; -1 with errno on an I/O error; 1 if a claim failed
 * (res says which). */
int lesson_record(const Lesson *l, const char *path, LessonResult *res);
/* The same into tr, opened with lesson_params(l) and closed by the caller
 * (tests record into memory); returns 0 or 1 as lesson_record. */
TraceParams lesson_params(const Lesson *l);
int lesson_run(const Lesson *l, Tracer *tr, LessonResult *res);

#endif
