/*
 * cmd_view.c — the viewer's subcommands: `play FILE` (the window),
 * `render` (PNG frames, GIF/MP4 through ffmpeg) and `bench viewer`.
 *
 * Without GMV_HAVE_VIEWER (built with -DGMV_WITH_VIEWER=OFF) they say so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_lesson.h"

#ifndef GMV_HAVE_VIEWER
int cmd_play(int argc, char **argv)
{
    (void)argc, (void)argv;
    return cli_error("this gomemviz was built without the viewer (GMV_WITH_VIEWER=OFF)");
}
int cmd_render(int argc, char **argv) { return cmd_play(argc, argv); }
int bench_viewer(const char *file, uint64_t n) { (void)file, (void)n; return cmd_play(0, NULL); }
int cli_play_lesson(const Lesson *l, const char *path) { (void)l, (void)path; return cmd_play(0, NULL); }
#else

#include "app.h"
#include "keyframes_file.h"
#include "offscreen.h"

static bool parse_size(const char *s, int *w, int *h)
{
    unsigned a, b;
    char x;
    if (sscanf(s, "%u%c%u", &a, &x, &b) != 3 || (x != 'x' && x != 'X') || a < RENDER_MIN_W ||
        b < RENDER_MIN_H || a > 7680 || b > 4320)
        return false;
    *w = (int)a, *h = (int)b;
    return true;
}

/* "reading FILE: 45%" on a terminal, for traces that take a while. */
static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    if (total < 4000000 || !isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\rgomemviz: reading %s: %3d%% of %.1fM events", (const char *)ctx,
            (int)(done * 100 / total), total / 1e6);
    if (done == total)
        fputc('\n', stderr);
}

/* With its keyframes file when it has one that fits (keyframes_file.h);
 * otherwise lazily (replay.h): indexed only as far as the frames asked for
 * need; the window also indexes the rest between frames. */
static int open_trace(Replay *rp, const char *path)
{
    char kf[4096];
    ReplayOptions opt = {.progress = show_progress, .progress_ctx = (void *)path, .lazy = true,
                         .keyframes = keyframes_path(path, kf, sizeof kf) ? kf : NULL};
    replay_open(rp, path, &opt);
    if (rp->kf_note[0])
        fprintf(stderr, "gomemviz: not using %s (`gomemviz keyframes %s` makes it again)\n",
                rp->kf_note, path);
    if (!rp->usable) {
        cli_trace_error(path, rp->message, rp->status == TRACE_IO_ERROR);
        replay_close(rp);
        return EXIT_USER;
    }
    if (rp->status != TRACE_OK)
        fprintf(stderr, "gomemviz: %s: %s (showing the %llu events before it)\n", path,
                rp->message, (unsigned long long)rp->nevents);
    return EXIT_OK;
}

/* The View that shows lesson step k (1-based) settled, its changes marked;
 * with answered, its question (if it has one) answered right, as after
 * pressing the right number in the window. */
static void view_step(View *v, Replay *rp, size_t k, bool answered)
{
    v->pos = replay_step_end(rp, k - 1);
    v->from = rp->steps[k - 1].at;
    v->phase = 1;
    v->answered = 0;
    if (answered) {
        replay_seek(rp, v->pos);
        v->answered = (int)rp->w.nar.answer;
    }
}

typedef struct {
    const char *file, *out;
    const char *lesson;         /* --lesson N: record it first */
    uint64_t step, at;
    float phase;                /* --phase: the animation into the step, 0..1 */
    float map_zoom;             /* --map-zoom: the map pane's rows, 1..4 */
    bool all, has_step, has_at, projector, handout, answered, has_pointer;
    const char *all_by;         /* the option that asked for every step */
    int w, h;
    int px, py;                 /* --pointer: where the pointer rests */
    const char *video;          /* "gif", "mp4" or NULL */
} RenderArgs;

/* An -o pattern may hold one %d (with an optional 0 and width, as in
 * frame-%03d.png) and no other %: it becomes a format string. */
static bool pattern_ok(const char *out)
{
    const char *p = strchr(out, '%');
    if (!p)
        return true;
    p++;
    while (*p >= '0' && *p <= '9')
        p++;
    return *p == 'd' && !strchr(p, '%');
}

/* s as a number from lo to hi, into *out; false if it is not one. */
static bool parse_number(const char *s, double lo, double hi, float *out)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || *end || !(x >= lo && x <= hi))
        return false;
    *out = (float)x;
    return true;
}

/* The options parse_render (below) took one by one, taken together. */
static int render_args_agree(const RenderArgs *a)
{
    if (!a->file && !a->lesson)
        return a->out ? cli_bad_arg("render", "what to draw? give a trace FILE or --lesson N")
                      : cli_usage("render");
    if (a->file && a->lesson)
        return cli_bad_arg("render", "give a trace FILE or --lesson N, not both");
    if (!a->out)
        return cli_bad_arg("render", "-o OUT is missing: the PNG (or pattern) to write");
    if (a->all && (a->has_step || a->has_at))
        return cli_bad_arg("render", "%s draws every step: leave out %s", a->all_by,
                           a->has_step ? "--step" : "--at");
    if (a->has_step && a->has_at)
        return cli_bad_arg("render", "--step and --at: choose one");
    if (a->handout && !a->lesson)
        return cli_bad_arg("render", "--handout needs --lesson N");
    if (a->answered && a->has_at)
        return cli_bad_arg("render", "--answered answers a step's question: use --step K, not --at");
    if (a->has_pointer && (a->px >= a->w || a->py >= a->h))
        return cli_error("--pointer %d,%d is outside the %dx%d frame", a->px, a->py, a->w, a->h);
    if (!pattern_ok(a->out) || (a->handout && strchr(a->out, '%')))
        return cli_error("-o %s: a file name may hold one %%d for the step number "
                         "(as in frame-%%03d.png) and no other %%", a->out);
    return -1;
}

#define RENDER_VALUED "-o --step --at --size --phase --map-zoom --pointer --lesson"

static int parse_render(int argc, char **argv, RenderArgs *a)
{
    memset(a, 0, sizeof *a);
    a->w = 1600, a->h = 900;
    a->phase = a->map_zoom = 1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(s, "-o") && more)
            a->out = argv[++i];
        else if (!strcmp(s, "--step") && more) {
            if (!cli_parse_u64(argv[++i], 1u << 30, &a->step) || a->step == 0)
                return cli_bad_arg("render", "--step: want a step number from 1, got '%s'",
                                   argv[i]);
            a->has_step = true;
        } else if (!strcmp(s, "--at") && more) {
            if (!cli_parse_u64(argv[++i], UINT64_MAX, &a->at))
                return cli_bad_arg("render", "--at: want an event number from 0, got '%s'",
                                   argv[i]);
            a->has_at = true;
        } else if (!strcmp(s, "--size") && more) {
            if (!parse_size(argv[++i], &a->w, &a->h))
                return cli_error("bad --size '%s' (want WxH from %dx%d to 7680x4320, e.g. 1920x1080)",
                                 argv[i], RENDER_MIN_W, RENDER_MIN_H);
        } else if (!strcmp(s, "--phase") && more) {
            if (!parse_number(argv[++i], 0, 1, &a->phase))
                return cli_error("--phase: want a number from 0 to 1, got '%s'", argv[i]);
        } else if (!strcmp(s, "--map-zoom") && more) {
            if (!parse_number(argv[++i], 1, 4, &a->map_zoom))
                return cli_error("--map-zoom: want a number from 1 to 4, got '%s'", argv[i]);
        } else if (!strcmp(s, "--pointer") && more) {
            char c;
            if (sscanf(argv[++i], "%d,%d%c", &a->px, &a->py, &c) != 2 || a->px < 0 || a->py < 0)
                return cli_error("--pointer: want X,Y in pixels of the frame, e.g. 640,300; got '%s'",
                                 argv[i]);
            a->has_pointer = true;
        } else if (!strcmp(s, "--all"))
            a->all = true, a->all_by = s;
        else if (!strcmp(s, "--projector"))
            a->projector = true;
        else if (!strcmp(s, "--answered"))
            a->answered = true;
        else if (!strcmp(s, "--gif") || !strcmp(s, "--mp4"))
            a->video = s + 2, a->all = true, a->all_by = s;
        else if (!strcmp(s, "--lesson") && more)
            a->lesson = argv[++i];
        else if (!strcmp(s, "--handout"))
            a->handout = a->all = true, a->all_by = s;
        else if (s[0] == '-' || a->file)
            return cli_stray("render", s, RENDER_VALUED);
        else
            a->file = s;
    }
    return render_args_agree(a);
}

/* Frame k's file name for --all: OUT with a %d pattern, DIR/step-NNN.png
 * for an OUT ending in /, or OUT-NNN.png. */
static void frame_name(char *buf, size_t n, const char *out, size_t k)
{
    size_t len = strlen(out);
    if (strchr(out, '%'))
        snprintf(buf, n, out, (int)k); /* checked by pattern_ok */
    else if (len && out[len - 1] == '/')
        snprintf(buf, n, "%sstep-%03zu.png", out, k);
    else {
        const char *dot = strrchr(out, '.');
        int stem = dot && !strcmp(dot, ".png") ? (int)(dot - out) : (int)strlen(out);
        snprintf(buf, n, "%.*s-%03zu.png", stem, out, k);
    }
}

static bool have_ffmpeg(void)
{
    return system("command -v ffmpeg >/dev/null 2>&1") == 0;
}

static int render_all(Offscreen *o, Replay *rp, View *v, const RenderArgs *a)
{
    char path[1200], err[256], dir[] = "/tmp/gomemviz-frames-XXXXXX";
    const char *out = a->out;
    if (a->video) {
        if (!have_ffmpeg())
            return cli_error("--%s needs ffmpeg, which is not installed; use --all for PNG frames",
                             a->video);
        if (!mkdtemp(dir))
            return cli_error("cannot make a temporary directory");
        snprintf(path, sizeof path, "%s/f-%%03d.png", dir);
        out = path;
    }
    size_t olen = strlen(out);
    if (!a->video && olen && out[olen - 1] == '/' && cli_make_dir(out) != EXIT_OK)
        return EXIT_USER;
    char pattern[1200];
    snprintf(pattern, sizeof pattern, "%s", out);
    size_t n = rp->nsteps ? rp->nsteps : 1;
    for (size_t k = 1; k <= n; k++) {
        if (rp->nsteps)
            view_step(v, rp, k, a->answered);
        else
            v->pos = rp->nevents;
        offscreen_render(o, rp, v);
        char name[1300];
        frame_name(name, sizeof name, pattern, k);
        if (!offscreen_save(o, name, err, sizeof err))
            return cli_error("%s", err);
        if (!a->video)
            printf("%s\n", name);
    }
    if (!a->video)
        return EXIT_OK;
    char cmd[4000];
    snprintf(cmd, sizeof cmd,
             "ffmpeg -loglevel error -y -framerate 1 -i '%s/f-%%03d.png' %s '%s'", dir,
             !strcmp(a->video, "gif") ? "" : "-pix_fmt yuv420p -vf fps=25", a->out);
    int rc = system(cmd);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "gomemviz: could not remove %s\n", dir);
    return rc == 0 ? (printf("%s\n", a->out), EXIT_OK) : cli_error("ffmpeg failed");
}

static int render_trace(RenderArgs *a);

/* --lesson N: record the lesson into a temporary trace, render it, and for
 * --handout write DIR/step-NNN.png and DIR/README.md. */
static int render_lesson(RenderArgs *a)
{
    const Lesson *l = cli_lesson_arg(a->lesson);
    if (!l)
        return cli_error("no lesson '%s' (see gomemviz lessons)", a->lesson);
    const char *tmpdir = getenv("TMPDIR");
    char tmp[512], frames[1200];
    snprintf(tmp, sizeof tmp, "%s/gomemviz-lesson-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return cli_error("cannot create a temporary file in %s", tmpdir ? tmpdir : "/tmp");
    close(fd);
    int rc = cli_record_lesson(l, tmp);
    const char *dir = a->out;
    if (rc == EXIT_OK && a->handout && (rc = cli_make_dir(dir)) == EXIT_OK) {
        snprintf(frames, sizeof frames, "%s%sstep-%%03d.png", dir, cli_sep(dir));
        a->out = frames;
    }
    a->file = tmp;
    if (rc == EXIT_OK)
        rc = render_trace(a);
    if (rc == EXIT_OK && a->handout)
        rc = cli_write_handout(tmp, dir, l->id);
    remove(tmp);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    RenderArgs a;
    int rc = parse_render(argc, argv, &a);
    if (rc >= 0)
        return rc;
    return a.lesson ? render_lesson(&a) : render_trace(&a);
}

static int render_trace(RenderArgs *a0)
{
    RenderArgs a = *a0;
    int rc;
    Replay rp;
    if ((rc = open_trace(&rp, a.file)) != EXIT_OK)
        return rc;
    Offscreen o;
    char err[256];
    if (!offscreen_init(&o, a.w, a.h, err, sizeof err)) {
        replay_close(&rp);
        return cli_error("%s", err);
    }
    View v;
    view_defaults(&v);
    v.name = a.file;
    v.palette = a.projector ? PALETTE_PROJECTOR : PALETTE_SCREEN;
    v.text_scale = a.projector ? PROJECTOR_TEXT_SCALE : 1; /* as P in the window */
    v.pos = v.from = rp.nevents;
    if (a.has_pointer) /* its details box, as in the window */
        v.hover_x = a.px, v.hover_y = a.py;
    v.map_zoom = a.map_zoom; /* as the wheel over the map pane */
    v.still = true;          /* a PNG: no "drag the pane" or "wheel" hints */
    rc = EXIT_OK;
    if (a.all)
        rc = render_all(&o, &rp, &v, &a);
    else {
        if (a.has_step && a.step > rp.nsteps)
            rc = cli_error("--step %llu: the trace has %zu steps", (unsigned long long)a.step,
                           rp.nsteps);
        else if (a.has_step) {
            view_step(&v, &rp, a.step, a.answered);
            v.phase = a.phase;
        }
        else if (a.has_at && a.at > rp.nevents)
            rc = cli_error("--at %llu: the trace has %llu events", (unsigned long long)a.at,
                           (unsigned long long)rp.nevents);
        else if (a.has_at)
            v.pos = v.from = a.at;
        if (rc == EXIT_OK) {
            offscreen_render(&o, &rp, &v);
            if (!offscreen_save(&o, a.out, err, sizeof err))
                rc = cli_error("%s", err);
        }
    }
    offscreen_free(&o);
    replay_close(&rp);
    return rc;
}

int cmd_play(int argc, char **argv)
{
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' || file)
            return cli_stray("play", argv[i], "");
        file = argv[i];
    }
    if (!file)
        return cli_usage("play");
    Replay rp;
    int rc = open_trace(&rp, file);
    if (rc != EXIT_OK)
        return rc;
    char err[256];
    rc = app_run(&rp, file, NULL, err, sizeof err) ? EXIT_OK : cli_error("%s", err);
    replay_close(&rp);
    return rc;
}

/* PgUp/PgDn in a lesson: record the neighbouring lesson next to the first
 * trace (one file per lesson, so the open mapping is never overwritten). */
typedef struct {
    unsigned id;
    char dir[900];
} LessonNav;

static bool lesson_go(void *ctx, int delta, char *path, size_t pathsize, char *msg,
                      size_t msgsize)
{
    LessonNav *nav = ctx;
    const Lesson *l = NULL;
    for (int id = (int)nav->id + delta; id >= 1 && id <= 99 && !l; id += delta)
        l = lesson_find((unsigned)id);
    if (!l) {
        snprintf(msg, msgsize, delta > 0 ? "this is the last lesson" : "this is the first lesson");
        return false;
    }
    snprintf(path, pathsize, "%s/gomemviz-lesson%02u.gmvt", nav->dir, l->id);
    LessonResult res;
    if (lesson_record(l, path, &res) < 0) {
        snprintf(msg, msgsize, "cannot write %s", path);
        return false;
    }
    nav->id = l->id;
    snprintf(msg, msgsize, "Lesson %u: %s", l->id, l->title);
    return true;
}

int cli_play_lesson(const Lesson *l, const char *path)
{
    Replay rp;
    int rc = open_trace(&rp, path);
    if (rc != EXIT_OK)
        return rc;
    LessonNav nav = {l->id, "."};
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(nav.dir, sizeof nav.dir, "%.*s", (int)(slash - path), path);
    AppLessons lessons = {&nav, lesson_go};
    char err[256], title[160];
    snprintf(title, sizeof title, "Lesson %u: %s", l->id, l->title);
    rc = app_run(&rp, title, &lessons, err, sizeof err) ? EXIT_OK : cli_error("%s", err);
    replay_close(&rp);
    return rc;
}

#endif
