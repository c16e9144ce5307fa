/*
 * probe_slice.c — `gomemviz probe slice-append` and `slice-bulk`: the
 * capacities the slice model's growslice picks, for comparison with the
 * real Go 1.19 (tests/diff, groups slice-append and slice-bulk).
 *
 * Invariant: the probes drive the model itself (slice_make/slice_append on
 * a machine with recording off), never a copy of its formula.
 */
#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "probe.h"
#include "slice.h"

#define PROBE_UNSET ULLONG_MAX

/* Parse the probe's flags, all required; on failure print the probe's
 * usage and return EXIT_USAGE, else 0. */
int probe_parse(int argc, char **argv, const char *const *flags,
                unsigned long long *vals, const char *usage)
{
    unsigned n = 0;
    while (flags[n])
        vals[n++] = PROBE_UNSET;
    if (probe_flags(argc, argv, flags, vals, 1ull << 32) == 0) {
        unsigned i = 0;
        while (i < n && vals[i] != PROBE_UNSET)
            i++;
        if (i == n)
            return 0;
    }
    fprintf(stderr, "usage: gomemviz %s\n", usage);
    return EXIT_USAGE;
}

static GoType byte_array(unsigned long long size, char *name, size_t n)
{
    snprintf(name, n, "[%llu]byte", size);
    GoType t = {(uint32_t)size, 1, false, name};
    return t;
}

int probe_slice_append(int argc, char **argv)
{
    static const char *const flags[] = {"--elem-size", "--count", NULL};
    unsigned long long v[2];
    int rc = probe_parse(argc, argv, flags, v,
                         "probe slice-append --elem-size S --count N");
    if (rc)
        return rc;
    if (v[0] > 65536 || v[1] > 1u << 24 || v[0] * v[1] > 1ull << 30)
        return cli_error("probe slice-append: --elem-size %llu x --count %llu is too large",
                         v[0], v[1]);
    char name[32];
    GoType et = byte_array(v[0], name, sizeof name);
    Machine m;
    machine_init(&m, NULL, NULL);
    Slice s = slice_nil(&et, 0);
    for (unsigned long long i = 0; i < v[1]; i++) {
        uint64_t old = s.cap;
        s = slice_append(&m, s, 1);
        if (s.cap != old)
            printf("{\"probe\":\"slice-append\",\"elem_size\":%llu,\"len\":%llu,\"cap\":%llu}\n",
                   v[0], (unsigned long long)s.len, (unsigned long long)s.cap);
    }
    machine_free(&m);
    return EXIT_OK;
}

int probe_slice_bulk(int argc, char **argv)
{
    static const char *const flags[] = {"--elem-size", "--len", "--cap", "--add", NULL};
    unsigned long long v[4];
    int rc = probe_parse(argc, argv, flags, v,
                         "probe slice-bulk --elem-size S --len L --cap C --add K");
    if (rc)
        return rc;
    if (v[1] > v[2])
        return cli_error("probe slice-bulk: --len %llu is larger than --cap %llu", v[1], v[2]);
    if (v[0] > 65536 || v[0] * (v[2] + v[3]) > 1ull << 30)
        return cli_error("probe slice-bulk: sizes too large");
    char name[32];
    GoType et = byte_array(v[0], name, sizeof name);
    Machine m;
    machine_init(&m, NULL, NULL);
    MakeSite heap = {true, false, NULL};
    Slice s = slice_make(&m, &et, v[1], v[2], heap);
    Slice src = slice_make(&m, &et, v[3], v[3], heap);
    s = slice_append_slice(&m, s, src);
    printf("{\"probe\":\"slice-bulk\",\"newcap\":%llu}\n", (unsigned long long)s.cap);
    machine_free(&m);
    return EXIT_OK;
}
