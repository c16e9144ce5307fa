/*
 * replay.h — a trace, its World at a movable position, and keyframes.
 *
 * replay_open reads the whole trace once (the index pass): it applies every
 * event to a World, snapshots the World every `interval` events and before
 * every lesson STEP, and notes the steps, marks and which panes the trace has
 * anything for.  replay_seek(p) then restores the nearest keyframe at or
 * before p and applies at most `interval` events, so backwards costs what
 * forwards costs.
 *
 * Lazily (ReplayOptions.lazy, what the window does), replay_open only
 * decodes the trace for its steps and panes, ten times faster than the
 * index pass, and the index pass runs later in pieces of whole chunks: as
 * far as a seek needs, or one chunk per replay_index_more.  It makes the
 * same keyframes an eager open makes.
 *
 * With a keyframes file (ReplayOptions.keyframes, keyframes_file.h) that
 * belongs to the trace, replay_open reads the keyframes instead of making
 * them: the trace's bytes are checked, not decoded.
 *
 * Memory: keyframes are paged World snapshots (world_snap) sharing every
 * page that did not change between them, so one costs its page tables plus
 * the pages written since the last.  When they outgrow the budget (a
 * multiple of the file size) every other one is dropped and the interval
 * doubles.  Restoring a keyframe copies only the pages that differ from the
 * World in hand.
 *
 * Invariant: after replay_seek(p), the World equals the World reached by
 * applying events [0, p) to a fresh World.
 */
#ifndef GMV_REPLAY_H
#define GMV_REPLAY_H

#include "trace_read.h"
#include "world.h"

typedef struct {
    uint64_t at;                /* World before event `at` */
    WSnap *snap;
    size_t size;                /* its page tables (pages are shared) */
    bool step;                  /* taken at a STEP */
} Keyframe;

typedef struct {
    uint64_t at;                /* event index of the STEP (or MARK) */
    uint32_t index, title;
    bool is_mark;
} StepMark;

/* What the trace has anything for (panes hide otherwise). */
typedef struct {
    bool heap, stacks, maps, syncmaps, cache, source, narration, lesson;
} ReplayHas;

/* Tuning for replay_open; NULL or zero fields take the defaults. */
typedef struct {
    uint64_t interval;          /* events between keyframes (default 4096) */
    size_t budget;              /* keyframe bytes (default 1.25 x file size) */
    /* Called now and then during the index pass (every 64 chunks) and once
     * at its end, with done == total: a big trace takes seconds. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /* Index on demand: replay_open only reads the steps and panes (one
     * decoding pass on every core, no World), and the keyframes are made
     * as seeks need them or replay_index_more is called. */
    bool lazy;
    /* A keyframes file to try first (keyframes_file.h): when it belongs to
     * this trace, this build and these options, it replaces the index pass
     * (lazy or not); otherwise kf_note says why not and the pass runs. */
    const char *keyframes;
} ReplayOptions;

typedef struct {
    TraceReader r;
    bool usable;                /* false: not even the header could be used */
    TraceStatus status;         /* TRACE_OK, or what stopped the reading */
    char message[160];
    uint64_t nevents;           /* events usable (up to damage) */
    World w;
    Keyframe *kf;
    size_t nkf, kf_cap, kf_bytes, budget;
    size_t kf_tables;           /* sum of the keyframes' sizes */
    uint64_t interval;
    uint64_t interval_asked;    /* the interval the index pass started with */
    bool from_file;             /* keyframes read from a keyframes file */
    char kf_note[200];          /* why the keyframes file was not used, or "" */
    StepMark *steps;            /* STEPs; if there are none, MARKs */
    size_t nsteps, steps_cap;
    bool marks_as_steps;
    ReplayHas has;
    Event *buf;                 /* one decoded chunk */
    size_t buf_cap, buf_chunk;
    bool buf_valid;
    double load_seconds;
    uint64_t indexed;           /* events the index pass has applied */
    uint64_t last_kf;           /* `at` of the last keyframe it took */
    WSnap *frontier;            /* the World at `indexed`, once moved away */
} Replay;

/* Open path and run the index pass.  Returns the reader's status with
 * message set unless TRACE_OK; `usable` says whether anything can be shown
 * (TRUNCATED and DAMAGED files replay what could be read).  Close with
 * replay_close in every case. */
TraceStatus replay_open(Replay *rp, const char *path, const ReplayOptions *opt);
TraceStatus replay_open_mem(Replay *rp, const uint8_t *data, size_t size,
                            const ReplayOptions *opt);
void replay_close(Replay *rp);

/* Move the World to position p (0..nevents: the state before event p). */
void replay_seek(Replay *rp, uint64_t p);
static inline uint64_t replay_pos(const Replay *rp) { return rp->w.c.events; }

/* A lazy open's index: whether it has reached the end; index at least up
 * to p (a seek does it too); or one more chunk, for an idle moment. */
bool replay_indexed(const Replay *rp);
void replay_index_to(Replay *rp, uint64_t p);
void replay_index_more(Replay *rp);

/* Event i (< nevents) into *out; false if it cannot be decoded. */
bool replay_event(Replay *rp, uint64_t i, Event *out);

/* The step whose position is the last <= p, or -1 if p precedes them all. */
long replay_step_at(const Replay *rp, uint64_t p);
/* Position of step k: the World just after its STEP and the events up to the
 * next step, i.e. the state a lesson step shows. */
uint64_t replay_step_end(const Replay *rp, size_t k);

/* Bytes held by keyframes and the current World. */
size_t replay_bytes(const Replay *rp);

#endif
