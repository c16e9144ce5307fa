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

int probe_sizeclass(int argc, char **argv);

#endif
