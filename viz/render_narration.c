/*
 * render_narration.c — the narration pane: what the step says (left), and
 * its checks and question (right).
 *
 * Invariant: what the pane holds fits it or is drawn smaller until it does.
 * Each column is laid out at the largest type size (from the design size
 * down to a floor) at which all of it fits; past the floor the left column
 * drops its oldest, dimmed lines first, so the newest one always shows, and
 * an answered question keeps its explanation.  tests/test_render_fit.c
 * checks every lesson step at class sizes.
 */
#include "render.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Type sizes tried, in layout units, largest first. */
static const int left_px[] = {19, 18, 17, 16, 15, 14};
static const int right_px[] = {16, 15, 14, 13};
#define NSIZES(a) (sizeof(a) / sizeof(a)[0])

/* "a|b|c" -> the k-th choice (from 1). */
static void choice(const char *choices, int k, char *out, size_t n)
{
    const char *p = choices;
    for (int i = 1; i < k && p; i++) {
        p = strpbrk(p, "|\n"); /* lesson.h separates with '\n' */
        p = p ? p + 1 : NULL;
    }
    out[0] = 0;
    if (!p)
        return;
    size_t len = strcspn(p, "|\n");
    snprintf(out, n, "%.*s", (int)(len < n - 1 ? len : n - 1), p);
}

/* Wrapped text at (x, y) in width w: its height, drawn only if draw (the
 * columns are measured before they are drawn, so the box is never short). */
static int text_block(Draw *d, FontFace face, int px, SDL_Color col, int x, int y, int w,
                      const char *text, bool draw)
{
    if (!draw)
        return text_wrap_height(d, face, px, w, text);
    return draw_text_wrap(d, face, px, col, (SDL_Rect){x, y, w, 1 << 24}, text);
}

/* The step's checks, a chip and the claim (wrapped) each; the height. */
static int claims(Ctx *c, SDL_Rect col, int px, bool draw)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const WNarration *n = &c->w->nar;
    /* the chip keeps its proportions to the text beside it */
    int y = col.y, cpx = px * 13 / 16, chip_w = px * 4, gap = S(d, 10);
    for (uint32_t i = 0; i < n->nclaims; i++) {
        SDL_Color chip = n->claim_ok[i] ? p->good : p->bad;
        SDL_Rect b = {col.x, y + S(d, 2), chip_w, text_height(d, FACE_BOLD, cpx) + S(d, 4)};
        if (draw) {
            draw_round(d, b, S(d, 6), chip);
            draw_text(d, FACE_BOLD, cpx, on_color(p, chip), b.x + b.w / 2, b.y + S(d, 2),
                      n->claim_ok[i] ? "holds" : "FAILS", ALIGN_CENTER, 0);
        }
        y += text_block(d, FACE_SANS, px, p->text, col.x + chip_w + gap, y,
                        col.w - chip_w - gap, str(c, n->claim[i]), draw) + S(d, 6);
    }
    return y - col.y;
}

/* The question and its numbered choices; once answered, its explanation
 * and only the right choice and the one picked, marked. The height. */
static int question(Ctx *c, SDL_Rect col, int px, bool draw)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const WNarration *n = &c->w->nar;
    int answered = c->v->answered;
    /* lesson_ask records "question\nwhy": the why waits for an answer */
    char q[512];
    const char *full = str(c, n->question), *why = full + strcspn(full, "\n");
    snprintf(q, sizeof q, "%.*s", (int)(why - full), full);
    int y = col.y + text_block(d, FACE_BOLD, px, p->accent2, col.x, col.y, col.w, q, draw);
    char line[9][160];
    int num[9], nch = 0, widest = 0, x0 = col.x + S(d, 8), w = col.w - S(d, 8);
    for (int k = 1; k <= 9; k++) {
        char ch[128];
        choice(str(c, n->choices), k, ch, sizeof ch);
        if (!ch[0])
            break;
        bool right = (int)n->answer == k;
        if (answered && !right && answered != k)
            continue;
        snprintf(line[nch], sizeof line[nch], "%d  %s%s", k, ch,
                 answered && right ? "   ✓" : answered == k ? "   ✗" : "");
        num[nch] = k;
        int tw = text_width(d, FACE_BOLD, px, line[nch++]);
        widest = tw > widest ? tw : widest;
    }
    /* short choices side by side, two to a row, read left to right */
    int ncol = nch > 1 && widest <= w / 2 - S(d, 12) ? 2 : 1, cw = w / ncol, row_h = 0;
    for (int i = 0; i < nch; i++) {
        int k = num[i];
        bool picked = answered == k, right = (int)n->answer == k;
        SDL_Color col_txt = answered && right ? p->good : picked ? p->bad : p->text;
        int h = text_block(d, picked || (answered && right) ? FACE_BOLD : FACE_SANS, px,
                           col_txt, x0 + (i % ncol) * cw, y, cw, line[i], draw) + S(d, 4);
        row_h = h > row_h ? h : row_h;
        if (i % ncol == ncol - 1 || i + 1 == nch)
            y += row_h, row_h = 0;
    }
    if (answered && *why)
        y += text_block(d, FACE_SANS, px, p->text, col.x, y, col.w, why + 1, draw) + S(d, 4);
    return y - col.y;
}

/* Where things go: narration lines [from, nnarrate) on the left; the
 * checks and the question on the right, or one of them on the left below
 * the narration when the right has no room for both. */
typedef struct {
    uint32_t from;
    bool claims_left, question_left;
} Flow;

/* The checks are hidden while a question waits for its answer: it needs
 * the room, and they return once it is answered. */
static bool show_claims(const Ctx *c)
{
    return c->w->nar.nclaims && !(c->w->nar.question && !c->v->answered);
}

/* The right column: the checks (unless on the left), then the question. */
static int right_column(Ctx *c, SDL_Rect col, int px, const Flow *f, bool draw)
{
    const WNarration *n = &c->w->nar;
    int h = show_claims(c) && !f->claims_left ? claims(c, col, px, draw) : 0;
    if (n->question && !f->question_left) {
        h += h ? S(c->d, 6) : 0;
        h += question(c, (SDL_Rect){col.x, col.y + h, col.w, col.h - h}, px, draw);
    }
    return h;
}

/* The left column: a panic line if any, the narration lines (older ones
 * dimmed, the newest bright), then the checks if they are here. */
static int left_column(Ctx *c, SDL_Rect col, int px, const Flow *f, bool draw)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const WNarration *n = &c->w->nar;
    int y = col.y;
    if (n->panic_msg) {
        char buf[256];
        snprintf(buf, sizeof buf, "panic: %s", str(c, n->panic_msg));
        y += text_block(d, FACE_BOLD, px, p->bad, col.x, y, col.w, buf, draw) + S(d, 4);
    }
    if (!n->nnarrate && n->mark) /* traces without lessons: the phase label */
        y += text_block(d, FACE_SANS, px, p->title, col.x, y, col.w, str(c, n->mark), draw);
    for (uint32_t i = f->from; i < n->nnarrate; i++)
        y += text_block(d, FACE_SANS, px, i + 1 == n->nnarrate ? p->title : p->dim, col.x, y,
                        col.w, str(c, n->narrate[i]), draw) + S(d, 4);
    SDL_Rect below = {col.x, y + S(d, 4), col.w, col.h};
    if (f->claims_left && show_claims(c))
        y += S(d, 4) + claims(c, below, px * 16 / 19, draw);
    else if (f->question_left && n->question)
        y += S(d, 4) + question(c, below, px * 16 / 19, draw);
    return y - col.y;
}

typedef int (*Column)(Ctx *, SDL_Rect, int, const Flow *, bool);

/* The height col's content takes at px, less the last line's gap. */
static int measure(Ctx *c, Column column, SDL_Rect col, int px, const Flow *f)
{
    return column(c, col, px, f, false) - S(c->d, 4);
}

/* The largest of sizes (layout units) at which the column fits, else the
 * smallest; in pixels. */
static int pick_px(Ctx *c, Column column, SDL_Rect col, const int *sizes, size_t nsizes,
                   const Flow *f)
{
    for (size_t i = 0; i < nsizes; i++)
        if (measure(c, column, col, S(c->d, sizes[i]), f) <= col.h)
            return S(c->d, sizes[i]);
    return S(c->d, sizes[nsizes - 1]);
}

/* Split `in` with share percent on the left. */
static void split(const Draw *d, SDL_Rect in, int share, SDL_Rect *left, SDL_Rect *right)
{
    *left = *right = in;
    left->w = in.w * share / 100;
    right->x = left->x + left->w + S(d, 24);
    right->w = in.x + in.w - right->x;
}

/* The first plan in which both columns fit at their smallest type: the
 * step's text at 55 % of the width, less if the right column needs more,
 * and then the checks or the question moved under the text.  If none
 * fits, the one that leaves the least out. */
static void plan(Ctx *c, SDL_Rect in, Flow *f, SDL_Rect *left, SDL_Rect *right)
{
    int lmin = S(c->d, left_px[NSIZES(left_px) - 1]);
    int rmin = S(c->d, right_px[NSIZES(right_px) - 1]);
    int best = INT_MAX, best_share = 55, best_moved = 0;
    for (int moved = 0; moved < 3; moved++) /* nothing, the checks, the question */
        for (int share = 55; share >= 35; share -= 5) {
            f->claims_left = moved == 1;
            f->question_left = moved == 2;
            split(c->d, in, share, left, right);
            int over_r = measure(c, right_column, *right, rmin, f) - right->h;
            int over_l = measure(c, left_column, *left, lmin, f) - left->h;
            int over = (over_r > 0 ? over_r : 0) + (over_l > 0 ? over_l : 0);
            if (over == 0)
                return;
            if (over < best)
                best = over, best_share = share, best_moved = moved;
        }
    f->claims_left = best_moved == 1;
    f->question_left = best_moved == 2;
    split(c->d, in, best_share, left, right);
}

void render_narration(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const WNarration *n = &c->w->nar;
    char sub[96] = "";
    if (n->mark && n->nnarrate)
        snprintf(sub, sizeof sub, "%s", str(c, n->mark));
    SDL_Rect in = draw_card(d, r, n->step_title ? str(c, n->step_title) : "Narration", sub);
    bool side = n->nclaims || n->question;
    Flow f = {0, false, false};
    SDL_Rect left = in, right = in;
    if (side)
        plan(c, in, &f, &left, &right);
    int px = pick_px(c, left_column, left, left_px, NSIZES(left_px), &f);
    while (f.from + 1 < n->nnarrate && measure(c, left_column, left, px, &f) > left.h)
        f.from++; /* the oldest lines go first */
    d->cut += measure(c, left_column, left, px, &f) > left.h; /* the pane cuts it */
    left_column(c, left, px, &f, true);
    if (side) {
        draw_fill(d, (SDL_Rect){right.x - S(d, 12), in.y, S(d, 2), in.h}, p->panel_edge);
        px = pick_px(c, right_column, right, right_px, NSIZES(right_px), &f);
        d->cut += measure(c, right_column, right, px, &f) > right.h;
        right_column(c, right, px, &f, true);
    }
}
