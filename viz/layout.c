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

void layout_compute(Layout *l, int w, int h, float s, const bool want[PANE_COUNT],
                    bool lesson)
{
    memset(l, 0, sizeof *l);
    memcpy(l->shown, want, sizeof l->shown);
    int g = sc(s, 10), m = sc(s, 12);
    l->title = (SDL_Rect){0, 0, w, sc(s, 50)};
    int top = l->title.h, bottom = h - m;
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
    SDL_Rect mid = {m, top, w - 2 * m, bottom - top};
    bool left = want[PANE_SOURCE] || want[PANE_STACKS];
    if (left) {
        int lw = mid.w * 30 / 100;
        SDL_Rect col = {mid.x, mid.y, lw, mid.h};
        if (want[PANE_SOURCE] && want[PANE_STACKS]) {
            int sh = col.h * 52 / 100;
            l->pane[PANE_SOURCE] = (SDL_Rect){col.x, col.y, col.w, sh};
            l->pane[PANE_STACKS] = (SDL_Rect){col.x, col.y + sh + g, col.w, col.h - sh - g};
        } else {
            l->pane[want[PANE_SOURCE] ? PANE_SOURCE : PANE_STACKS] = col;
        }
        mid.x += lw + g;
        mid.w -= lw + g;
    }
    if (want[PANE_COUNTERS]) {
        int ch = sc(s, 64);
        l->pane[PANE_COUNTERS] = (SDL_Rect){mid.x, mid.y, mid.w, ch};
        mid.y += ch + g;
        mid.h -= ch + g;
    }
    Pane lower[3];
    int n = 0, weight[3], total = 0;
    static const int weights[] = {14, 10, 12}; /* map, sync.Map, caches */
    for (Pane p = PANE_MAP; p <= PANE_CACHE; p++)
        if (want[p]) {
            weight[n] = weights[p - PANE_MAP];
            total += weight[n];
            lower[n++] = p;
        }
    SDL_Rect heap = mid, row = mid;
    if (want[PANE_HEAP] && n) {
        heap.h = mid.h * 36 / 100;
        row.y = mid.y + heap.h + g;
        row.h = mid.h - heap.h - g;
    }
    if (want[PANE_HEAP])
        l->pane[PANE_HEAP] = heap;
    int x = row.x, avail = row.w - g * (n - 1);
    for (int i = 0; i < n; i++) {
        int pw = i == n - 1 ? row.x + row.w - x : avail * weight[i] / total;
        l->pane[lower[i]] = (SDL_Rect){x, row.y, pw, row.h};
        x += pw + g;
    }
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
