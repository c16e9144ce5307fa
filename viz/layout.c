/*
 * layout.c — pane rectangles (see layout.h for the picture).
 *
 * Invariant: every rectangle is computed from (w, h, s, want) alone.
 */
#include "layout.h"

#include <string.h>

static const char *const names[PANE_COUNT] = {
    "source", "stacks", "heap", "map", "sync.Map", "caches", "narration", "counters",
    "timeline"};

const char *pane_name(Pane p)
{
    return p < PANE_COUNT ? names[p] : "";
}

static int sc(float s, int v)
{
    return (int)(v * s + 0.5f);
}

/* Timeline and narration along the bottom; returns the y above them. */
static int place_bottom(Layout *l, int w, int h, float s, const bool want[PANE_COUNT],
                        bool lesson)
{
    int g = sc(s, 10), m = sc(s, 12), bottom = h - m;
    if (want[PANE_TIMELINE]) {
        int th = sc(s, 58);
        l->pane[PANE_TIMELINE] = (SDL_Rect){m, bottom - th, w - 2 * m, th};
        bottom -= th + g;
    }
    if (want[PANE_NARRATION]) {
        int nh = sc(s, lesson ? 155 : 120); /* a step's text, its checks, a question */
        if (w < sc(s, 1280)) /* narrower columns wrap into more lines */
            nh = nh * sc(s, 1280) / w;
        if (nh > h / 4 + (w < sc(s, 1280) ? h / 20 : 0))
            nh = h / 4 + (w < sc(s, 1280) ? h / 20 : 0);
        l->pane[PANE_NARRATION] = (SDL_Rect){m, bottom - nh, w - 2 * m, nh};
        bottom -= nh + g;
    }
    return bottom;
}

/* Pane p takes a column of width cw at the left of *mid. */
static void take_column(Layout *l, Pane p, SDL_Rect *mid, int cw, int g)
{
    l->pane[p] = (SDL_Rect){mid->x, mid->y, cw, mid->h};
    mid->x += cw + g;
    mid->w -= cw + g;
}

/* Map, sync.Map and caches side by side in row, by weight. */
static void place_row(Layout *l, SDL_Rect row, const Pane *lower, int n, int g)
{
    static const int weights[] = {14, 10, 12}; /* map, sync.Map, caches */
    int total = 0, x = row.x, avail = row.w - g * (n - 1);
    for (int i = 0; i < n; i++)
        total += weights[lower[i] - PANE_MAP];
    for (int i = 0; i < n; i++) {
        int pw = i == n - 1 ? row.x + row.w - x : avail * weights[lower[i] - PANE_MAP] / total;
        l->pane[lower[i]] = (SDL_Rect){x, row.y, pw, row.h};
        x += pw + g;
    }
}

void layout_compute(Layout *l, int w, int h, float s, const bool want[PANE_COUNT],
                    bool lesson)
{
    memset(l, 0, sizeof *l);
    memcpy(l->shown, want, sizeof l->shown);
    int g = sc(s, 10), m = sc(s, 12);
    l->title = (SDL_Rect){0, 0, w, sc(s, 50)};
    int top = l->title.h, bottom = place_bottom(l, w, h, s, want, lesson);
    SDL_Rect mid = {m, top, w - 2 * m, bottom - top};
    Pane lower[3];
    int n = 0;
    for (Pane p = PANE_MAP; p <= PANE_CACHE; p++)
        if (want[p])
            lower[n++] = p;
    /* With the heap alone on the right (the slice lessons), the stacks get
     * a full-height column beside it instead of sharing the source's. */
    bool beside_heap = want[PANE_SOURCE] && want[PANE_STACKS] && want[PANE_HEAP] && !n;
    int lw = mid.w * 30 / 100;
    if (want[PANE_SOURCE] && want[PANE_STACKS] && !beside_heap) { /* source above stacks */
        int sh = mid.h * 52 / 100;
        l->pane[PANE_SOURCE] = (SDL_Rect){mid.x, mid.y, lw, sh};
        l->pane[PANE_STACKS] = (SDL_Rect){mid.x, mid.y + sh + g, lw, mid.h - sh - g};
        mid.x += lw + g;
        mid.w -= lw + g;
    } else if (want[PANE_SOURCE] || want[PANE_STACKS]) {
        take_column(l, want[PANE_SOURCE] ? PANE_SOURCE : PANE_STACKS, &mid, lw, g);
    }
    if (want[PANE_COUNTERS]) {
        int ch = sc(s, 64);
        l->pane[PANE_COUNTERS] = (SDL_Rect){mid.x, mid.y, mid.w, ch};
        mid.y += ch + g;
        mid.h -= ch + g;
    }
    if (beside_heap)
        take_column(l, PANE_STACKS, &mid, lw, g);
    SDL_Rect heap = mid, row = mid;
    if (want[PANE_HEAP] && n) {
        /* A map alone below (the map lessons) needs the height: two rows
         * of 8-slot buckets while it grows.  The heap keeps room for its
         * header, legend and one compact row (110 units) if 36 % had it. */
        bool map_alone = n == 1 && lower[0] == PANE_MAP;
        int keep = sc(s, 110) < mid.h * 36 / 100 ? sc(s, 110) : mid.h * 36 / 100;
        heap.h = mid.h * (map_alone ? 28 : 36) / 100;
        heap.h = heap.h < keep ? keep : heap.h;
        row.y = mid.y + heap.h + g;
        row.h = mid.h - heap.h - g;
    }
    if (want[PANE_HEAP])
        l->pane[PANE_HEAP] = heap;
    place_row(l, row, lower, n, g);
    for (Pane p = 0; p < PANE_COUNT; p++)
        if (l->pane[p].w <= 0 || l->pane[p].h <= 0)
            l->shown[p] = false;
}

Pane layout_hit(const Layout *l, int x, int y)
{
    SDL_Point pt = {x, y};
    for (Pane p = 0; p < PANE_COUNT; p++)
        if (l->shown[p] && SDL_PointInRect(&pt, &l->pane[p]))
            return p;
    return PANE_COUNT;
}
