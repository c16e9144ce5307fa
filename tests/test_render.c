/*
 * test_render.c — the renderer without a display: a frame is a pure function
 * of (trace, View), so the same position drawn twice, or reached by
 * different seek paths, gives identical pixels; key states match reference
 * PNGs in tests/data/ref/ within a tolerance (fonts may rasterise a little
 * differently elsewhere); damaged traces and missing fonts fail gracefully.
 *
 * GMV_UPDATE_REF=1 rewrites the reference images.
 */
#include "testutil.h"

#include <string.h>

#include "offscreen.h"
#include "pngfile.h"
#include "related.h"
#include "viz_synth.h"

#define W 1280
#define H 720

static MemTrace trace;
static Replay rp;

static int setup(void **state)
{
    (void)state;
    TraceParams p = trace_params_default();
    memtrace_open(&trace, &p);
    synth_lesson(&trace.tr);
    memtrace_close(&trace);
    return replay_open_mem(&rp, (uint8_t *)trace.buf, trace.len, NULL) == TRACE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    replay_close(&rp);
    free(trace.buf);
    return 0;
}

static Offscreen *new_off(void)
{
    Offscreen *o = malloc(sizeof *o);
    char err[256];
    if (!offscreen_init(o, W, H, err, sizeof err))
        fail_msg("%s", err);
    return o;
}

static void del_off(Offscreen *o)
{
    offscreen_free(o);
    free(o);
}

static uint8_t *pixels(Offscreen *o, Replay *r, const View *v)
{
    offscreen_render(o, r, v);
    size_t n = (size_t)o->surf->pitch * (size_t)o->surf->h;
    uint8_t *copy = malloc(n);
    memcpy(copy, o->surf->pixels, n);
    return copy;
}

static void view_at_step(View *v, size_t k)
{
    view_defaults(v);
    v->name = "synthetic";
    v->pos = replay_step_end(&rp, k);
    v->from = rp.steps[k].at;
}

static void test_same_frame_twice(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    View v;
    view_at_step(&v, 6);
    uint8_t *a = pixels(o, &rp, &v), *b = pixels(o, &rp, &v);
    assert_memory_equal(a, b, (size_t)o->surf->pitch * H);
    free(a);
    free(b);
    del_off(o);
}

/* Every step, reached forwards, backwards and by jumps: same pixels. */
static void test_seek_paths_same_pixels(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    size_t n = (size_t)o->surf->pitch * H;
    uint8_t **fwd = calloc(rp.nsteps, sizeof *fwd);
    View v;
    for (size_t k = 0; k < rp.nsteps; k++) {
        view_at_step(&v, k);
        fwd[k] = pixels(o, &rp, &v);
    }
    for (size_t k = rp.nsteps; k-- > 0;) {
        replay_seek(&rp, rp.nevents);
        view_at_step(&v, k);
        uint8_t *b = pixels(o, &rp, &v);
        assert_memory_equal(fwd[k], b, n);
        free(b);
    }
    /* a fresh replay with tiny keyframe spacing */
    Replay r2;
    ReplayOptions opt = {.interval = 3};
    assert_int_equal(replay_open_mem(&r2, (uint8_t *)trace.buf, trace.len, &opt), TRACE_OK);
    for (size_t k = 0; k < rp.nsteps; k += 3) {
        view_at_step(&v, k);
        uint8_t *b = pixels(o, &r2, &v);
        assert_memory_equal(fwd[k], b, n);
        free(b);
    }
    replay_close(&r2);
    for (size_t k = 0; k < rp.nsteps; k++)
        free(fwd[k]);
    free(fwd);
    del_off(o);
}

/* Mid-animation frames are pure too, and differ from the settled frame. */
static void test_animation_phase(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    size_t n = (size_t)o->surf->pitch * H;
    View v;
    view_at_step(&v, 5); /* the sync.Map promotion */
    v.phase = 0.4f;
    uint8_t *a = pixels(o, &rp, &v), *b = pixels(o, &rp, &v);
    assert_memory_equal(a, b, n);
    v.phase = 1;
    uint8_t *c = pixels(o, &rp, &v);
    assert_true(memcmp(a, c, n) != 0);
    free(a);
    free(b);
    free(c);
    del_off(o);
}

/* Compare with tests/data/ref/NAME.png: at most 0.5% of pixels may differ
 * by more than 48 in a channel. */
static void check_ref(Offscreen *o, const char *name)
{
    const char *src = getenv("GMV_SOURCE_DIR");
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/tests/data/ref/%s.png", src ? src : ".", name);
    const char *upd = getenv("GMV_UPDATE_REF");
    if (upd && *upd == '1') {
        assert_true(offscreen_save(o, path, err, sizeof err));
        return;
    }
    uint8_t *ref;
    int w, h;
    if (!png_load_rgb(path, &ref, &w, &h))
        fail_msg("missing reference %s (run with GMV_UPDATE_REF=1)", path);
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    SDL_Surface *rgb = SDL_ConvertSurfaceFormat(o->surf, SDL_PIXELFORMAT_RGB24, 0);
    size_t bad = 0;
    for (int y = 0; y < H; y++) {
        const uint8_t *a = (const uint8_t *)rgb->pixels + (size_t)y * rgb->pitch;
        const uint8_t *b = ref + (size_t)y * W * 3;
        for (int x = 0; x < W; x++)
            for (int k = 0; k < 3; k++)
                if (abs(a[x * 3 + k] - b[x * 3 + k]) > 48) {
                    bad++;
                    break;
                }
    }
    SDL_FreeSurface(rgb);
    free(ref);
    if (bad > (size_t)W * H / 200)
        fail_msg("%s: %zu pixels differ from the reference", name, bad);
}

static void test_reference_images(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    static const struct { size_t step; int palette; const char *name; } refs[] = {
        {1, PALETTE_SCREEN, "synth-step2-slice"},
        {3, PALETTE_SCREEN, "synth-step4-map-growth"},
        {6, PALETTE_SCREEN, "synth-step7-false-sharing"},
        {6, PALETTE_PROJECTOR, "synth-step7-projector"},
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        View v;
        view_at_step(&v, refs[i].step);
        v.palette = refs[i].palette;
        offscreen_render(o, &rp, &v);
        check_ref(o, refs[i].name);
    }
    del_off(o);
}

/* A damaged trace renders what it has, with the reader's message. */
static void test_damaged_trace_renders(void **state)
{
    (void)state;
    uint8_t *copy = malloc(trace.len);
    memcpy(copy, trace.buf, trace.len);
    Replay r;
    replay_open_mem(&r, copy, trace.len * 3 / 4, NULL);
    assert_true(r.usable);
    assert_int_equal(r.status, TRACE_TRUNCATED);
    Offscreen *o = new_off();
    View v;
    view_defaults(&v);
    v.pos = r.nevents;
    offscreen_render(o, &r, &v);
    del_off(o);
    replay_close(&r);
    free(copy);
}

/* The pointer over the timeline shows the step and event there, the same
 * every time, and only there; a click's position spans the whole trace. */
static void test_timeline_hover(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    View v;
    view_at_step(&v, 3);
    uint8_t *plain = pixels(o, &rp, &v);
    Layout l;
    layout_compute(&l, W, H, o->d.s, v.want);
    SDL_Rect tl = l.pane[PANE_TIMELINE];
    assert_true(l.shown[PANE_TIMELINE]);
    v.hover_x = tl.x + tl.w / 2, v.hover_y = tl.y + tl.h / 2;
    uint8_t *a = pixels(o, &rp, &v), *b = pixels(o, &rp, &v);
    size_t n = (size_t)o->surf->pitch * H;
    assert_memory_equal(a, b, n);
    assert_memory_not_equal(a, plain, n);
    v.hover_x = tl.x + tl.w / 2, v.hover_y = tl.y - 40; /* above the pane: nothing */
    free(b);
    b = pixels(o, &rp, &v);
    assert_memory_equal(b, plain, n);
    assert_int_equal(timeline_pos_at(&o->d, tl, rp.nevents, tl.x), 0);
    assert_int_equal(timeline_pos_at(&o->d, tl, rp.nevents, tl.x + tl.w), rp.nevents);
    free(a);
    free(b);
    free(plain);
    del_off(o);
}

/* At the last step, down the middle of pane p (which must be shown): the
 * first thing the pointer hits, and (if at_y) at which y. */
static Hit first_hit(Offscreen *o, View *v, Pane p, int *at_y)
{
    view_at_step(v, (size_t)rp.nsteps - 1);
    offscreen_render(o, &rp, v); /* sets the palette and scale render_frame draws with */
    Layout l = render_frame(&o->d, &rp, v, W, H, NULL);
    assert_true(l.shown[p]);
    SDL_Rect pane = l.pane[p];
    Hit hit = {0, 0, HIT_OBJECT};
    for (int y = pane.y; y < pane.y + pane.h && !hit.addr; y += 4) {
        v->hover_x = pane.x + pane.w / 2, v->hover_y = y;
        render_frame(&o->d, &rp, v, W, H, &hit);
    }
    if (at_y)
        *at_y = v->hover_y;
    v->hover_x = v->hover_y = -1;
    return hit;
}

/* Selecting addr changes the frame (the selection is framed). */
static void assert_highlight_drawn(Offscreen *o, View *v, uint64_t addr)
{
    uint8_t *plain = pixels(o, &rp, v);
    v->highlight = addr;
    uint8_t *framed = pixels(o, &rp, v);
    assert_memory_not_equal(plain, framed, (size_t)o->surf->pitch * H);
    free(plain);
    free(framed);
}

/* The pointer over a bucket of the map pane hits the bucket: its own
 * bytes, one of the map's buckets. */
static void test_bucket_hit(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    View v;
    Hit hit = first_hit(o, &v, PANE_MAP, NULL);
    assert_int_equal(hit.kind, HIT_BUCKET);
    const WBucket *b = world_bucket(&rp.w, hit.addr);
    const WMap *m = &rp.w.maps.v[0];
    assert_int_equal(hit.size, m->bucketsize);
    assert_true(b == NULL || b->map == 0);
    assert_highlight_drawn(o, &v, hit.addr);
    del_off(o);
}

/* The pointer over the sync.Map pane's misses row hits the sync.Map's
 * misses and promotions. */
static void test_misses_hit(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    View v;
    Hit hit = first_hit(o, &v, PANE_SYNCMAP, NULL);
    assert_int_equal(hit.kind, HIT_MISSES);
    assert_int_equal(hit.addr, rp.w.sms.v[0].m);
    del_off(o);
}

/* The pointer over a row of the caches pane hits that line (a click will
 * select it and its events: the writes, and the invalidations they sent);
 * a selected line is framed. */
static void test_cache_line_hit(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    View v;
    Hit hit = first_hit(o, &v, PANE_CACHE, NULL);
    assert_int_not_equal(hit.addr, 0);
    assert_int_equal(hit.size, rp.r.params.line_size);
    assert_int_equal(hit.kind, HIT_LINE);
    assert_int_equal(hit.addr % hit.size, 0);
    assert_highlight_drawn(o, &v, hit.addr);
    uint64_t rel[4096];
    size_t n = related_find(&rp.r, hit.addr, hit.addr + hit.size, hit.size, rel, 4096);
    bool inval = false, write = false;
    for (size_t i = 0; i < n; i++) {
        Event e;
        assert_true(replay_event(&rp, rel[i], &e));
        inval |= e.type == EV_INVALIDATE;
        write |= e.type == EV_ACCESS && (ACCESS_INFO_FLAGS(e.f[4]) & ACCESS_WRITE);
    }
    assert_true(inval && write);
    del_off(o);
}

/* A small window with the largest text the keys allow: panes shorter than
 * their own headers draw nothing in them rather than crash (the caches pane
 * once copied a negative count of rows). */
static void test_small_window_big_text(void **state)
{
    (void)state;
    static const int sizes[][2] = {{320, 200}, {400, 240}, {480, 270}, {640, 360}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        Offscreen o;
        char err[256];
        assert_true(offscreen_init(&o, sizes[i][0], sizes[i][1], err, sizeof err));
        for (float ts = 1; ts <= 2.5f; ts *= 1.25f) /* up to app.c's limit */
            for (size_t k = 0; k < rp.nsteps; k++) {
                View v;
                view_defaults(&v);
                v.palette = PALETTE_PROJECTOR;
                v.text_scale = ts;
                v.pos = v.from = replay_step_end(&rp, k);
                offscreen_render(&o, &rp, &v);
            }
        offscreen_free(&o);
    }
}

/* Pointing at a cache cell, a map slot or a sync.Map entry draws its
 * details (the frame changes, the same way twice); pointing at the pane's
 * title does not. */
static void test_hover_details(void **state)
{
    (void)state;
    static const struct { Pane pane; int kind; } cases[] = {
        {PANE_CACHE, HIT_LINE}, {PANE_MAP, HIT_BUCKET}, {PANE_SYNCMAP, HIT_MISSES}};
    Offscreen *o = new_off();
    size_t n = (size_t)o->surf->pitch * H;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        View v;
        int y;
        Hit hit = first_hit(o, &v, cases[k].pane, &y);
        assert_int_equal(hit.kind, cases[k].kind);
        uint8_t *plain = pixels(o, &rp, &v);
        Layout l = render_frame(&o->d, &rp, &v, W, H, NULL);
        SDL_Rect pane = l.pane[cases[k].pane];
        v.hover_x = pane.x + pane.w / 2, v.hover_y = pane.y + 6; /* the title */
        uint8_t *a = pixels(o, &rp, &v);
        assert_memory_equal(a, plain, n);
        free(a);
        bool shown = false; /* below the first hit, something has details */
        for (int x = pane.x, dy = 10; dy <= 70 && !shown; x += 12) {
            if (x >= pane.x + pane.w)
                x = pane.x, dy += 15;
            v.hover_x = x, v.hover_y = y + dy;
            a = pixels(o, &rp, &v);
            shown = memcmp(a, plain, n) != 0;
            if (shown) {
                uint8_t *b = pixels(o, &rp, &v);
                assert_memory_equal(a, b, n);
                free(b);
            }
            free(a);
        }
        if (!shown)
            fail_msg("pane %d: no details below y %d (pane %d,%d %dx%d)", cases[k].pane, y, pane.x,
                     pane.y, pane.w, pane.h);
        free(plain);
    }
    del_off(o);
}

/* Pixels of the frame that are not its top-left pixel (the background). */
static int ink(const Offscreen *o)
{
    int n = 0;
    const uint8_t *base = o->surf->pixels;
    uint32_t bg = *(const uint32_t *)base;
    for (int y = 0; y < o->h; y++)
        for (int x = 0; x < o->w; x++)
            n += ((const uint32_t *)(base + (size_t)o->surf->pitch * (size_t)y))[x] != bg;
    return n;
}

/* Below RENDER_MIN_W x RENDER_MIN_H (a window manager that ignores the
 * window's minimum) the frame is one centred line and nothing is
 * clickable; at the minimum itself the panes are back.  With a high-DPI
 * drawable the minimum is in window pixels. */
static void test_too_small_window(void **state)
{
    (void)state;
    static const struct { int w, h; float dpi; bool small; } cases[] = {
        {RENDER_MIN_W - 1, RENDER_MIN_H, 1, true},  {RENDER_MIN_W, RENDER_MIN_H - 1, 1, true},
        {RENDER_MIN_W, RENDER_MIN_H, 1, false},     {2 * RENDER_MIN_W - 2, 2 * RENDER_MIN_H, 2, true},
        {2 * RENDER_MIN_W, 2 * RENDER_MIN_H, 2, false}, {1, 1, 1, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Offscreen o;
        char err[256];
        assert_true(offscreen_init(&o, cases[i].w, cases[i].h, err, sizeof err));
        View v;
        view_at_step(&v, (size_t)rp.nsteps - 1);
        v.dpi = cases[i].dpi;
        v.hover_x = cases[i].w / 2, v.hover_y = cases[i].h / 2;
        offscreen_render(&o, &rp, &v);
        Hit hit = {1, 1, HIT_LINE};
        Layout l = render_frame(&o.d, &rp, &v, o.w, o.h, &hit);
        bool any = false;
        for (Pane p = 0; p < PANE_COUNT; p++)
            any |= l.shown[p];
        assert_int_equal(any, !cases[i].small);
        if (cases[i].small) {
            assert_int_equal(layout_hit(&l, v.hover_x, v.hover_y), PANE_COUNT);
            assert_int_equal(hit.addr, 0);
            if (o.w > 100) /* the two lines are there */
                assert_true(ink(&o) > 200);
        }
        offscreen_free(&o);
    }
}

static void test_missing_font_one_line(void **state)
{
    (void)state;
    setenv("GOMEMVIZ_FONT_DIR", "/nonexistent/fonts", 1);
    Offscreen o;
    char err[256];
    assert_false(offscreen_init(&o, 320, 200, err, sizeof err));
    unsetenv("GOMEMVIZ_FONT_DIR");
    assert_non_null(strstr(err, "font not found: /nonexistent/fonts/"));
    assert_non_null(strstr(err, "GOMEMVIZ_FONT_DIR"));
    assert_null(strchr(err, '\n'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_frame_twice),
        cmocka_unit_test(test_seek_paths_same_pixels),
        cmocka_unit_test(test_animation_phase),
        cmocka_unit_test(test_reference_images),
        cmocka_unit_test(test_damaged_trace_renders),
        cmocka_unit_test(test_small_window_big_text),
        cmocka_unit_test(test_too_small_window),
        cmocka_unit_test(test_timeline_hover),
        cmocka_unit_test(test_cache_line_hit),
        cmocka_unit_test(test_bucket_hit),
        cmocka_unit_test(test_misses_hit),
        cmocka_unit_test(test_hover_details),
        cmocka_unit_test(test_missing_font_one_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
