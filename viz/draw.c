/*
 * draw.c — primitives over an SDL_Renderer, and the two palettes: a dark
 * one for screens and a light, colour-blind-safe one for projectors (the
 * Okabe-Ito colours, distinguishable with every common colour deficiency).
 *
 * Invariant: nothing here keeps state between calls except the font cache,
 * whose output does not depend on its contents.
 */
#include "draw.h"
#include "draw_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define C(hex) {(Uint8)((hex) >> 16), (Uint8)((hex) >> 8 & 255), (Uint8)((hex)&255), 255}

static const Palette screen = {
    .bg = C(0x12151c), .panel = C(0x1b202b), .panel_edge = C(0x2b3242),
    .title = C(0xf1f4fa), .text = C(0xd9dee8), .dim = C(0x8e97aa), .faint = C(0x343c4f),
    .accent = C(0x4fb3ff), .accent2 = C(0xffcc4d),
    .kind = {C(0x9aa5b8), C(0xf2994a), C(0x56ccf2), C(0xbb6bd9), C(0xd6a2e8), C(0x3ccf7e),
             C(0xf2c94c), C(0x3d8bfd), C(0x6fcf97), C(0xff8fab), C(0xa0d995), C(0xe0c3fc),
             C(0xffd6a5), C(0xc9a227)},
    .garbage = C(0x4a505e), .free_slot = C(0x242a37),
    .mesi = {C(0x3a4256), C(0x2d9cdb), C(0x27ae60), C(0xeb5757)},
    .good = C(0x3ccf7e), .bad = C(0xff6b6b), .warn = C(0xf2994a), .false_sh = C(0xff4fd8),
    .true_sh = C(0xff6b6b), .x = C(0x56ccf2), .y = C(0xf2c94c), .line_hl = C(0x27405e),
    .banner = C(0xa83232),
};

static const Palette projector = {
    .bg = C(0xffffff), .panel = C(0xf3f4f7), .panel_edge = C(0xc3c9d3),
    .title = C(0x0d0d0d), .text = C(0x161616), .dim = C(0x4d5561), .faint = C(0xdde1e8),
    .accent = C(0x0072b2), .accent2 = C(0xe69f00),
    .kind = {C(0x999999), C(0xe69f00), C(0x56b4e9), C(0xcc79a7), C(0xe3b8d3), C(0x009e73),
             C(0xf0e442), C(0x0072b2), C(0x7fd1b9), C(0xd55e00), C(0xa6dcef), C(0xf5c26b),
             C(0xf7ec91), C(0xb8a900)},
    .garbage = C(0xb4b8bf), .free_slot = C(0xe6e8ec),
    .mesi = {C(0xd0d3d9), C(0x56b4e9), C(0x009e73), C(0xd55e00)},
    .good = C(0x009e73), .bad = C(0xd55e00), .warn = C(0xe69f00), .false_sh = C(0xcc79a7),
    .true_sh = C(0xd55e00), .x = C(0x56b4e9), .y = C(0xe69f00), .line_hl = C(0xfff1c2),
    .banner = C(0xd55e00),
};

const Palette *palette_get(int which)
{
    return which == PALETTE_PROJECTOR ? &projector : &screen;
}

SDL_Color rgba(SDL_Color c, int a)
{
    c.a = (Uint8)(a < 0 ? 0 : a > 255 ? 255 : a);
    return c;
}

SDL_Color mix(SDL_Color a, SDL_Color b, float t)
{
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    SDL_Color c = {(Uint8)(a.r + (b.r - a.r) * t), (Uint8)(a.g + (b.g - a.g) * t),
                   (Uint8)(a.b + (b.b - a.b) * t), (Uint8)(a.a + (b.a - a.a) * t)};
    return c;
}

static void set(Draw *d, SDL_Color c)
{
    SDL_SetRenderDrawColor(d->r, c.r, c.g, c.b, c.a);
}

void draw_fill(Draw *d, SDL_Rect r, SDL_Color c)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    set(d, c);
    SDL_BlendMode mode;
    SDL_GetRenderDrawBlendMode(d->r, &mode);
    if (c.a == 255 && mode == SDL_BLENDMODE_BLEND) {
        /* Opaque: blending gives the same pixels, and the software
         * renderer blends pixel by pixel but fills without it in bulk. */
        SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_NONE);
        SDL_RenderFillRect(d->r, &r);
        SDL_SetRenderDrawBlendMode(d->r, mode);
        return;
    }
    SDL_RenderFillRect(d->r, &r);
}

void draw_frame(Draw *d, SDL_Rect r, SDL_Color c, int thick)
{
    for (int i = 0; i < thick; i++) {
        draw_fill(d, (SDL_Rect){r.x, r.y + i, r.w, 1}, c);
        draw_fill(d, (SDL_Rect){r.x, r.y + r.h - 1 - i, r.w, 1}, c);
        draw_fill(d, (SDL_Rect){r.x + i, r.y + thick, 1, r.h - 2 * thick}, c);
        draw_fill(d, (SDL_Rect){r.x + r.w - 1 - i, r.y + thick, 1, r.h - 2 * thick}, c);
    }
}

/* The radius draw_round uses for r. */
static int round_radius(SDL_Rect r, int rad)
{
    if (rad * 2 > r.h)
        rad = r.h / 2;
    if (rad * 2 > r.w)
        rad = r.w / 2;
    return rad <= 1 ? 0 : rad;
}

/* How far row y of a box r with corners of radius rad (round_radius) is
 * cut in at each side. */
static int row_inset(SDL_Rect r, int rad, int y)
{
    int i = y - r.y < r.y + r.h - 1 - y ? y - r.y : r.y + r.h - 1 - y;
    if (i >= rad)
        return 0;
    float dy = rad - i - 0.5f;
    return rad - (int)(sqrtf((float)rad * rad - dy * dy) + 0.5f);
}

void draw_round(Draw *d, SDL_Rect r, int rad, SDL_Color c)
{
    rad = round_radius(r, rad);
    if (!rad) {
        draw_fill(d, r, c);
        return;
    }
    draw_fill(d, (SDL_Rect){r.x, r.y + rad, r.w, r.h - 2 * rad}, c);
    for (int i = 0; i < rad; i++) {
        int inset = row_inset(r, rad, r.y + i);
        draw_fill(d, (SDL_Rect){r.x + inset, r.y + i, r.w - 2 * inset, 1}, c);
        draw_fill(d, (SDL_Rect){r.x + inset, r.y + r.h - 1 - i, r.w - 2 * inset, 1}, c);
    }
}

void draw_edged(Draw *d, SDL_Rect r, int rad, int t, int in_rad, SDL_Color edge, SDL_Color fill)
{
    SDL_Rect in = {r.x + t, r.y + t, r.w - 2 * t, r.h - 2 * t};
    if (in.w <= 0 || in.h <= 0) {
        draw_round(d, r, rad, edge);
        return;
    }
    draw_round(d, in, in_rad, fill);
    rad = round_radius(r, rad), in_rad = round_radius(in, in_rad);
    int zone = rad > t + in_rad ? rad : t + in_rad; /* rows with a corner in them */
    if (zone * 2 > r.h)
        zone = (r.h + 1) / 2;
    draw_fill(d, (SDL_Rect){r.x, r.y + zone, t, r.h - 2 * zone}, edge);
    draw_fill(d, (SDL_Rect){r.x + r.w - t, r.y + zone, t, r.h - 2 * zone}, edge);
    for (int k = 0; k < 2 * zone; k++) { /* the top rows, then the bottom ones */
        int y = k < zone ? r.y + k : r.y + r.h - 1 - (k - zone);
        int o = row_inset(r, rad, y);
        if (y < in.y || y >= in.y + in.h) { /* above or below the inner box */
            draw_fill(d, (SDL_Rect){r.x + o, y, r.w - 2 * o, 1}, edge);
            continue;
        }
        int i = t + row_inset(in, in_rad, y); /* the inner box's row, from r's sides */
        draw_fill(d, (SDL_Rect){r.x + o, y, i - o, 1}, edge);
        draw_fill(d, (SDL_Rect){r.x + r.w - i, y, i - o, 1}, edge);
    }
}

void draw_cover(Draw *d, SDL_Rect r)
{
    unsigned k = 0;
    for (unsigned i = 0; d->texts.v && i < d->texts.n; i++)
        if (!SDL_HasIntersection(&d->texts.v[i].at, &r))
            d->texts.v[k++] = d->texts.v[i];
    d->texts.n = d->texts.v ? k : 0;
}

void draw_triangle(Draw *d, SDL_FPoint a, SDL_FPoint b, SDL_FPoint c, SDL_Color col)
{
    SDL_Vertex v[3] = {{a, col, {0, 0}}, {b, col, {0, 0}}, {c, col, {0, 0}}};
    SDL_RenderGeometry(d->r, NULL, v, 3, NULL, 0);
}

void draw_line(Draw *d, int x0, int y0, int x1, int y1, SDL_Color c, int thick)
{
    float dx = (float)(x1 - x0), dy = (float)(y1 - y0), len = sqrtf(dx * dx + dy * dy);
    if (len < 0.5f)
        return;
    if (thick <= 1) {
        set(d, c);
        SDL_RenderDrawLine(d->r, x0, y0, x1, y1);
        return;
    }
    float nx = -dy / len * thick / 2, ny = dx / len * thick / 2;
    SDL_FPoint a = {x0 + nx, y0 + ny}, b = {x0 - nx, y0 - ny};
    SDL_FPoint e = {x1 + nx, y1 + ny}, f = {x1 - nx, y1 - ny};
    draw_triangle(d, a, b, e, c);
    draw_triangle(d, b, f, e, c);
}

void draw_arrow(Draw *d, int x0, int y0, int x1, int y1, SDL_Color c, int thick)
{
    float dx = (float)(x1 - x0), dy = (float)(y1 - y0), len = sqrtf(dx * dx + dy * dy);
    if (len < 1)
        return;
    float ux = dx / len, uy = dy / len, head = 4.0f * (thick < 2 ? 2 : thick);
    int bx = (int)(x1 - ux * head), by = (int)(y1 - uy * head);
    draw_line(d, x0, y0, bx, by, c, thick);
    SDL_FPoint tip = {(float)x1, (float)y1};
    SDL_FPoint l = {x1 - ux * head - uy * head * 0.6f, y1 - uy * head + ux * head * 0.6f};
    SDL_FPoint r = {x1 - ux * head + uy * head * 0.6f, y1 - uy * head - ux * head * 0.6f};
    draw_triangle(d, tip, l, r, c);
}

void draw_curve_arrow(Draw *d, SDL_Point p0, SDL_Point p1, SDL_Point p2, SDL_Color c,
                      int thick)
{
    SDL_Point prev = p0;
    const int n = 20;
    for (int i = 1; i <= n; i++) {
        float t = (float)i / n, u = 1 - t;
        SDL_Point q = {(int)(u * u * p0.x + 2 * u * t * p1.x + t * t * p2.x),
                       (int)(u * u * p0.y + 2 * u * t * p1.y + t * t * p2.y)};
        if (i == n)
            draw_arrow(d, prev.x, prev.y, q.x, q.y, c, thick);
        else
            draw_line(d, prev.x, prev.y, q.x, q.y, c, thick);
        prev = q;
    }
}


SDL_Rect draw_card(Draw *d, SDL_Rect r, const char *title, const char *subtitle)
{
    const Palette *p = d->pal;
    draw_edged(d, r, S(d, CARD_RADIUS), 1, S(d, CARD_RADIUS) - 1, p->panel_edge, p->panel);
    int pad = S(d, 14), tpx = S(d, 15);
    int tw = draw_text(d, FACE_BOLD, tpx, p->accent, r.x + pad, r.y + S(d, 10), title,
                       ALIGN_LEFT, r.w - 2 * pad);
    if (subtitle && *subtitle) /* a little smaller before it is shortened */
        draw_text_fit(d, FACE_SANS, S(d, 13), S(d, 11), p->dim, r.x + pad + tw + S(d, 12),
                      r.y + S(d, 11), subtitle, ALIGN_LEFT, r.w - 3 * pad - tw);
    int top = S(d, 10) + text_height(d, FACE_BOLD, tpx) + S(d, 8);
    return (SDL_Rect){r.x + pad, r.y + top, r.w - 2 * pad, r.h - top - S(d, 10)};
}

void fmt_bytes(char *buf, size_t n, uint64_t v)
{
    if (v < 1024)
        snprintf(buf, n, "%llu B", (unsigned long long)v);
    else if (v < 1024 * 1024)
        snprintf(buf, n, "%.*f KiB", v % 1024 ? 1 : 0, v / 1024.0);
    else if (v < 1024ull * 1024 * 1024)
        snprintf(buf, n, "%.1f MiB", v / (1024.0 * 1024));
    else
        snprintf(buf, n, "%.1f GiB", v / (1024.0 * 1024 * 1024));
}

void fmt_count(char *buf, size_t n, uint64_t v)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < len && o + 4 < (int)n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = 0;
}
