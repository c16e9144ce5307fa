/*
 * trace_ahead.c — chunks decoded ahead by helper threads (see trace_ahead.h).
 *
 * Chunk c lives in slot c % TRACE_AHEAD_SLOTS.  Under the lock: `base` is
 * the chunk the caller holds (or will be handed next), `next_claim` the
 * first chunk nobody has started; chunks base .. next_claim-1 own their
 * slots, so a chunk may be started only while it is below base + SLOTS.
 * Each thread decodes with its own copy of the reader, made before any
 * thread starts: a failed decode writes its message there, never into the
 * caller's reader, which only the caller touches.
 */
#include "trace_ahead.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum { AHEAD_FREE, AHEAD_BUSY, AHEAD_READY, AHEAD_FAILED } AheadState;

typedef struct {
    Event *buf;                 /* grown to the biggest chunk it has held */
    size_t cap;
    AheadState state;
    TraceStatus status;
    char message[sizeof ((TraceReader *)0)->message];
} Slot;

typedef struct {
    TraceAhead *a;
    TraceReader reader; /* this thread's copy */
    pthread_t th;
} Helper;

struct TraceAhead {
    TraceReader *r;
    TraceReader own;    /* the caller's decoding copy */
    size_t nchunks;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Slot slot[TRACE_AHEAD_SLOTS];
    size_t base, next_claim;
    bool started, stop, done;
    Helper helper[TRACE_AHEAD_MAX_THREADS - 1];
    unsigned nhelpers;
};

unsigned trace_ahead_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > TRACE_AHEAD_MAX_THREADS ? TRACE_AHEAD_MAX_THREADS : (unsigned)n;
}

/* Called with the lock held; decodes chunk c (claimed by this thread)
 * without it, then publishes the result. */
static void decode_claimed(TraceAhead *a, TraceReader *rd, size_t c)
{
    Slot *s = &a->slot[c % TRACE_AHEAD_SLOTS];
    s->state = AHEAD_BUSY; /* this thread's until published */
    pthread_mutex_unlock(&a->mu);
    size_t count = rd->chunks[c].count; /* checked against the file's bytes */
    if (count > s->cap) {
        free(s->buf);
        if (!(s->buf = malloc(count * sizeof *s->buf)))
            abort(); /* out of memory, as everywhere else */
        s->cap = count;
    }
    int rc = trace_decode_chunk(rd, c, s->buf);
    if (rc == 0) { /* the events are in the slot: the file's pages can go */
        const TraceChunk *ch = &rd->chunks[c];
        trace_release(rd, ch->offset, ch->offset + ch->len);
    }
    pthread_mutex_lock(&a->mu);
    s->state = rc == 0 ? AHEAD_READY : AHEAD_FAILED;
    if (rc != 0) {
        s->status = rd->status;
        memcpy(s->message, rd->message, sizeof s->message);
    }
    pthread_cond_broadcast(&a->cv);
}

static bool claimable(const TraceAhead *a)
{
    return a->next_claim < a->nchunks && a->next_claim < a->base + TRACE_AHEAD_SLOTS;
}

static void *helper_main(void *arg)
{
    Helper *h = arg;
    TraceAhead *a = h->a;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (!a->stop && !claimable(a))
            pthread_cond_wait(&a->cv, &a->mu);
        if (a->stop)
            break;
        decode_claimed(a, &h->reader, a->next_claim++);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

TraceAhead *trace_ahead_open(TraceReader *r, size_t first, unsigned threads)
{
    TraceAhead *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->r = r;
    a->own = *r;
    a->nchunks = r->nchunks;
    a->base = a->next_claim = first < r->nchunks ? first : r->nchunks;
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    if (threads == 0)
        threads = trace_ahead_default_threads();
    if (threads > TRACE_AHEAD_MAX_THREADS)
        threads = TRACE_AHEAD_MAX_THREADS;
    size_t left = a->nchunks - a->base; /* no more helpers than chunks to share */
    for (unsigned i = 0; i + 1 < threads && i + 1 < left; i++) {
        Helper *h = &a->helper[a->nhelpers];
        h->a = a;
        h->reader = *r;
        if (pthread_create(&h->th, NULL, helper_main, h) != 0)
            break; /* fewer helpers: the caller decodes the rest */
        a->nhelpers++;
    }
    return a;
}

const Event *trace_ahead_next(TraceAhead *a, size_t *n, size_t *chunk)
{
    pthread_mutex_lock(&a->mu);
    if (a->started && !a->done) { /* the caller is done with chunk base */
        a->slot[a->base % TRACE_AHEAD_SLOTS].state = AHEAD_FREE;
        a->base++;
        pthread_cond_broadcast(&a->cv);
    }
    a->started = true;
    size_t c = a->base;
    if (a->done || c >= a->nchunks) {
        a->done = true;
        pthread_mutex_unlock(&a->mu);
        return NULL;
    }
    if (a->next_claim == c) /* nobody has started it: decode it here */
        decode_claimed(a, &a->own, a->next_claim++);
    Slot *s = &a->slot[c % TRACE_AHEAD_SLOTS];
    while (s->state == AHEAD_BUSY) { /* a helper has it: decode a later one */
        if (claimable(a))
            decode_claimed(a, &a->own, a->next_claim++);
        else
            pthread_cond_wait(&a->cv, &a->mu);
    }
    bool ok = s->state == AHEAD_READY;
    if (!ok) {
        a->done = true;
        a->r->status = s->status;
        memcpy(a->r->message, s->message, sizeof a->r->message);
    }
    pthread_mutex_unlock(&a->mu);
    if (!ok)
        return NULL;
    *n = a->r->chunks[c].count;
    if (chunk)
        *chunk = c;
    return s->buf;
}

void trace_ahead_close(TraceAhead *a)
{
    if (!a)
        return;
    if (a->nhelpers) {
        pthread_mutex_lock(&a->mu);
        a->stop = true;
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
        for (unsigned i = 0; i < a->nhelpers; i++)
            pthread_join(a->helper[i].th, NULL);
    }
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    for (int i = 0; i < TRACE_AHEAD_SLOTS; i++)
        free(a->slot[i].buf);
    free(a);
}

void trace_cursor_init(TraceCursor *c, TraceReader *r)
{
    memset(c, 0, sizeof *c);
    c->r = r;
    if (!(c->ahead = trace_ahead_open(r, 0, 0)))
        abort(); /* out of memory, as everywhere else */
}

int trace_cursor_next(TraceCursor *c, Event *out)
{
    while (c->pos == c->n) {
        if (!(c->buf = trace_ahead_next(c->ahead, &c->n, NULL)))
            return 0;
        c->pos = 0;
    }
    *out = c->buf[c->pos++];
    return 1;
}

void trace_cursor_free(TraceCursor *c)
{
    trace_ahead_close(c->ahead);
    memset(c, 0, sizeof *c);
}
