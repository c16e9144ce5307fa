/*
 * test_render.c — the renderer without a display: a frame is a pure function
 * of (trace, View), so the same position drawn twice, or reached by
 * different seek paths, gives identical pixels; animation frames are pure
 * and a popped frame slides off; key states match reference PNGs in
 * tests/data/ref/ within a tolerance (fonts may rasterise a little
 * differently elsewhere); damaged traces, small windows and missing fonts
 * fail gracefully.  The pointer: test_render_hits.c.
 *
 * GMV_UPDATE_REF=1 rewrites the reference images.
 */
#include "render_util.h"

#include "pngfile.h"

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

/* A frame sets every pixel: drawn over a surface of one colour or of
 * another, it is the same (fill_background fills only around the panes,
 * whose cards cover the rest), with every pane, with panes hidden in
 * several ways, and with the help over it. */
static void test_frame_covers_every_pixel(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    size_t bytes = (size_t)o->surf->pitch * H;
    static const Pane hide[][3] = {{PANE_COUNT}, {PANE_HEAP, PANE_COUNT},
                                   {PANE_SOURCE, PANE_STACKS, PANE_CACHE},
                                   {PANE_MAP, PANE_SYNCMAP, PANE_NARRATION},
                                   {PANE_COUNTERS, PANE_TIMELINE, PANE_COUNT}};
    for (size_t i = 0; i < sizeof hide / sizeof hide[0] + 1; i++) {
        View v;
        view_at_step(&v, 6);
        for (int k = 0; i < sizeof hide / sizeof hide[0] && k < 3 && hide[i][k] < PANE_COUNT; k++)
            v.want[hide[i][k]] = false;
        v.help = i == sizeof hide / sizeof hide[0];
        SDL_FillRect(o->surf, NULL, SDL_MapRGB(o->surf->format, 255, 0, 255));
        uint8_t *a = pixels(o, &rp, &v);
        SDL_FillRect(o->surf, NULL, SDL_MapRGB(o->surf->format, 0, 255, 0));
        uint8_t *b = pixels(o, &rp, &v);
        if (memcmp(a, b, bytes))
            fail_msg("case %zu: a pixel of the frame was never drawn", i);
        free(a);
        free(b);
    }
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

/* A frame popped in a step slides off its stack while the step plays:
 * half-way through, the stacks pane differs from the settled frame, which
 * equals the same position reached with no animation. */
static void test_frame_slides_off(void **state)
{
    (void)state;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    uint32_t main_fn = tracer_str(t, "main"), f_fn = tracer_str(t, "main.f");
    TRACE(t, G_CREATE, 0, main_fn, 0xc800000000ull, 0xc802000000ull);
    TRACE(t, FRAME_PUSH, 0, main_fn, 0xc802000000ull);
    TRACE(t, STEP, 1, tracer_str(t, "call f"));
    TRACE(t, FRAME_PUSH, 0, f_fn, 0xc801ffff00ull);
    TRACE(t, STEP, 2, tracer_str(t, "f returns"));
    TRACE(t, FRAME_POP, 0, 0xc801ffff00ull);
    memtrace_close(&mt);
    Replay r;
    assert_int_equal(replay_open_mem(&r, (uint8_t *)mt.buf, mt.len, NULL), TRACE_OK);
    Offscreen *o = new_off();
    View v;
    view_defaults(&v);
    v.pos = replay_step_end(&r, 1);
    v.from = r.steps[1].at;
    offscreen_render(o, &r, &v);
    Layout l = render_frame(&o->d, &r, &v, W, H, NULL);
    SDL_Rect st = l.pane[PANE_STACKS];
    assert_true(l.shown[PANE_STACKS]);
    uint8_t *settled = pixels(o, &r, &v);
    v.phase = 0.5f;
    uint8_t *mid = pixels(o, &r, &v);
    v.phase = 1, v.from = v.pos;
    uint8_t *still = pixels(o, &r, &v);
    bool differs = false;
    for (int y = st.y; y < st.y + st.h && !differs; y++) {
        size_t at = (size_t)o->surf->pitch * (size_t)y + (size_t)st.x * 4;
        differs = memcmp(settled + at, mid + at, (size_t)st.w * 4) != 0;
    }
    assert_true(differs);
    assert_memory_equal(settled, still, (size_t)o->surf->pitch * H);
    free(settled);
    free(mid);
    free(still);
    del_off(o);
    replay_close(&r);
    free(mt.buf);
}

/* When the stacks pane has fewer columns than goroutines, the running ones
 * get them first, then the blocked, then the rest; exited ones last. */
static void test_stack_columns(void **state)
{
    (void)state;
    TraceParams p = trace_params_default();
    World w;
    world_init(&w, &p);
    static const uint64_t ev[][3] = {
        {EV_G_CREATE, 0, 0}, {EV_G_CREATE, 1, 0}, {EV_G_CREATE, 2, 0}, {EV_G_CREATE, 3, 0},
        {EV_G_RUN, 0, 0},    {EV_G_RUN, 2, 0},    {EV_G_RUN, 3, 1},    {EV_G_BLOCK, 1, 0x100},
        {EV_G_EXIT, 0, 0},
    };
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
        Event e = {.index = i, .type = (uint16_t)ev[i][0],
                   .nfields = (uint16_t)event_info((unsigned)ev[i][0])->nfields,
                   .f = {ev[i][1], ev[i][2], 0xc800000000ull, 0xc800008000ull}};
        world_apply(&w, &e);
    }
    uint32_t out[4];
    assert_int_equal(stacks_columns(&w, out, 2), 2); /* g2, g3 run */
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 3);
    assert_int_equal(stacks_columns(&w, out, 3), 3); /* then blocked g1 */
    assert_int_equal(out[0], 1);
    assert_int_equal(out[2], 3);
    assert_int_equal(stacks_columns(&w, out, 4), 4); /* exited g0 last */
    assert_int_equal(out[0], 0);
    world_free(&w);
}

/* Compare with tests/data/ref/NAME.png: at most 0.5% of pixels may differ
 * by more than 48 in a channel. */
static void check_ref(Offscreen *o, const char *name)
{
    char path[1024], rel[256], err[256];
    snprintf(rel, sizeof rel, "tests/data/ref/%s.png", name);
    source_path(path, sizeof path, rel);
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

/* draw_edged gives the pixels of the two draw_rounds it replaces (the
 * edge's box, then the fill's inset over it): cards, sync.Map sides and
 * stack frames, at the radii and insets they use and at the edge cases
 * (a radius past half the box, no radius, a box thinner than its edge). */
static void test_draw_edged_same_pixels(void **state)
{
    (void)state;
    Offscreen o;
    char err[256];
    assert_true(offscreen_init(&o, 160, 120, err, sizeof err));
    SDL_SetRenderDrawBlendMode(o.ren, SDL_BLENDMODE_BLEND);
    static const struct { SDL_Rect r; int rad, t, in_rad; } cases[] = {
        {{10, 10, 140, 100}, 10, 1, 9}, {{3, 4, 61, 37}, 8, 2, 7},  {{20, 30, 100, 9}, 7, 2, 6},
        {{5, 5, 30, 30}, 40, 3, 2},     {{0, 0, 160, 120}, 0, 1, 0}, {{50, 50, 3, 40}, 5, 2, 4},
        {{9, 9, 17, 4}, 6, 1, 5},
    };
    SDL_Color bg = {1, 2, 3, 255}, edge = {200, 100, 50, 255}, fill = {20, 140, 220, 255};
    size_t bytes = (size_t)o.surf->pitch * (size_t)o.h;
    uint8_t *want = malloc(bytes);
    assert_non_null(want);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SDL_Rect r = cases[i].r;
        int t = cases[i].t;
        draw_fill(&o.d, (SDL_Rect){0, 0, o.w, o.h}, bg);
        draw_round(&o.d, r, cases[i].rad, edge);
        draw_round(&o.d, (SDL_Rect){r.x + t, r.y + t, r.w - 2 * t, r.h - 2 * t}, cases[i].in_rad,
                   fill);
        memcpy(want, o.surf->pixels, bytes);
        draw_fill(&o.d, (SDL_Rect){0, 0, o.w, o.h}, bg);
        draw_edged(&o.d, r, cases[i].rad, t, cases[i].in_rad, edge, fill);
        if (memcmp(want, o.surf->pixels, bytes))
            fail_msg("case %zu: draw_edged differs from two draw_rounds", i);
    }
    free(want);
    offscreen_free(&o);
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

/* A measured size comes from the cache as TTF measured it, also across
 * the cache emptying itself (5000 strings, more than half its 4096 slots),
 * and so does a drawn string's texture size. */
static void test_text_caches(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    Fonts *f = o->d.fonts;
    TTF_Font *font = fonts_get(f, FACE_MONO, 15);
    assert_non_null(font);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 5000; i++) {
            char t[32];
            snprintf(t, sizeof t, "%d: key %d", i, i * 7919);
            int w, h, tw, th;
            fonts_measure(f, FACE_MONO, 15, t, &w, &h);
            assert_int_equal(TTF_SizeUTF8(font, t, &tw, &th), 0);
            assert_int_equal(w, tw);
            assert_int_equal(h, th);
            if (i % 97 == 0) {
                assert_non_null(fonts_text(f, FACE_MONO, 15, (SDL_Color){255, 255, 255, 255}, t,
                                           &w, &h));
                assert_int_equal(w, tw);
            }
        }
    assert_true(f->measured.n <= f->measured.cap / 2);
    del_off(o);
}

static unsigned live_textures(const TextCache *c)
{
    unsigned n = 0;
    for (unsigned i = 0; i < c->cap; i++)
        n += c->v[i].tex != NULL;
    return n;
}

/* The textures' cache turns without a frame that destroys thousands of
 * textures (9 ms): the old table has none left when the new one fills,
 * and a text drawn on every frame keeps its texture across the turns. */
static void test_drawn_cache_turns(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    Fonts *f = o->d.fonts;
    SDL_Color white = {255, 255, 255, 255};
    int w, h, turns = 0;
    SDL_Texture *kept = fonts_text(f, FACE_MONO, 15, white, "kept", &w, &h);
    assert_non_null(kept);
    for (int i = 0; i < 10000; i++) {
        char t[32];
        snprintf(t, sizeof t, "%d: key %d", i, i * 7919);
        if (f->drawn.n == f->drawn.cap / 2) { /* this put turns the tables */
            assert_int_equal(live_textures(&f->drawn_old), 0);
            turns++;
        }
        SDL_Texture *tex = fonts_text(f, FACE_MONO, 15, white, t, &w, &h);
        assert_non_null(tex);
        assert_int_equal(SDL_QueryTexture(tex, NULL, NULL, &w, &h), 0);
        if (i % 10 == 0)
            assert_ptr_equal(fonts_text(f, FACE_MONO, 15, white, "kept", &w, &h), kept);
    }
    assert_true(turns >= 4);
    assert_int_equal(SDL_QueryTexture(kept, NULL, NULL, &w, &h), 0);
    del_off(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_frame_twice),
        cmocka_unit_test(test_seek_paths_same_pixels),
        cmocka_unit_test(test_animation_phase),
        cmocka_unit_test(test_frame_slides_off),
        cmocka_unit_test(test_stack_columns),
        cmocka_unit_test(test_reference_images),
        cmocka_unit_test(test_damaged_trace_renders),
        cmocka_unit_test(test_small_window_big_text),
        cmocka_unit_test(test_too_small_window),
        cmocka_unit_test(test_missing_font_one_line),
        cmocka_unit_test(test_text_caches),
        cmocka_unit_test(test_drawn_cache_turns),
        cmocka_unit_test(test_draw_edged_same_pixels),
        cmocka_unit_test(test_frame_covers_every_pixel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
