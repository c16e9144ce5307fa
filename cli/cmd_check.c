/*
 * cmd_check.c — `gomemviz check FILE`: does the viewer understand every
 * event of a trace?  For traces written by something other than the
 * recorder (a converter from a real program, a hand-made example), and for
 * the recorder itself.
 *
 * It replays the trace into the viewer's World, as `play` does, and counts
 * the events the World had to ignore (a FREE of an address nothing was
 * allocated at, a slot write to a map it never saw made, ...) by type, with
 * the first of each; then it reports damage as the reader found it.
 *
 * Invariant: exit 0 only if the trace is whole and the World ignored no
 * event; the report names each problem with an event number `dump --from`
 * can show.  Needs the viewer's World (GMV_HAVE_VIEWER).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "trace_read.h"

int cli_open_trace(TraceReader *r, const char *path);

#ifndef GMV_HAVE_VIEWER
int cmd_check(int argc, char **argv)
{
    (void)argc, (void)argv;
    return cli_error("this gomemviz was built without the viewer (GMV_WITH_VIEWER=OFF)");
}
#else

#include "world.h"

typedef struct {
    uint64_t count[EV_COUNT];
    Event first[EV_COUNT];     /* the first ignored event of each type */
    uint64_t events, ignored;
} Ignored;

static void replay(TraceReader *r, Ignored *ig)
{
    World w;
    world_init(&w, &r->params);
    TraceCursor c;
    trace_cursor_init(&c, r);
    Event e;
    while (trace_cursor_next(&c, &e)) {
        uint64_t before = w.c.ignored;
        world_apply(&w, &e);
        ig->events++;
        if (w.c.ignored == before)
            continue;
        if (ig->count[e.type]++ == 0)
            ig->first[e.type] = e;
        ig->ignored++;
    }
    trace_cursor_free(&c);
    world_free(&w);
}

static void report(const TraceReader *r, const char *path, const Ignored *ig)
{
    printf("%s: %llu events, trace format v%u\n", path, (unsigned long long)ig->events,
           r->version);
    if (!ig->ignored) {
        printf("  the viewer applies every event\n");
        return;
    }
    printf("  the viewer ignores %llu event%s; the first of each type:\n",
           (unsigned long long)ig->ignored, ig->ignored == 1 ? "" : "s");
    char line[512];
    for (int t = 0; t < EV_COUNT; t++) {
        if (!ig->count[t])
            continue;
        trace_format_event(r, &ig->first[t], line, sizeof line);
        printf("  %llu x %s, first: %s\n", (unsigned long long)ig->count[t],
               event_info((unsigned)t)->name, line);
    }
}

int cmd_check(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage("check");
    const char *path = argv[1];
    TraceReader r;
    if (cli_open_trace(&r, path) != 0)
        return EXIT_USER;
    static Ignored ig;
    memset(&ig, 0, sizeof ig);
    replay(&r, &ig);
    report(&r, path, &ig);
    int rc = ig.ignored ? EXIT_USER : EXIT_OK;
    if (r.status != TRACE_OK) { /* truncated or damaged: what was read is above */
        printf("  and the file is %s\n", r.message);
        rc = EXIT_USER;
    }
    trace_close(&r);
    return rc;
}
#endif
