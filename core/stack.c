/*
 * stack.c — frames and locals on a goroutine stack.
 *
 * Invariant: see stack.h; stack_local asserts the frame stays in the window
 * (a Go stack would grow by copying; our window is 32 MiB, more than the
 * compiler's 10 MiB limit for a stack variable).
 */
#include "stack.h"

#include <assert.h>
#include <string.h>

void stack_init(Stack *s, Tracer *tr, unsigned id, const char *fn)
{
    memset(s, 0, sizeof *s);
    s->id = id;
    s->tr = tr;
    s->lo = STACK_REGION + (uint64_t)id * STACK_WINDOW;
    s->hi = s->lo + STACK_WINDOW;
    s->sp = s->hi;
    TRACE(tr, G_CREATE, id, TRACE_STR(tr, fn), s->lo, s->hi);
    stack_push(s, fn);
}

uint64_t stack_push(Stack *s, const char *fn)
{
    assert(s->nframes < STACK_MAX_FRAMES);
    if (s->nframes > 0)
        s->sp -= 8; /* the return PC pushed by CALL */
    s->frames[s->nframes].fn = fn;
    s->frames[s->nframes].top = s->sp;
    s->nframes++;
    TRACE(s->tr, FRAME_PUSH, s->id, TRACE_STR(s->tr, fn), s->sp);
    return s->sp;
}

uint64_t stack_local(Stack *s, const char *name, const char *type,
                     uint64_t size, uint64_t align)
{
    assert(s->nframes > 0 && align && (align & (align - 1)) == 0);
    assert(size <= s->sp - s->lo && "stack window exhausted");
    s->sp = (s->sp - size) & ~(align - 1);
    TRACE(s->tr, LOCAL, s->id, TRACE_STR(s->tr, name), TRACE_STR(s->tr, type),
          s->sp, size);
    (void)name, (void)type;
    return s->sp;
}

void stack_pop(Stack *s)
{
    assert(s->nframes > 0);
    Frame *f = &s->frames[--s->nframes];
    s->sp = f->top + (s->nframes > 0 ? 8 : 0);
    TRACE(s->tr, FRAME_POP, s->id, f->top);
}

const char *stack_top_fn(const Stack *s)
{
    return s->nframes ? s->frames[s->nframes - 1].fn : "";
}
