/*
 * trace_writer.c — chunks checksummed and written by a helper thread (see
 * trace_writer.h).
 *
 * One mutex guards the queue, the pool and the error; the helper holds it
 * only to take a job and to hand its buffer back, never while it writes.
 * Jobs are a ring of TRACE_WRITER_QUEUE; the pool of written chunk buffers
 * holds at most as many, so at most 2 * TRACE_WRITER_QUEUE + 1 buffers
 * exist at once.
 */
#include "trace_writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>

typedef struct {
    char tag[4];
    uint8_t *payload;
    size_t len;
    bool chunk_buffer;
} Job;

struct TraceWriter {
    FILE *out;
    size_t buf_size;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;          /* a job was put, a job was done, or closing */
    Job job[TRACE_WRITER_QUEUE];
    unsigned head, n;           /* jobs [head, head + n) mod QUEUE wait */
    uint8_t *pool[TRACE_WRITER_QUEUE];
    unsigned npool;
    bool closing;
    int error;                  /* errno of the first failed write, 0 if none */
};

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int trace_chunk_write(FILE *out, const char tag[4], const uint8_t *payload, size_t len)
{
    uint8_t head[8], tail[4];
    memcpy(head, tag, 4);
    put_le32(head + 4, (uint32_t)len);
    uint32_t crc = libdeflate_crc32(0, head, 8);
    put_le32(tail, libdeflate_crc32(crc, payload, len));
    if (fwrite(head, 1, 8, out) != 8 || fwrite(payload, 1, len, out) != len ||
        fwrite(tail, 1, 4, out) != 4)
        return errno ? errno : EIO;
    return 0;
}

/* The written job's buffer: back to the pool, or freed. */
static void recycle(TraceWriter *w, Job *j)
{
    if (j->chunk_buffer && w->npool < TRACE_WRITER_QUEUE)
        w->pool[w->npool++] = j->payload;
    else
        free(j->payload);
}

static void *writer_main(void *arg)
{
    TraceWriter *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->n == 0 && !w->closing)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->n == 0)
            break; /* closing, and nothing left */
        Job j = w->job[w->head];
        w->head = (w->head + 1) % TRACE_WRITER_QUEUE;
        w->n--;
        int failed = w->error;
        pthread_mutex_unlock(&w->mu);
        int err = failed ? 0 : trace_chunk_write(w->out, j.tag, j.payload, j.len);
        pthread_mutex_lock(&w->mu);
        if (err && !w->error)
            w->error = err;
        recycle(w, &j);
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

TraceWriter *trace_writer_open(FILE *out, size_t buf_size)
{
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return NULL; /* the helper would only take turns with the recorder */
    TraceWriter *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->buf_size = buf_size;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return NULL;
    }
    return w;
}

void trace_writer_put(TraceWriter *w, const char tag[4], uint8_t *payload, size_t len,
                      int is_chunk_buffer)
{
    pthread_mutex_lock(&w->mu);
    while (w->n == TRACE_WRITER_QUEUE)
        pthread_cond_wait(&w->cv, &w->mu);
    Job *j = &w->job[(w->head + w->n) % TRACE_WRITER_QUEUE];
    memcpy(j->tag, tag, 4);
    j->payload = payload;
    j->len = len;
    j->chunk_buffer = is_chunk_buffer != 0;
    w->n++;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

uint8_t *trace_writer_buffer(TraceWriter *w)
{
    uint8_t *b = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->npool)
        b = w->pool[--w->npool];
    pthread_mutex_unlock(&w->mu);
    return b ? b : malloc(w->buf_size);
}

int trace_writer_close(TraceWriter *w)
{
    pthread_mutex_lock(&w->mu);
    w->closing = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    int err = w->error;
    for (unsigned i = 0; i < w->npool; i++)
        free(w->pool[i]);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
    return err;
}
