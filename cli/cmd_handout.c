/*
 * cmd_handout.c — `render --lesson N --handout -o DIR`: a Markdown handout
 * with one PNG per step and the step's narration, questions and checks.
 *
 * The words come from the trace (STEP, NARRATE, QUESTION, CLAIM,
 * LESSON_BEGIN events), read with the trace reader; the pictures come from
 * the viewer's renderer (cmd_render --all).  Invariant: the handout shows
 * only what the trace recorded, so it matches what the viewer shows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "trace_read.h"

/* Markdown-safe enough for our own narration: one paragraph per line. */
static void put_para(FILE *f, const char *s)
{
    fprintf(f, "%s\n\n", s);
}

static void put_question(FILE *f, const char *text, const char *choices, uint64_t answer)
{
    const char *nl = strchr(text, '\n');
    int qlen = nl ? (int)(nl - text) : (int)strlen(text);
    fprintf(f, "> **Predict:** %.*s\n>\n", qlen, text);
    unsigned k = 1;
    for (const char *p = choices; *p; k++) {
        size_t n = strcspn(p, "\n");
        fprintf(f, "> %u. %.*s\n", k, (int)n, p);
        p += n + (p[n] == '\n');
    }
    fprintf(f, ">\n> <details><summary>Answer</summary>%llu. %s</details>\n\n",
            (unsigned long long)answer, nl ? nl + 1 : "");
}

static void put_event(FILE *f, const TraceReader *r, const Event *e)
{
    switch (e->type) {
    case EV_LESSON_BEGIN:
        fprintf(f, "# Lesson %llu: %s\n\n```go\n%s```\n\n", (unsigned long long)e->f[0],
                trace_string(r, e->f[1]), trace_string(r, e->f[2]));
        break;
    case EV_STEP:
        fprintf(f, "## Step %llu: %s\n\n![step %llu](step-%03llu.png)\n\n",
                (unsigned long long)e->f[0], trace_string(r, e->f[1]),
                (unsigned long long)e->f[0], (unsigned long long)e->f[0]);
        break;
    case EV_NARRATE:
        put_para(f, trace_string(r, e->f[0]));
        break;
    case EV_QUESTION:
        put_question(f, trace_string(r, e->f[0]), trace_string(r, e->f[1]), e->f[2]);
        break;
    case EV_CLAIM:
        fprintf(f, "- %s checked: %s\n\n", e->f[1] ? "✔" : "✘ FAILED", trace_string(r, e->f[0]));
        break;
    default:
        break;
    }
}

/* Write DIR/README.md for the trace at path. */
int cli_write_handout(const char *trace, const char *dir, unsigned lesson)
{
    TraceReader r;
    if (trace_open(&r, trace) != TRACE_OK) {
        int rc = cli_error("%s", r.message);
        trace_close(&r);
        return rc;
    }
    char path[1200];
    snprintf(path, sizeof path, "%s%sREADME.md", dir, cli_sep(dir));
    FILE *f = fopen(path, "w");
    if (!f) {
        trace_close(&r);
        return cli_error("cannot write %s: %s", path, strerror(errno));
    }
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    while (trace_cursor_next(&c, &e))
        put_event(f, &r, &e);
    trace_cursor_free(&c);
    fprintf(f, "---\nMade by `gomemviz render --lesson %u --handout -o DIR` from the model's "
               "own trace.\n", lesson);
    int rc = fclose(f) == 0 ? EXIT_OK : cli_error("writing %s failed", path);
    trace_close(&r);
    if (rc == EXIT_OK)
        printf("%s\n", path);
    return rc;
}

const char *cli_sep(const char *dir)
{
    size_t n = strlen(dir);
    return n && dir[n - 1] == '/' ? "" : "/";
}

int cli_make_dir(const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cli_error("cannot create %s: %s", dir, strerror(errno));
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_error("%s is not a directory", dir);
    return EXIT_OK;
}
