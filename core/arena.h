/*
 * arena.h — a bump arena: objects carved out of big chunks, freed together.
 *
 * Models the idea behind Go's arena experiment (GOEXPERIMENT=arenas, Go 1.20,
 * runtime/arena.go): allocation is a pointer bump inside a chunk, no per-object
 * malloc; releasing the arena drops every chunk at once.
 *
 * Invariant: used <= chunk size of the current chunk; every object lies
 * inside one chunk; after arena_release no chunk is live.
 */
#ifndef GMV_ARENA_H
#define GMV_ARENA_H

#include <stdint.h>

#include "heap.h"

#define ARENA_MAX_CHUNKS 64

typedef struct {
    Heap *heap;
    unsigned id;
    uint64_t chunk_size;
    uint64_t chunks[ARENA_MAX_CHUNKS];
    unsigned nchunks;
    uint64_t used;   /* bytes used in the last chunk */
    uint64_t bytes;  /* bytes handed out in all */
    uint64_t objects;
} Arena;

void arena_init(Arena *a, Heap *h, unsigned id, uint64_t chunk_size);
/* Bump-allocate size bytes aligned to align (a power of two <= 4096). */
uint64_t arena_alloc(Arena *a, uint64_t size, uint64_t align, ObjKind kind,
                     const char *type);
/* Drop every chunk at once; the arena can be used again afterwards. */
void arena_release(Arena *a);

#endif
