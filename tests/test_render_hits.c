/*
 * test_render_hits.c — what the pointer does in the renderer: the timeline
 * box, what a click would select in the heap, caches, map and sync.Map
 * panes (and the selection's frame), and the details shown under the
 * pointer.  Same synthetic lesson and frame as test_render.c.
 */
#include "render_util.h"

#include "related.h"

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
    layout_compute(&l, W, H, o->d.s, v.want, rp.has.lesson);
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

/* A heap pane dragged down draws its top rows above its body, clipped:
 * the pointer over what lies there (the heap's legend, the counters)
 * must not hit, nor show the details of, an object no one can see. */
static void test_scrolled_out_hits_nothing(void **state)
{
    (void)state;
    Offscreen *o = new_off();
    View v;
    view_at_step(&v, (size_t)rp.nsteps - 1);
    v.pan_y = 120;
    offscreen_render(o, &rp, &v);
    Layout l = render_frame(&o->d, &rp, &v, W, H, NULL);
    SDL_Rect heap = l.pane[PANE_HEAP];
    for (int y = 0; y < heap.y + S(&o->d, 60); y += 5)
        for (int x = heap.x; x < heap.x + heap.w; x += 23) {
            Hit hit = {0, 0, HIT_OBJECT};
            v.hover_x = x, v.hover_y = y;
            render_frame(&o->d, &rp, &v, W, H, &hit);
            if (hit.kind == HIT_OBJECT && hit.addr)
                fail_msg("pointer at %d,%d hits object 0x%llx scrolled out of the heap pane",
                         x, y, (unsigned long long)hit.addr);
        }
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeline_hover),
        cmocka_unit_test(test_cache_line_hit),
        cmocka_unit_test(test_bucket_hit),
        cmocka_unit_test(test_misses_hit),
        cmocka_unit_test(test_hover_details),
        cmocka_unit_test(test_scrolled_out_hits_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
