/*
 * keyframes_file.h — a trace's keyframes kept beside it (TRACE.keyframes),
 * so that opening the trace again skips the index pass.
 *
 * The index pass (replay.c) is a pure function of the trace's bytes and of
 * the replay code.  What it makes (the keyframes' pages and deltas, the
 * object history, the steps and panes) is written once, by `gomemviz
 * keyframes` (or `bench viewer`), and read back by replay_open when it
 * belongs to the same bytes (size and CRC-32 of the whole trace), the same
 * build (a hash of the World's sources and of this file's layout:
 * keyframes_build.cmake) and the same keyframe options.  Anything else (another trace, another build, a damaged
 * or truncated file) is refused with a one-line reason and replay_open runs
 * the index pass as before: the file is a cache, never a source of truth.
 *
 * Invariant: a Replay opened with its keyframes file cannot be told from
 * one that ran the index pass: the same keyframes at the same positions,
 * the same steps, panes and status, and every seek the same World.
 */
#ifndef GMV_KEYFRAMES_FILE_H
#define GMV_KEYFRAMES_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "replay.h"

/* The keyframes file of the trace at `trace` (TRACE.keyframes) into out;
 * false if it does not fit. */
bool keyframes_path(const char *trace, char *out, size_t n);

/* Write rp's keyframes to path (rp's index pass must be whole:
 * replay_indexed), through a temporary file renamed over it, so that a
 * reader never sees half a file.  0, or -1 with a one-line reason in err. */
int keyframes_save(const Replay *rp, const char *path, char *err, size_t n);

/* For replay_open: rp has its reader, its options and a fresh World.
 * Fill its keyframes, steps, panes, status and object history from path
 * and return true; or leave rp as it was and return false with the reason
 * in err ("" if there is no such file). */
bool keyframes_load(Replay *rp, const char *path, char *err, size_t n);

#endif
