/*
 * cmd_keyframes.c — `gomemviz keyframes FILE`: index a trace once and keep
 * its keyframes beside it (FILE.keyframes, viz/keyframes_file.h), so that
 * play and render open it without the index pass.
 *
 * Invariant: a keyframes file appears whole or not at all (keyframes_save
 * renames a finished temporary file), and only for a trace that opened.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef GMV_HAVE_VIEWER
static int write_keyframes(const char *trace)
{
    (void)trace;
    return cli_error("this gomemviz was built without the viewer (GMV_WITH_VIEWER=OFF)");
}
#else
#include "keyframes_file.h"

static int write_keyframes(const char *trace)
{
    char path[4096], err[300];
    if (!keyframes_path(trace, path, sizeof path))
        return cli_error("%s: path too long", trace);
    Replay rp;
    replay_open(&rp, trace, NULL);
    if (!rp.usable) {
        int rc = cli_trace_error(trace, rp.message, rp.status == TRACE_IO_ERROR);
        replay_close(&rp);
        return rc;
    }
    int rc = keyframes_save(&rp, path, err, sizeof err);
    if (rc == 0)
        printf("keyframes of %s -> %s: %zu keyframe%s for %llu events, indexed in %.2f s\n",
               trace, path, rp.nkf, rp.nkf == 1 ? "" : "s", (unsigned long long)rp.nevents,
               rp.load_seconds);
    replay_close(&rp);
    return rc == 0 ? EXIT_OK : cli_error("%s", err);
}
#endif

int cmd_keyframes(int argc, char **argv)
{
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' || file)
            return cli_stray("keyframes", argv[i], "");
        file = argv[i];
    }
    if (!file)
        return cli_usage("keyframes");
    return write_keyframes(file);
}
