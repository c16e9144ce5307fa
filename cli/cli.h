/*
 * cli.h — the `gomemviz` command line: one function per subcommand.
 *
 * Exit status everywhere: 0 success, 1 user error (a one-line message on
 * stderr), 2 bad usage (the subcommand's usage line on stderr).
 */
#ifndef GMV_CLI_H
#define GMV_CLI_H

#include <stdbool.h>
#include <stdint.h>

enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
    const char *usage;                 /* one line, after "gomemviz " */
    const char *help;                  /* a few lines */
} Command;

int cmd_record(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_lessons(int argc, char **argv);
int cmd_lesson(int argc, char **argv);
/* Open a recorded trace in the viewer if there is one and a display;
 * otherwise say where the trace is and how to look at it. */
int cli_show_trace(const char *path);
/* Write a Markdown handout (DIR/README.md) for the trace of lesson N. */
int cli_write_handout(const char *trace, const char *dir, unsigned lesson);

/* mkdir -p for one level; EXIT_OK if dir exists afterwards. */
int cli_make_dir(const char *dir);
/* "/" to put between dir and a name, or "" when dir already ends in one. */
const char *cli_sep(const char *dir);
int cmd_keyframes(int argc, char **argv);
int cmd_play(int argc, char **argv);   /* cmd_view.c */
int cmd_render(int argc, char **argv);
/* `gomemviz bench viewer [FILE]`: n events generated when file is NULL. */
int bench_viewer(const char *file, uint64_t n);
/* `gomemviz bench syncmap`: sync.Map against its alternatives on the model
 * (cli/bench_syncmap.c). */
int bench_syncmap(void);

/* Print "gomemviz: <msg>" and return EXIT_USER. */
int cli_error(const char *fmt, ...);
/* One line for a trace the reader stopped on: message, after the file's
 * name unless it already names it (an I/O error's does); returns 1. */
int cli_trace_error(const char *path, const char *message, bool io_error);
/* Print the usage of a command and return EXIT_USAGE. */
int cli_usage(const char *name);
/* Print "gomemviz NAME: <why> (see gomemviz NAME --help)", one line, and
 * return EXIT_USAGE: a command line that cannot mean anything. */
int cli_bad_arg(const char *name, const char *fmt, ...);
/* The same for an argument a parser did not expect: an option of
 * `valued` (space-separated) given last without its value, an unknown
 * option, or one operand too many. */
int cli_stray(const char *name, const char *arg, const char *valued);
/* True if argv has -h or --help. */
bool cli_wants_help(int argc, char **argv);
/* Print the help of a command; returns EXIT_OK. */
int cli_help(const char *name);
/* Parse an unsigned decimal; false if it is not one or exceeds max. */
bool cli_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
