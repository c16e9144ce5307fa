/*
 * render_bucket.c — one bucket of the map pane: its header, and 8 slots of
 * (tophash, key:elem label), the evacuation chip of an evacuated bucket,
 * and the details of the slot under the pointer.  The rows of buckets, the
 * overflow chains and the evacuation flight are render_map.c's.
 *
 * Invariant: a slot's texts are drawn only at a legible size
 * (bucket_slot_px), never over its tophash mark; a label too wide loses its
 * elem, then (a number) keeps its last digits or (anything else) is cut.
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

bool slot_label(Ctx *c, const WBucket *b, int s, char *buf, size_t n)
{
    unsigned bit = 1u << s;
    if (b->nums_key & bit) {
        if (b->nums_elem & bit)
            snprintf(buf, n, "%lld:%lld", (long long)b->key[s], (long long)b->elem[s]);
        else
            snprintf(buf, n, "%lld", (long long)b->key[s]);
        return true;
    }
    if (!wbucket_label(b, s))
        return false;
    snprintf(buf, n, "%s", str(c, wbucket_label(b, s)));
    return true;
}

/* What the pointer is over: one slot of a bucket. */
void bucket_slot_details(Ctx *c, const SlotHover *h, SDL_Rect pane)
{
    static const char *const mark[] = {
        "emptyRest: empty, as is every slot after it", "emptyOne: empty",
        "evacuatedX: its entry moved to new bucket i", "evacuatedY: its entry moved to new bucket i + old count",
        "evacuatedEmpty: empty when its bucket was evacuated"};
    const WBucket *b = h->b;
    char t[HOVER_LINES][96], lab[48];
    int n = 0, s = h->slot;
    snprintf(t[n++], sizeof t[0], "%s · slot %d · 0x%llx", h->name, s, (unsigned long long)h->addr);
    uint8_t th = b ? b->tophash[s] : 0;
    if (th > 4 && (b->nums_key >> s & 1)) {
        snprintf(lab, sizeof lab, ", elem %lld", (long long)b->elem[s]);
        snprintf(t[n++], sizeof t[0], "tophash 0x%02x · key %lld%s", th, (long long)b->key[s],
                 b->nums_elem >> s & 1 ? lab : "");
    } else if (th > 4)
        snprintf(t[n++], sizeof t[0], "tophash 0x%02x · %s", th,
                 slot_label(c, b, s, lab, sizeof lab) ? lab : "(no label)");
    else
        snprintf(t[n++], sizeof t[0], "tophash %u: %s", th, mark[th]);
    if (b && b->overflow)
        snprintf(t[n++], sizeof t[0], "overflow -> 0x%llx", (unsigned long long)b->overflow);
    if (b && (b->evacuated & BUCKET_EVACUATED))
        snprintf(t[n++], sizeof t[0], "bucket evacuated%s%s",
                 b->evacuated & BUCKET_TO_X ? " to X" : "",
                 b->evacuated & BUCKET_TO_Y ? (b->evacuated & BUCKET_TO_X ? " and Y" : " to Y") : "");
    if (b)
        snprintf(t[n++], sizeof t[0], "last changed at event %llu", (unsigned long long)b->changed);
    hover_box(c, h->at, pane, t, n);
}

/* The height of a bucket box's header ("b3", "old 2", "overflow"). */
static int head_h(Draw *d)
{
    return text_height(d, FACE_BOLD, S(d, 12)) + S(d, 2);
}

/* The size of a slot's label in a bucket box h tall, and whether its
 * texts are drawn: slots too short for legible text (8 px at scale 1: a
 * projector's back row reads no less) keep their colours only; the
 * pointer's details name the slot. */
int bucket_slot_px(Draw *d, int h, bool *texts)
{
    int sh = (h - head_h(d)) / 8;
    int px = sh - S(d, 3) < S(d, 13) ? sh - S(d, 3) : S(d, 13);
    *texts = px >= S(d, 8);
    return px;
}

/* The size for a slot's label lab in room, from px down to 9 units; a
 * key:elem that fits at none of them drops its elem ("26" for "26:26"),
 * which the pointer's details give. */
static int label_px(Draw *d, char *lab, int px, int room)
{
    int lpx = text_fit_px(d, FACE_MONO, px, S(d, 9), lab, room);
    char *colon = strchr(lab, ':');
    if (text_width(d, FACE_MONO, lpx, lab) <= room || !colon)
        return lpx;
    *colon = 0;
    return text_fit_px(d, FACE_MONO, px, S(d, 9), lab, room);
}

/* An evacuated bucket's chip: where its entries went ("→XY", "→X", or
 * "done" when it held none), beside the tophash column of box r (half a
 * mark under the chip read as a letter: "( →XY"); in a bucket too narrow
 * for that, across its whole width. */
static void evac_chip(Draw *d, const WBucket *b, SDL_Rect r, int thw, SDL_Color hc)
{
    char m[16];
    snprintf(m, sizeof m, "→%s%s", b->evacuated & BUCKET_TO_X ? "X" : "",
             b->evacuated & BUCKET_TO_Y ? "Y" : "");
    if (!(b->evacuated & (BUCKET_TO_X | BUCKET_TO_Y)))
        snprintf(m, sizeof m, "done");
    int w = text_width(d, FACE_BOLD, S(d, 13), m) + S(d, 8), y = r.y + r.h / 2 - S(d, 8);
    int x0 = w <= r.w - thw ? r.x + thw : r.x, cw = r.x + r.w - x0;
    if (w > cw || x0 == r.x) /* over the marks: all of them, not half of one */
        w = cw;
    SDL_Rect chip = {x0 + (cw - w) / 2, y - S(d, 1), w,
                     text_height(d, FACE_BOLD, S(d, 13)) + S(d, 2)};
    draw_round(d, chip, S(d, 4), d->pal->panel); /* the slots' tophash marks stay under it */
    draw_cover(d, chip);
    draw_text(d, FACE_BOLD, S(d, 13), hc, chip.x + chip.w / 2, y, m, ALIGN_CENTER, 0);
}

/* How a bucket's slots place their texts.  Side by side: the tophash
 * mark in a column at the left, the label beside it.  Stacked, in a
 * bucket too narrow for its keys beside the marks but tall enough (a
 * handout page's, where a key beside its mark was cut to "1…"): the mark
 * on a band across the slot's top, the label under it across the whole
 * width, key over elem when it needs two lines. */
typedef struct {
    int px, tpx, th_h;          /* label size, tophash size, its line height */
    int thw;                    /* the tophash column's width, 0 when stacked */
    int room;                   /* the label's width; <= 0: no label */
    bool texts, stacked;
    bool keys_cut;              /* side by side, a key cut short ("1…") */
} SlotLook;

/* The width of text in the mono face at px.  ASCII text is as wide as
 * its length in digits: a big map's labels are many and all different,
 * and measuring each would fill the measure cache with them. */
static int mono_width(Draw *d, int px, const char *text)
{
    size_t n = 0;
    while (text[n] && (unsigned char)text[n] < 0x80)
        n++;
    if (text[n])
        return text_width(d, FACE_MONO, px, text);
    return (int)n * text_width(d, FACE_MONO, px, "0");
}

/* Whether every key of b fits in room at the smallest label size (an
 * elem that does not is dropped by label_px). */
static bool keys_fit(Ctx *c, const WBucket *b, int room)
{
    char lab[48];
    for (int s = 0; s < 8; s++)
        if (b->tophash[s] > 4 && slot_label(c, b, s, lab, sizeof lab)) {
            lab[strcspn(lab, ":")] = 0;
            if (mono_width(c->d, S(c->d, 9), lab) > room)
                return false;
        }
    return true;
}

/* Side by side if the keys fit or the slots are too short to stack;
 * else stacked. */
static SlotLook slot_look(Ctx *c, const WBucket *b, SDL_Rect r)
{
    Draw *d = c->d;
    SlotLook k;
    int sh = (r.h - head_h(d)) / 8;
    k.px = bucket_slot_px(d, r.h, &k.texts);
    k.tpx = k.px - S(d, 1) > S(d, 8) ? k.px - S(d, 1) : S(d, 8);
    k.th_h = text_height(d, FACE_MONO, k.tpx);
    k.thw = S(d, 24) < r.w ? S(d, 24) : r.w;
    k.room = r.w - k.thw - S(d, 6);
    k.stacked = k.keys_cut = false;
    if (!b || !k.texts || (k.room > 0 && keys_fit(c, b, k.room)))
        return k;
    if (sh < k.th_h + text_height(d, FACE_MONO, S(d, 9)) + S(d, 3)) {
        k.keys_cut = k.room > 0; /* too short to stack: taller slots would */
        return k;
    }
    k.stacked = true, k.thw = 0, k.room = r.w - S(d, 6);
    while (k.px > S(d, 9) && k.th_h + text_height(d, FACE_MONO, k.px) + S(d, 3) > sh)
        k.px--; /* one line of label under the band */
    return k;
}

/* A number lab (in a buffer of size bytes) too wide for room at px keeps
 * its last digits: they tell a run of big keys apart ("…577", "…578"),
 * where its first digits ("1…") are the same for all of them; with room
 * for fewer than two, it is not drawn.  Anything else is left alone. */
static void keep_tail(Draw *d, int px, char *lab, size_t size, int room)
{
    size_t n = strlen(lab), digits = strspn(lab + (lab[0] == '-'), "0123456789");
    if (!n || digits + (lab[0] == '-') != n || mono_width(d, px, lab) <= room)
        return;
    int adv = text_width(d, FACE_MONO, px, "0");
    int keep = adv > 0 ? (room - text_width(d, FACE_MONO, px, "…")) / adv : 0;
    if (keep < 2) { /* "…8" is one key in ten, "1…" less: the colour, and the details */
        lab[0] = 0;
        return;
    }
    if ((size_t)keep >= n)
        keep = (int)n - 1;
    char buf[64];
    snprintf(buf, sizeof buf, "…%s", lab + n - (size_t)keep);
    if (strlen(buf) < size) /* "…" is 3 bytes: lab may need 2 more */
        memcpy(lab, buf, strlen(buf) + 1);
}

/* Slot s's label lab (in a buffer of size bytes) in the rest of slot
 * (under its band when stacked). */
static void slot_label_draw(Ctx *c, const SlotLook *k, SDL_Rect slot, char *lab, size_t size,
                            SDL_Color tc)
{
    Draw *d = c->d;
    int x = slot.x + k->thw + S(d, 4), y = slot.y, h = slot.h;
    if (k->stacked)
        x = slot.x + S(d, 3), y += k->th_h + S(d, 1), h -= k->th_h + S(d, 1);
    char *colon = strchr(lab, ':'), elem[32];
    int lh = text_height(d, FACE_MONO, S(d, 9));
    if (k->stacked && colon && h >= 2 * lh &&
        mono_width(d, S(d, 9), lab) > k->room) { /* key over elem */
        snprintf(elem, sizeof elem, "%s", colon + 1);
        *colon = 0;
        int px = k->px, two = 2 * text_height(d, FACE_MONO, px);
        while (two > h && px > S(d, 9))
            two = 2 * text_height(d, FACE_MONO, --px);
        int kp = label_px(d, lab, px, k->room), ep = label_px(d, elem, px, k->room);
        keep_tail(d, kp, lab, size, k->room);
        keep_tail(d, ep, elem, sizeof elem, k->room);
        int top = y + (h - two) / 2, lh2 = two / 2;
        draw_label(d, FACE_MONO, kp, tc, x, top, lab, ALIGN_LEFT, k->room);
        draw_label(d, FACE_MONO, ep, mix(tc, d->pal->dim, 0.5f), x, top + lh2, elem,
                   ALIGN_LEFT, k->room); /* the elem a shade lighter than its key */
        return;
    }
    int lpx = label_px(d, lab, k->px, k->room);
    keep_tail(d, lpx, lab, size, k->room); /* a key whose elem went first */
    draw_label(d, FACE_MONO, lpx, tc, x, y + (h - text_height(d, FACE_MONO, lpx)) / 2, lab,
               ALIGN_LEFT, k->room);
}

/* One bucket (at addr, called name in hover details): a header, 8 slots
 * of (tophash, label).  Returns whether a key was cut short. */
bool bucket_box(Ctx *c, const WBucket *b, uint64_t addr, const char *name, SDL_Rect r,
                const char *head, SDL_Color hc, bool old, SlotHover *hv)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    bool evac = b && (b->evacuated & BUCKET_EVACUATED);
    SDL_Color kind = p->kind[b && b->is_overflow ? OBJ_OVERFLOW : OBJ_BUCKETS];
    if (evac)
        kind = mix(kind, p->garbage, 0.75f);
    int hh = head_h(d);
    draw_round(d, (SDL_Rect){r.x, r.y, r.w, hh}, S(d, 4), kind);
    int hpx = text_fit_px(d, FACE_BOLD, S(d, 12), S(d, 9), head, r.w - S(d, 4));
    draw_label(d, FACE_BOLD, hpx, on_color(p, kind), r.x + r.w / 2, r.y + S(d, 1), head,
               ALIGN_CENTER, r.w - S(d, 4));
    int sh = (r.h - hh) / 8;
    SlotLook k = slot_look(c, b, r);
    for (int s = 0; s < 8; s++) {
        SDL_Rect slot = {r.x, r.y + hh + s * sh + 1, r.w, sh - 1};
        if (pointer_over(c, slot)) {
            *hv = (SlotHover){b, addr, s, slot, ""};
            snprintf(hv->name, sizeof hv->name, "%s", name);
        }
        uint8_t th = b ? b->tophash[s] : 0;
        bool full = th > 4; /* minTopHash is 5: below are empty/evacuated marks */
        float a = b && full ? appear(c, b->changed) : 1;
        SDL_Color bg = full ? mix(p->panel, mix(kind, p->panel, 0.55f), a) : p->free_slot;
        SDL_Rect mark = k.stacked ? (SDL_Rect){slot.x, slot.y, slot.w, k.th_h + S(d, 1)}
                                  : (SDL_Rect){slot.x, slot.y, k.thw, slot.h};
        draw_fill(d, slot, bg);
        draw_fill(d, mark, full ? mix(bg, kind, 0.6f) : bg);
        if (!b || (!full && th == 0) || !k.texts)
            continue;
        char t[8];
        snprintf(t, sizeof t, "%02x", th);
        draw_text(d, FACE_MONO, k.tpx, full ? on_color(p, mix(bg, kind, 0.6f)) : p->dim,
                  mark.x + mark.w / 2, mark.y + (mark.h - k.th_h) / 2, t, ALIGN_CENTER, mark.w);
        char lab[48];
        if (k.room > 0 && slot_label(c, b, s, lab, sizeof lab))
            slot_label_draw(c, &k, slot, lab, sizeof lab, old && evac ? p->dim : p->title);
    }
    if (evac)
        evac_chip(d, b, r, k.thw, hc);
    return k.keys_cut;
}

