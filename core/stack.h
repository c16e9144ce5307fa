/*
 * stack.h — goroutine stacks with frames and the locals placed in them.
 *
 * Each goroutine owns a fixed window of the simulated address space and its
 * stack grows down from the window's top, as Go's stacks do.  (Real Go
 * allocates stacks from the heap arena, starts them at 2 KiB and copies them
 * when they grow; a fixed window keeps addresses stable for the viewer.)
 *
 * Invariant: lo <= sp <= hi; frames nest: each frame's top is the previous
 * frame's bottom, and a local lies inside the frame it was placed in.
 */
#ifndef GMV_STACK_H
#define GMV_STACK_H

#include <stdint.h>

#include "trace.h"

#define STACK_REGION 0xc800000000ull
#define STACK_WINDOW (32ull << 20) /* room for a 10 MiB explicit local */
#define STACK_MAX_FRAMES 64

typedef struct {
    const char *fn;
    uint64_t top;  /* sp when the frame was pushed (above the return PC) */
} Frame;

typedef struct {
    unsigned id;
    uint64_t lo, hi, sp;
    Frame frames[STACK_MAX_FRAMES];
    unsigned nframes;
    Tracer *tr;
} Stack;

/* A goroutine stack for goroutine id, whose entry function is fn. */
void stack_init(Stack *s, Tracer *tr, unsigned id, const char *fn);
/* Call fn: pushes the return PC and opens a frame.  Returns the new sp. */
uint64_t stack_push(Stack *s, const char *fn);
/* Place a local of size bytes (aligned to align) in the top frame. */
uint64_t stack_local(Stack *s, const char *name, const char *type,
                     uint64_t size, uint64_t align);
/* Return from the top frame; its locals are gone. */
void stack_pop(Stack *s);
/* Name of the innermost function, or "" if none. */
const char *stack_top_fn(const Stack *s);

#endif
