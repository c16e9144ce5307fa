/*
 * keyframes_format.h — the layout of a keyframes file, shared by its writer
 * (keyframes_file.c) and its reader (keyframes_load.c).  Private to those.
 * See keyframes_file.c for the layout and keyframes_file.h for what the
 * file is for.
 */
#ifndef GMV_KEYFRAMES_FORMAT_H
#define GMV_KEYFRAMES_FORMAT_H

#include <stdarg.h>
#include <stdio.h>

#include "keyframes_file.h"
#include "world_snap_impl.h"

#define KF_VERSION 1
#define KF_ORDER 0x01020304u
#define KF_NONE UINT32_MAX
#define NSV (NVECS + 2)         /* objects, the arrays, the lines */

typedef struct {
    char magic[8];
    uint32_t version, order;
    char build[40];
    uint32_t wpage, nsizes;
    uint32_t sizes[24];
    uint64_t trace_size;
    uint32_t trace_crc, pad;
    uint64_t interval_asked, budget;
} KfHeader;
_Static_assert(NVECS + 2 + 6 <= 24, "KfHeader.sizes holds every record size");

typedef struct {
    uint64_t nevents;
    uint32_t status, marks_as_steps;
    char message[160];
    ReplayHas has;
    uint64_t interval, nsteps, nkf, npages, ndeltas;
} KfMeta;

static inline SnapVec *kf_sv_of(WSnap *s, int k)
{
    return k == 0 ? &s->objs : k <= NVECS ? &s->vec[k - 1] : &s->lines;
}

/* Element sizes of a snapshot's arrays, in kf_sv_of order. */
void kf_sv_elems(size_t *elem);
/* The header a file for rp would have (trace_crc as given). */
void kf_header_make(const Replay *rp, uint32_t trace_crc, KfHeader *h);
/* CRC-32 of the trace's bytes. */
uint32_t kf_trace_crc(const Replay *rp);
void kf_fail(char *err, size_t n, const char *fmt, ...);

#endif
