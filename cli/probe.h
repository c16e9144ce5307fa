/*
 * probe.h — `gomemviz probe WHAT`: model facts as JSON lines, one probe per
 * function, compared by tests/diff/run_diff.sh with the real Go 1.19.
 *
 * Invariant: each probe prints exactly the keys its issue specifies, in that
 * order (more keys may follow), one JSON object per line, and returns an
 * exit status from cli.h.
 */
#ifndef GMV_PROBE_H
#define GMV_PROBE_H

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the probe's name */
    const char *usage;
} Probe;

/* Parse "--flag VALUE" pairs: for each name in flags[] (NULL-terminated),
 * store the value; returns 0, or -1 on an unknown flag, a missing value or a
 * number out of 0..max. */
int probe_flags(int argc, char **argv, const char *const *flags,
                unsigned long long *vals, unsigned long long max);

/* probe_flags for a probe whose flags are all required: on a bad or
 * missing flag, print usage and return EXIT_USAGE; else 0. */
int probe_parse(int argc, char **argv, const char *const *flags,
                unsigned long long *vals, const char *usage);

int probe_sizeclass(int argc, char **argv);
int probe_slice_append(int argc, char **argv);
int probe_slice_bulk(int argc, char **argv);
int probe_map_layout(int argc, char **argv);
int probe_map_hint(int argc, char **argv);
int probe_map_insert(int argc, char **argv);
int probe_syncmap(int argc, char **argv);
int probe_allocs(int argc, char **argv);

#endif
