/*
 * main.c — `gomemviz`, subcommands in the style of git.
 *
 * Invariant: every path out of main returns 0, 1 or 2 (cli.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scenario.h"
#include "trace_read.h"

#ifndef GMV_VERSION
#define GMV_VERSION "0.1.0"
#endif

static const Command commands[] = {
    {"record", cmd_record, "record SCENARIO -o FILE [--cores N] [--cache] | record --list",
     "Run a built-in scenario on the simulated machine and write its trace.\n"
     "  --list     list the scenarios\n"
     "  -o FILE    where to write the trace (.gmvt)\n"
     "  --cores N  number of cores (1-8; default: the scenario's)\n"
     "  --cache    simulate caches and MESI even if the scenario does not"},
    {"keyframes", cmd_keyframes, "keyframes FILE",
     "Index a trace once and write its keyframes beside it, FILE.keyframes:\n"
     "play and render then open it without the index pass (for big traces:\n"
     "10 M events index in about 0.6 s, and load with their keyframes in 0.1).\n"
     "The file is only used while it fits the trace's bytes and this build;\n"
     "otherwise the viewer says why, indexes the trace as before, and this\n"
     "command makes it again."},
    {"dump", cmd_dump, "dump FILE [--from N] [--count N]",
     "Print one readable line per event of a trace."},
    {"stats", cmd_stats, "stats FILE [--json]",
     "Summarise a trace: events per type, allocations and bytes per size class,\n"
     "peak heap, and the most contended cache lines: each core's bytes of\n"
     "the line, written and only read, with the fields on them.  --json\n"
     "gives the same, the bytes as masks (bit i: byte i of the line)."},
    {"check", cmd_check, "check FILE",
     "Replay a trace into the viewer's World and report the events it has to\n"
     "ignore (a free of an address nothing was allocated at, a write to a map\n"
     "it never saw made, ...), the first of each type, and any damage.  Exits\n"
     "0 only if the trace is whole and every event applies."},
    {"probe", cmd_probe, "probe WHAT [ARGS...]",
     "Print model facts as JSON lines, for differential tests against Go 1.19.\n"
     "  sizeclass N [N...]                      what mallocgc rounds N bytes up to\n"
     "  slice-append --elem-size S --count N    cap after each append of one\n"
     "  slice-bulk --elem-size S --len L --cap C --add K   one append of K\n"
     "  map-layout --key-size K --elem-size E   bucket layout, indirect key/elem\n"
     "  map-hint --key-size K --elem-size E --hint H   B and buckets of make(map, H)\n"
     "  map-insert --key-size K --elem-size E --count N   B and growth per insert\n"
     "  syncmap --script \"store K; load K; delete K; loadorstore K;\n"
     "            loadanddelete K; range\"       read/dirty/misses after each op\n"
     "  allocs --case NAME                      allocations and bytes per op\n"
     "                                          (an unknown NAME lists the cases)"},
    {"play", cmd_play, "play FILE",
     "Open a trace in the viewer window.  Needs a display; see `render` for\n"
     "headless use.  Press ? in the window for the controls."},
    {"render", cmd_render,
     "render (FILE | --lesson N) [--step K | --at N | --all | --handout] [--answered] [--size WxH] [--projector] [--pointer X,Y] [--map-zoom Z] [--gif | --mp4] -o OUT",
     "Draw viewer frames without a display, with the window's renderer.\n"
     "  --lesson N   record lesson N (see `gomemviz lessons`) and render it\n"
     "  --handout    with --lesson: OUT is a directory; write one PNG per step\n"
     "               and README.md with the step's narration, questions, checks\n"
     "               (to print: --size 1240x1754 --projector, an A4 page at 150\n"
     "               dpi, light, where a growing map's every slot reads)\n"
     "  --step K     the state at the end of lesson step K (changes marked)\n"
     "  --at N       the state before event N\n"
     "  --phase F    with --step: the animation into the step, 0 to 1 (default 1)\n"
     "  --answered   with --step or --all: each step's question answered right,\n"
     "               its explanation shown (as after pressing the right number)\n"
     "  --all        one PNG per step: OUT-001.png ... (or OUT with a %d)\n"
     "  --size WxH   frame size (default 1600x900)\n"
     "  --projector  the projector preset, as P in the window: larger text,\n"
     "               the light, colour-blind-safe palette\n"
     "  --pointer X,Y  the pointer at pixel X,Y: the details of what is under it\n"
     "  --map-zoom Z   the map pane's bucket rows Z times taller (1 to 4), as the\n"
     "               wheel in the window: slots too short to read show their keys\n"
     "  --gif/--mp4  encode the steps with ffmpeg (when installed)"},
    {"lessons", cmd_lessons, "lessons",
     "List the lessons: the article's chapters as step-through lessons."},
    {"lesson", cmd_lesson, "lesson N [-o FILE]",
     "Record lesson N (a number or a name from `gomemviz lessons`) and open it\n"
     "in the viewer; without a display, say where the trace is.  Exits 1 if one\n"
     "of the lesson's claims does not hold."},
    {"bench", cmd_bench, "bench [trace | read FILE | machine | syncmap | viewer [FILE]] [--events N] [--passes K]",
     "Benchmarks; docs/benchmarks.md has the figures measured so far.\n"
     "  trace          trace writer and reader on N mixed events (default 10M)\n"
     "  read FILE      open and decode speed on a recorded trace\n"
     "  machine        N accesses through caches and recorder\n"
     "  syncmap        sync.Map against its alternatives on the model\n"
     "  viewer [FILE]  load, seek, 1920x1080 frame time and memory of the viewer\n"
     "                 on FILE, or on N generated mixed events\n"
     "  --passes K     trace: time each part K times, report the fastest (3)"},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static const Command *find(const char *name)
{
    for (unsigned i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gomemviz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_USER;
}

int cli_usage(const char *name)
{
    const Command *c = find(name);
    fprintf(stderr, "usage: gomemviz %s\n", c ? c->usage : name);
    return EXIT_USAGE;
}

int cli_bad_arg(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gomemviz %s: ", name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see gomemviz %s --help)\n", name);
    va_end(ap);
    return EXIT_USAGE;
}

/* Is opt one of the space-separated words of list? */
static bool listed(const char *list, const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = strstr(list, opt); p; p = strstr(p + 1, opt))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

int cli_stray(const char *name, const char *arg, const char *valued)
{
    if (listed(valued, arg))
        return cli_bad_arg(name, "%s needs a value", arg);
    if (arg[0] == '-' && arg[1])
        return cli_bad_arg(name, "unknown option '%s'", arg);
    return cli_bad_arg(name, "unexpected '%s'", arg);
}

int cli_help(const char *name)
{
    const Command *c = find(name);
    printf("usage: gomemviz %s\n\n%s\n", c->usage, c->help);
    return EXIT_OK;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return true;
    return false;
}

bool cli_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v > max)
        return false;
    *out = v;
    return true;
}

static void usage_all(FILE *f)
{
    fputs("usage: gomemviz COMMAND [ARGS...]\n\n"
          "gomemviz shows how Go 1.19 lays out memory: slices, maps, sync.Map,\n"
          "on a simulated machine with stacks, a Go-style heap and MESI caches.\n\n"
          "commands:\n", f);
    for (unsigned i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  gomemviz %s\n", commands[i].usage);
    fputs("\n`gomemviz COMMAND --help` explains a command.\n", f);
}

/* With no arguments: lesson 1 in the viewer when there is a display;
 * otherwise record the default scenario, summarise it and say where the
 * trace is. */
static int default_job(void)
{
#ifdef GMV_HAVE_VIEWER
    const char *d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    if ((d && *d) || (w && *w)) {
        char *argv[] = {"lesson", "1", NULL};
        return cmd_lesson(2, argv);
    }
#endif
    const char *path = "gomemviz-basics.gmvt";
    char *rec[] = {"record", (char *)scenario_all()[0]->name, "-o", (char *)path, NULL};
    int rc = cmd_record(4, rec);
    if (rc)
        return rc;
    char *st[] = {"stats", (char *)path, NULL};
    rc = cmd_stats(2, st);
    printf("\ntrace written to %s (try: gomemviz dump %s)\n", path, path);
    printf("no display: the lessons render headless too, e.g.\n"
           "  gomemviz render --lesson 1 --handout -o lesson1/   (PNG per step + README.md)\n");
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return default_job();
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (argc > 2 && find(argv[2]))
            return cli_help(argv[2]);
        usage_all(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("gomemviz %s (models Go 1.19; trace format v%d)\n", GMV_VERSION, TRACE_VERSION);
        return EXIT_OK;
    }
    const Command *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "gomemviz: unknown command '%s'\n", argv[1]);
        usage_all(stderr);
        return EXIT_USAGE;
    }
    if (cli_wants_help(argc - 1, argv + 1))
        return cli_help(c->name);
    return c->run(argc - 1, argv + 1);
}
