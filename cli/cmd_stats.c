/*
 * cmd_stats.c — `gomemviz stats`: what a trace contains, in numbers.
 *
 * Every figure is a sum over recorded events; nothing is re-derived from the
 * model.  Invariant: mallocs and bytes follow MemStats' rules: a tiny
 * sub-allocation counts as a malloc of 0 bytes, the 16-byte tiny block it
 * lands in counts its bytes once; stack and arena objects are not mallocs.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "c2c_report.h"
#include "sizeclass.h"
#include "trace_read.h"

int cli_open_trace(TraceReader *r, const char *path);
int cli_finish_trace(TraceReader *r, const char *path);

typedef struct {
    uint64_t per_type[EV_COUNT];
    uint64_t class_count[SC_NUM_CLASSES], class_bytes[SC_NUM_CLASSES];
    uint64_t tiny, mallocs, bytes, live, peak, frees, freed_bytes, gcs;
    uint64_t stack_objs, arena_objs, events;
} Stats;

static void count_alloc(Stats *s, const Event *e)
{
    uint64_t rounded = e->f[2], class = e->f[3], kind = e->f[5], space = e->f[6];
    if (space == SPACE_STACK || space == SPACE_STATIC) {
        s->stack_objs++;
        return;
    }
    if (space == SPACE_ARENA) {
        s->arena_objs++;
        return;
    }
    if (space == SPACE_TINY)
        s->tiny++;
    else if (class < SC_NUM_CLASSES) {
        s->class_count[class]++;
        s->class_bytes[class] += rounded;
    }
    s->mallocs += kind != OBJ_TINY_BLOCK;
    s->bytes += rounded;
    s->live += rounded;
    if (s->live > s->peak)
        s->peak = s->live;
}

static void count(Stats *s, const Event *e)
{
    s->events++;
    s->per_type[e->type]++;
    if (e->type == EV_ALLOC)
        count_alloc(s, e);
    else if (e->type == EV_FREE) {
        s->frees++;
        s->freed_bytes += e->f[1];
        s->live -= e->f[1] <= s->live ? e->f[1] : s->live;
    } else if (e->type == EV_GC)
        s->gcs++;
}

static void print_text(const Stats *s, const TraceReader *r)
{
    printf("trace: %llu events, %u cores, %u-byte lines\n", (unsigned long long)s->events,
           r->params.ncores, r->params.line_size);
    printf("heap: %llu mallocs (%llu tiny), %llu bytes allocated, %llu frees, "
           "%llu GC cycles, peak %llu bytes live\n",
           (unsigned long long)s->mallocs, (unsigned long long)s->tiny,
           (unsigned long long)s->bytes, (unsigned long long)s->frees,
           (unsigned long long)s->gcs, (unsigned long long)s->peak);
    printf("stack/arena objects: %llu / %llu\n", (unsigned long long)s->stack_objs,
           (unsigned long long)s->arena_objs);
    printf("\nallocations by size class:\n  class   size   count      bytes\n");
    for (unsigned c = 0; c < SC_NUM_CLASSES; c++)
        if (s->class_count[c])
        {
            char size[16];
            snprintf(size, sizeof size, "%u", sizeclass_size(c));
            printf("  %5u %6s %7llu %10llu\n", c, c ? size : "large",
                   (unsigned long long)s->class_count[c],
                   (unsigned long long)s->class_bytes[c]);
        }
    printf("\nevents by type:\n");
    for (unsigned t = 0; t < EV_COUNT; t++)
        if (s->per_type[t])
            printf("  %-16s %10llu\n", event_info(t)->name, (unsigned long long)s->per_type[t]);
}

static void print_json(const Stats *s, const TraceReader *r)
{
    printf("{\"events\":%llu,\"cores\":%u,\"mallocs\":%llu,\"tiny\":%llu,\"bytes\":%llu,"
           "\"frees\":%llu,\"freed_bytes\":%llu,\"gc_cycles\":%llu,\"peak_bytes\":%llu,",
           (unsigned long long)s->events, r->params.ncores, (unsigned long long)s->mallocs,
           (unsigned long long)s->tiny, (unsigned long long)s->bytes,
           (unsigned long long)s->frees, (unsigned long long)s->freed_bytes,
           (unsigned long long)s->gcs, (unsigned long long)s->peak);
    printf("\"by_class\":[");
    const char *sep = "";
    for (unsigned c = 0; c < SC_NUM_CLASSES; c++)
        if (s->class_count[c]) {
            printf("%s{\"class\":%u,\"size\":%u,\"count\":%llu,\"bytes\":%llu}", sep, c,
                   c ? sizeclass_size(c) : 0, (unsigned long long)s->class_count[c],
                   (unsigned long long)s->class_bytes[c]);
            sep = ",";
        }
    printf("],\"by_type\":{");
    sep = "";
    for (unsigned t = 0; t < EV_COUNT; t++)
        if (s->per_type[t]) {
            printf("%s\"%s\":%llu", sep, event_info(t)->name, (unsigned long long)s->per_type[t]);
            sep = ",";
        }
    printf("}");
}

int cmd_stats(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (argv[i][0] == '-' || path)
            return cli_stray("stats", argv[i], "");
        else
            path = argv[i];
    }
    if (!path)
        return cli_usage("stats");
    TraceReader r;
    if (cli_open_trace(&r, path) != 0)
        return EXIT_USER;
    static Stats s;
    memset(&s, 0, sizeof s);
    C2cReport con;
    c2c_init(&con, r.params.line_size, r.params.ncores);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    while (trace_cursor_next(&c, &e)) {
        count(&s, &e);
        c2c_add(&con, &r, &e);
    }
    trace_cursor_free(&c);
    if (json) {
        print_json(&s, &r);
        printf(",\"contended_lines\":");
        c2c_print_json(&con, &r, stdout, 10);
        printf("}\n");
    } else {
        print_text(&s, &r);
        c2c_print_text(&con, &r, stdout, 10);
    }
    c2c_free(&con);
    return cli_finish_trace(&r, path);
}
