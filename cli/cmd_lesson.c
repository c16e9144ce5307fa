/*
 * cmd_lesson.c — `gomemviz lessons` and `gomemviz lesson N`.
 *
 * Invariant: a lesson whose claims fail still writes its trace (so it can be
 * inspected) but exits 1 naming the first failed claim.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_lesson.h"

int cmd_lessons(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("lessons");
    for (const Lesson *const *l = lesson_all(); *l; l++)
        printf("%2u  %-22s %s\n", (*l)->id, (*l)->slug, (*l)->title);
    return EXIT_OK;
}

/* Parse a lesson number or slug. */
const Lesson *cli_lesson_arg(const char *arg)
{
    uint64_t id;
    if (cli_parse_u64(arg, 1000, &id))
        return lesson_find((unsigned)id);
    for (const Lesson *const *l = lesson_all(); *l; l++)
        if (!strcmp((*l)->slug, arg))
            return *l;
    return NULL;
}

/* Record a lesson to path; prints a one-line error and returns non-zero on
 * failure. */
int cli_record_lesson(const Lesson *l, const char *path)
{
    LessonResult res;
    int rc = lesson_record(l, path, &res);
    if (rc < 0)
        return cli_error("cannot write %s: %s", path, strerror(errno));
    if (rc > 0)
        return cli_error("lesson %u: %u of %u claims failed; first: %s", l->id,
                         res.failed, res.claims, res.first_failure);
    return EXIT_OK;
}

int cmd_lesson(int argc, char **argv)
{
    const char *arg = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] == '-' || arg)
            return cli_usage("lesson");
        else
            arg = argv[i];
    }
    if (!arg)
        return cli_usage("lesson");
    const Lesson *l = cli_lesson_arg(arg);
    if (!l)
        return cli_error("no lesson '%s' (see gomemviz lessons)", arg);
    char path[64];
    if (!out) {
        snprintf(path, sizeof path, "gomemviz-lesson%02u.gmvt", l->id);
        out = path;
    }
    int rc = cli_record_lesson(l, out);
    if (rc != EXIT_OK)
        return rc;
#ifdef GMV_HAVE_VIEWER
    const char *d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    if ((d && *d) || (w && *w))
        return cli_play_lesson(l, out);
#endif
    return cli_show_trace(out);
}

int cli_show_trace(const char *path)
{
#ifdef GMV_HAVE_VIEWER
    const char *d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    if ((d && *d) || (w && *w)) {
        char *argv[] = {"play", (char *)path, NULL};
        return cmd_play(2, argv);
    }
#endif
    printf("trace written to %s; no display to show it on.\n"
           "  look at it:  gomemviz render %s --all -o frames/   (PNG per step)\n"
           "               gomemviz dump %s | less\n", path, path, path);
    return EXIT_OK;
}
