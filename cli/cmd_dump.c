/*
 * cmd_dump.c — `gomemviz dump`: one line per event.
 *
 * Invariant: damaged input never stops the output of what was readable
 * before it; the reader's message is the last line, on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "trace_read.h"

int cli_trace_error(const char *path, const char *message, bool io_error)
{
    return io_error ? cli_error("%s", message) : cli_error("%s: %s", path, message);
}

/* Shared by dump and stats: open, report I/O errors; 0 on success. */
int cli_open_trace(TraceReader *r, const char *path)
{
    if (trace_open(r, path) == TRACE_IO_ERROR) {
        cli_error("%s", r->message);
        return -1;
    }
    if (r->status == TRACE_DAMAGED && r->nchunks == 0 && r->nstrs <= 1) {
        cli_error("%s: %s", path, r->message);
        trace_close(r);
        return -1;
    }
    return 0;
}

/* After reading: report truncation (exit 0) or damage (exit 1). */
int cli_finish_trace(TraceReader *r, const char *path)
{
    int rc = EXIT_OK;
    if (r->status == TRACE_TRUNCATED)
        fprintf(stderr, "gomemviz: warning: %s: %s\n", path, r->message);
    else if (r->status == TRACE_DAMAGED)
        rc = cli_error("%s: %s", path, r->message);
    trace_close(r);
    return rc;
}

int cmd_dump(int argc, char **argv)
{
    const char *path = NULL;
    uint64_t from = 0, count = UINT64_MAX;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--from") && i + 1 < argc) {
            if (!cli_parse_u64(argv[++i], UINT64_MAX, &from))
                return cli_bad_arg("dump", "--from: want an event number, got '%s'", argv[i]);
        } else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            if (!cli_parse_u64(argv[++i], UINT64_MAX, &count))
                return cli_bad_arg("dump", "--count: want a number of events, got '%s'", argv[i]);
        } else if (argv[i][0] == '-' || path)
            return cli_stray("dump", argv[i], "--from --count");
        else
            path = argv[i];
    }
    if (!path)
        return cli_usage("dump");
    TraceReader r;
    if (cli_open_trace(&r, path) != 0)
        return EXIT_USER;
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    char line[512];
    while (count > 0 && trace_cursor_next(&c, &e)) {
        if (e.index < from)
            continue;
        trace_format_event(&r, &e, line, sizeof line);
        puts(line);
        count--;
    }
    trace_cursor_free(&c);
    return cli_finish_trace(&r, path);
}
