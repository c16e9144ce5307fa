/*
 * arena.c — bump allocation in chunks taken from the heap as large objects.
 *
 * Invariant: see arena.h.  Objects inside a chunk are recorded with space
 * SPACE_ARENA and rounded size 0: the bytes were already counted once, when
 * the chunk itself was allocated, just as MemStats would count them.
 */
#include "arena.h"

#include <assert.h>
#include <string.h>

void arena_init(Arena *a, Heap *h, unsigned id, uint64_t chunk_size)
{
    memset(a, 0, sizeof *a);
    a->heap = h;
    a->id = id;
    a->chunk_size = chunk_size;
}

static void new_chunk(Arena *a)
{
    assert(a->nchunks < ARENA_MAX_CHUNKS && "arena: too many chunks");
    uint64_t addr = heap_alloc(a->heap, a->chunk_size, false, OBJ_ARENA, "arena chunk");
    if (a->nchunks == 0)
        TRACE(a->heap->tr, ARENA_NEW, a->id, addr, a->chunk_size);
    a->chunks[a->nchunks++] = addr;
    a->used = 0;
}

uint64_t arena_alloc(Arena *a, uint64_t size, uint64_t align, ObjKind kind,
                     const char *type)
{
    assert(align && (align & (align - 1)) == 0 && size <= a->chunk_size);
    uint64_t off = (a->used + align - 1) & ~(align - 1);
    if (a->nchunks == 0 || off + size > a->chunk_size) {
        new_chunk(a);
        off = 0;
    }
    uint64_t addr = a->chunks[a->nchunks - 1] + off;
    a->used = off + size;
    a->bytes += size;
    a->objects++;
    TRACE(a->heap->tr, ALLOC, addr, size, 0, 0, TRACE_STR(a->heap->tr, type),
          kind, SPACE_ARENA, a->heap->cur_g);
    (void)type, (void)kind;
    return addr;
}

void arena_release(Arena *a)
{
    for (unsigned i = 0; i < a->nchunks; i++)
        heap_garbage(a->heap, a->chunks[i]);
    TRACE(a->heap->tr, ARENA_FREE, a->id, a->bytes);
    a->nchunks = 0;
    a->used = 0;
    a->bytes = 0;
    a->objects = 0;
}
