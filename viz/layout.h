/*
 * layout.h — which panes are shown and where, for a window size.
 *
 *   +---------------------------------------------------------------+
 *   | title bar: lesson / file, step, banner                        |
 *   +-------------+-------------------------------------------------+
 *   | source      | counters                                        |
 *   |             +-------------------------------------------------+
 *   |             | heap                                            |
 *   |             +----------------+---------------+----------------+
 *   | stacks      | map            | sync.Map      | caches         |
 *   +-------------+----------------+---------------+----------------+
 *   | narration                                                     |
 *   | timeline                                                      |
 *   +---------------------------------------------------------------+
 *
 * With no map, sync.Map or caches pane (the slice lessons) the heap would
 * have the right side to itself, so the stacks leave the source's column
 * for a full-height one beside the heap: their frames are those lessons'
 * subject.  A pane the trace has nothing for, or the user hid, takes no
 * room; its neighbours grow into it.  Invariant: visible panes never overlap and all
 * lie inside the window.
 */
#ifndef GMV_LAYOUT_H
#define GMV_LAYOUT_H

#include <SDL.h>
#include <stdbool.h>

typedef enum {
    PANE_SOURCE, PANE_STACKS, PANE_HEAP, PANE_MAP, PANE_SYNCMAP, PANE_CACHE,
    PANE_NARRATION, PANE_COUNTERS, PANE_TIMELINE, PANE_COUNT
} Pane;

typedef struct {
    SDL_Rect title;
    SDL_Rect pane[PANE_COUNT];
    bool shown[PANE_COUNT];
} Layout;

/* Lay out the panes in want[] inside w x h pixels at scale s.  lesson: the
 * trace is a lesson, whose narration pane holds a step's text, its checks
 * and a question (taller than a scenario's phase label needs). */
void layout_compute(Layout *l, int w, int h, float s, const bool want[PANE_COUNT],
                    bool lesson);
const char *pane_name(Pane p);
/* The pane at a point, or PANE_COUNT. */
Pane layout_hit(const Layout *l, int x, int y);

#endif
