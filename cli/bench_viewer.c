/*
 * bench_viewer.c — `gomemviz bench viewer [FILE]`: what the viewer costs on
 * a big trace (issue 6's targets: load >= 50M events/s, seek <= 10 ms,
 * frame <= 16 ms p99 at 1920x1080 in software, memory <= 3x the file).
 *
 * Without FILE it records N events of the mixed stream `bench trace` uses.
 * Seeks and frames go to fixed-seed random positions, so runs compare.
 * Then the window's way in is timed too: a lazy open (replay.h), its first
 * frame, and indexing the rest, which the window does between frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_mix.h"
#include "cli.h"

#ifdef GMV_HAVE_VIEWER
#include "keyframes_file.h"
#include "offscreen.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 17;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* What `play` does: open lazily, show the first step, index the rest. */
static void bench_lazy(const char *path)
{
    Replay rp;
    ReplayOptions lazy = {.lazy = true};
    double t0 = now();
    replay_open(&rp, path, &lazy);
    double open = now() - t0;
    Offscreen o;
    char err[256];
    double first = -1;
    if (rp.usable && offscreen_init(&o, 1920, 1080, err, sizeof err)) {
        View v;
        view_defaults(&v);
        v.name = path;
        v.pos = v.from = rp.nsteps ? replay_step_end(&rp, 0) : 0;
        offscreen_render(&o, &rp, &v);
        first = now() - t0;
        offscreen_free(&o);
    }
    double t1 = now();
    replay_index_to(&rp, rp.nevents);
    double rest = now() - t1;
    printf("  lazy open (validate, steps and panes; what `play` does without a keyframes file): %.3f s = %.1f million events/s\n",
           open, rp.nevents / open / 1e6);
    if (first >= 0 && rest >= 0.001)
        printf("    its first frame on screen after %.3f s; the rest indexed in %.2f s more (%.1f M/s),\n"
               "    between frames; until then a seek past the indexed part waits for it\n",
               first, rest, rp.nevents / rest / 1e6);
    else if (first >= 0) /* a small trace: a rate over no time says nothing */
        printf("    its first frame on screen after %.3f s; the rest indexed in under 1 ms\n", first);
    replay_close(&rp);
}

/* The index pass, timed, and the keyframes file it leaves at kf; false if
 * the trace cannot be shown (said why). */
static bool bench_index(const char *path, const char *kf, off_t size)
{
    Replay rp;
    double t0 = now();
    replay_open(&rp, path, NULL);
    double load = now() - t0;
    if (!rp.usable) { /* the message first: closing clears it */
        cli_trace_error(path, rp.message, rp.status == TRACE_IO_ERROR);
        replay_close(&rp);
        return false;
    }
    printf("viewer bench: %s, %llu events, %.1f MiB (%.2f bytes/event)\n", path,
           (unsigned long long)rp.nevents, size / 1048576.0,
           rp.nevents ? (double)size / rp.nevents : 0);
    printf("  index pass (validate + replay + keyframes; a trace without a keyframes file):\n"
           "    %.2f s = %.1f million events/s\n", load, rp.nevents / load / 1e6);
    char err[300];
    t0 = now();
    if (keyframes_save(&rp, kf, err, sizeof err) != 0)
        fprintf(stderr, "gomemviz: %s\n", err);
    struct stat ks;
    if (stat(kf, &ks) == 0)
        printf("  its keyframes file written in %.2f s: %.1f MiB (%.2fx the trace)\n", now() - t0,
               ks.st_size / 1048576.0, (double)ks.st_size / size);
    replay_close(&rp);
    return true;
}

int bench_viewer(const char *file, uint64_t n)
{
    const char *path = file ? file : "/tmp/gomemviz-bench-viewer.gmvt";
    if (!file) {
        Tracer t;
        if (tracer_open(&t, path, NULL) != 0)
            return cli_error("cannot write %s", path);
        bench_emit_mix(&t, n);
        if (tracer_close(&t) != 0)
            return cli_error("writing %s failed", path);
    }
    long rss0 = peak_rss_kib();
    struct stat st;
    if (stat(path, &st) != 0)
        return cli_error("cannot open %s", path);
    /* Beside a trace the bench made; never beside the user's own. */
    char kf[4096];
    if (!keyframes_path(file ? "/tmp/gomemviz-bench-viewer" : path, kf, sizeof kf))
        return cli_error("%s: path too long", path);
    if (!bench_index(path, kf, st.st_size))
        return EXIT_USER;
    Replay rp;
    ReplayOptions with = {.keyframes = kf};
    double t0 = now();
    replay_open(&rp, path, &with);
    double load = now() - t0;
    printf("  load with its keyframes file (validate + read keyframes): %.3f s = %.1f million events/s   [target >= 50]\n",
           load, rp.nevents / load / 1e6);
    if (!rp.from_file)
        printf("    (the keyframes file was not used: %s; the index pass ran)\n", rp.kf_note);
    enum { NSEEK = 400, NFRAME = 60 };
    double seeks[NSEEK], frames[NFRAME];
    uint64_t seed = 42;
    for (int i = 0; i < NSEEK; i++) {
        uint64_t p = next(&seed) % (rp.nevents + 1);
        t0 = now();
        replay_seek(&rp, p);
        seeks[i] = now() - t0;
    }
    Offscreen o;
    char err[256];
    int nf = 0;
    if (offscreen_init(&o, 1920, 1080, err, sizeof err)) {
        View v;
        view_defaults(&v);
        v.name = path;
        for (; nf < NFRAME; nf++) {
            v.pos = v.from = next(&seed) % (rp.nevents + 1);
            replay_seek(&rp, v.pos);
            t0 = now();
            offscreen_render(&o, &rp, &v);
            frames[nf] = now() - t0;
        }
        offscreen_free(&o);
    } else {
        fprintf(stderr, "gomemviz: frames not measured: %s\n", err);
    }
    long rss = peak_rss_kib();
    printf("  keyframes: %zu, every %llu events, %.1f MiB; World now %.1f MiB\n", rp.nkf,
           (unsigned long long)rp.interval, rp.kf_bytes / 1048576.0,
           world_bytes(&rp.w) / 1048576.0);
    double smed = pct(seeks, NSEEK, 0.5), s99 = pct(seeks, NSEEK, 0.99);
    printf("  seek to random positions: median %.2f ms, p99 %.2f ms   [target <= 10]\n",
           smed * 1e3, s99 * 1e3);
    if (nf)
        printf("  frame 1920x1080 software: median %.2f ms, p99 %.2f ms   [target <= 16 p99]\n",
               pct(frames, nf, 0.5) * 1e3, pct(frames, nf, 0.99) * 1e3);
    printf("  peak RSS: %.1f MiB = %.2fx the file (%.1f MiB before opening it)   [target <= 3x]\n",
           rss / 1024.0, rss * 1024.0 / st.st_size, rss0 / 1024.0);
    replay_close(&rp);
    remove(kf);
    bench_lazy(path);
    if (!file)
        remove(path);
    return EXIT_OK;
}
#endif
