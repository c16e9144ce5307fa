/*
 * draw_text.c — text on the frame: measured, drawn, fitted to a width by a
 * smaller size or an ellipsis, word-wrapped, and logged for the tests (see
 * draw_text.h).
 *
 * Invariant: a text is drawn at most as wide as it is allowed, and every
 * text shortened is counted in Draw.cut unless it is a label (draw_label);
 * the log, when a test keeps one, says where each text went and what of it
 * its pane's clip let show.
 */
#include "draw_text.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int text_width(Draw *d, FontFace face, int px, const char *text)
{
    int w, h;
    fonts_measure(d->fonts, face, px, text, &w, &h);
    return w;
}

int text_height(Draw *d, FontFace face, int px)
{
    TTF_Font *f = fonts_get(d->fonts, face, px);
    return f ? TTF_FontHeight(f) : px;
}

int text_centre(Draw *d, FontFace face, int full, int px)
{
    return (text_height(d, face, full) - text_height(d, face, px)) / 2;
}

/* The next character of UTF-8 text *p (a bad byte stands for itself). */
static Uint32 utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    int n = s[0] < 0x80 ? 0 : s[0] >> 5 == 6 ? 1 : s[0] >> 4 == 14 ? 2 : s[0] >> 3 == 30 ? 3 : 0;
    Uint32 c = n ? s[0] & (0x3f >> n) : s[0];
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) { /* truncated: the lead byte alone */
            *p = s + 1;
            return s[0];
        }
        c = c << 6 | (s[i] & 0x3f);
    }
    *p = s + n + 1;
    return c;
}

/* The box of the pixels text colours when drawn at (x, y), from its glyphs'
 * metrics (kerning left out: a pixel or so). */
static SDL_Rect ink_of(Draw *d, FontFace face, int px, const char *text, int x, int y)
{
    TTF_Font *f = fonts_get(d->fonts, face, px);
    int asc = f ? TTF_FontAscent(f) : 0, pen = 0;
    int x0 = INT_MAX, x1 = INT_MIN, y0 = INT_MAX, y1 = INT_MIN;
    for (const unsigned char *p = (const unsigned char *)text; f && *p;) {
        int minx, maxx, miny, maxy, adv;
        if (TTF_GlyphMetrics32(f, utf8_next(&p), &minx, &maxx, &miny, &maxy, &adv) != 0)
            continue;
        if (maxx > minx && maxy > miny) { /* not a blank */
            x0 = pen + minx < x0 ? pen + minx : x0;
            x1 = pen + maxx > x1 ? pen + maxx : x1;
            y0 = asc - maxy < y0 ? asc - maxy : y0;
            y1 = asc - miny > y1 ? asc - miny : y1;
        }
        pen += adv;
    }
    return x0 > x1 ? (SDL_Rect){x, y, 0, 0} : (SDL_Rect){x + x0, y + y0, x1 - x0, y1 - y0};
}

/* Where a text went, as much of it as the clip rectangle lets show; the
 * log stops growing at its capacity (the test sizes it). */
static void log_text(Draw *d, SDL_Rect r, SDL_Rect ink, int px, const char *text)
{
    SDL_Rect clip, shown = r;
    SDL_RenderGetClipRect(d->r, &clip);
    if (SDL_RectEmpty(&clip)) { /* no pane's clip: the window's edges */
        clip.x = clip.y = 0;
        SDL_GetRendererOutputSize(d->r, &clip.w, &clip.h);
    }
    if (!SDL_IntersectRect(&r, &clip, &shown))
        return;
    if (d->texts.n == d->texts.cap)
        return;
    DrawnText *t = &d->texts.v[d->texts.n++];
    t->at = shown;
    t->whole = r;
    if (!SDL_IntersectRect(&ink, &r, &t->ink)) /* no pixel outside its texture */
        t->ink = (SDL_Rect){r.x, r.y, 0, 0};
    t->cut = false;
    t->px = px;
    size_t n = strlen(text);
    n = n < sizeof t->text - 1 ? n : sizeof t->text - 1;
    while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
        n--; /* text[n] continues a character: not half of it */
    memcpy(t->text, text, n);
    t->text[n] = 0;
}

/* The text just logged was cut (or, cut false, its cut is not counted). */
static void log_cut(Draw *d, unsigned before, bool cut)
{
    if (d->texts.v && d->texts.n > before)
        d->texts.v[d->texts.n - 1].cut = cut;
}

/* The start of the next UTF-8 character after byte i of s (or before it). */
static size_t char_next(const char *s, size_t i)
{
    do
        i++;
    while (((unsigned char)s[i] & 0xc0) == 0x80);
    return i;
}

static size_t char_prev(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80);
    return i;
}

/* Whether the first n bytes of text with "…" after them, written to buf,
 * fit in maxw. */
static bool cut_fits(Draw *d, FontFace face, int px, const char *text, size_t n, char *buf,
                     size_t cap, int maxw)
{
    snprintf(buf, cap, "%.*s…", (int)n, text);
    return text_width(d, face, px, buf) <= maxw;
}

/* buf (cap bytes) gets the longest start of whole characters of text
 * (too wide for maxw) that fits with "…" after it; false if not even one
 * character does.  SDL_ttf says how many characters fit; one or two more
 * measurements settle the rest (kerning before the "…"), where trying
 * every length down from the whole text shaped each: a long key:elem cut
 * in a narrow bucket took a dozen. */
static bool cut_to(Draw *d, FontFace face, int px, const char *text, char *buf, size_t cap,
                   int maxw)
{
    size_t len = strnlen(text, cap - 1), n = len;
    int count = 0, room = maxw - text_width(d, face, px, "…");
    TTF_Font *f = fonts_get(d->fonts, face, px);
    if (f && room > 0 && TTF_MeasureUTF8(f, text, room, NULL, &count) == 0) {
        for (n = 0; count-- > 0 && n < len;)
            n = char_next(text, n);
        while (n < len && char_next(text, n) < len &&
               cut_fits(d, face, px, text, char_next(text, n), buf, cap, maxw))
            n = char_next(text, n);
    }
    while (n > 0 && (n >= len || !cut_fits(d, face, px, text, n, buf, cap, maxw)))
        n = char_prev(text, n);
    return n > 0;
}

int draw_text(Draw *d, FontFace face, int px, SDL_Color c, int x, int y,
              const char *text, int align, int maxw)
{
    if (!text || !*text)
        return 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text);
    bool cut = maxw > 0 && text_width(d, face, px, buf) > maxw;
    if (cut) {
        d->cut++;
        if (!cut_to(d, face, px, text, buf, sizeof buf, maxw))
            return 0;
    }
    int w, h;
    SDL_Texture *t = fonts_text(d->fonts, face, px, c, buf, &w, &h);
    if (!t)
        return 0;
    int x0 = align == ALIGN_CENTER ? x - w / 2 : align == ALIGN_RIGHT ? x - w : x;
    SDL_RenderCopy(d->r, t, NULL, &(SDL_Rect){x0, y, w, h});
    if (d->texts.v) {
        unsigned before = d->texts.n;
        log_text(d, (SDL_Rect){x0, y, w, h}, ink_of(d, face, px, buf, x0, y), px, buf);
        log_cut(d, before, cut);
    }
    return w;
}

int text_fit_px(Draw *d, FontFace face, int px, int min_px, const char *text, int w)
{
    if (px <= min_px || w <= 0 || !text)
        return px;
    int tw = text_width(d, face, px, text);
    if (tw <= w)
        return px;
    /* A text's width grows with its size about in proportion: measure near
     * the answer first, not every size down to it (each size not measured
     * before is a shaping: a map pane fits 70 slot labels a frame). */
    int g = (int)((long)px * w / tw);
    g = g < min_px ? min_px : g >= px ? px - 1 : g;
    if (text_width(d, face, g, text) <= w) { /* the largest size that fits */
        while (g + 1 < px && text_width(d, face, g + 1, text) <= w)
            g++;
        return g;
    }
    while (g > min_px && text_width(d, face, g, text) > w)
        g--;
    return g;
}

int draw_text_fit(Draw *d, FontFace face, int px, int min_px, SDL_Color c, int x, int y,
                  const char *text, int align, int maxw)
{
    return draw_text(d, face, text_fit_px(d, face, px, min_px, text, maxw), c, x, y, text, align,
                     maxw);
}

int draw_label(Draw *d, FontFace face, int px, SDL_Color c, int x, int y, const char *text,
               int align, int maxw)
{
    unsigned cut = d->cut, before = d->texts.n;
    int w = draw_text(d, face, px, c, x, y, text, align, maxw);
    d->cut = cut;
    log_cut(d, before, false);
    return w;
}

/* The end of the first line of p in width w: as many words as fit (each
 * word measured once, with the spaces before it; a sum, so the line is
 * measured whole once more), or the first word if none does.  *next: where
 * the next line starts. */
static size_t line_end(Draw *d, FontFace face, int px, int w, const char *p, size_t max,
                       size_t *next)
{
    char piece[512];
    size_t end = 0, m = 0;
    int sum = 0;
    *next = 0;
    for (;;) { /* take words while the line fits */
        m = *next;
        while (p[m] && p[m] != ' ' && p[m] != '\n' && m < max)
            m++;
        memcpy(piece, p + end, m - end);
        piece[m - end] = 0;
        int pw = text_width(d, face, px, piece);
        if (end > 0 && sum + pw > w)
            break;
        sum += pw;
        end = *next = m;
        while (p[*next] == ' ')
            (*next)++;
        if (!p[m] || p[m] == '\n' || m >= max)
            break;
    }
    if (end == 0) /* one word wider than the box: it gets cut */
        return *next = m;
    memcpy(piece, p, end);
    piece[end] = 0;
    while (text_width(d, face, px, piece) > w) { /* kerning made the sum short */
        char *sp = strrchr(piece, ' ');
        if (!sp)
            break;
        *next = end = (size_t)(sp - piece);
        while (p[*next] == ' ')
            (*next)++;
        *sp = 0;
    }
    return end;
}

/* Lay text out in box word by word, drawing it if draw; the height used. */
static int wrap(Draw *d, FontFace face, int px, SDL_Color c, SDL_Rect box,
                const char *text, bool draw)
{
    int lh = text_height(d, face, px), y = box.y;
    char line[512];
    const char *p = text;
    while (*p && y + lh <= box.y + box.h) {
        size_t next, end = line_end(d, face, px, box.w, p, sizeof line - 1, &next);
        memcpy(line, p, end);
        line[end] = 0;
        if (draw)
            draw_text(d, face, px, c, box.x, y, line, ALIGN_LEFT, box.w);
        y += lh;
        p += next;
        if (*p == '\n')
            p++;
    }
    if (draw && *p) { /* the rest did not fit: its last line is cut */
        d->cut++;
        if (d->texts.v && d->texts.n)
            d->texts.v[d->texts.n - 1].cut = true;
    }
    return y - box.y;
}

int draw_text_wrap(Draw *d, FontFace face, int px, SDL_Color c, SDL_Rect box,
                   const char *text)
{
    return wrap(d, face, px, c, box, text, true);
}

int text_wrap_height(Draw *d, FontFace face, int px, int w, const char *text)
{
    return wrap(d, face, px, (SDL_Color){0, 0, 0, 0}, (SDL_Rect){0, 0, w, 1 << 24}, text,
                false);
}
