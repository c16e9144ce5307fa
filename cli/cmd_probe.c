/*
 * cmd_probe.c — dispatch for `gomemviz probe`, and the sizeclass probe.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "probe.h"
#include "sizeclass.h"

static const Probe probes[] = {
    {"sizeclass", probe_sizeclass, "probe sizeclass N [N...]"},
    {"slice-append", probe_slice_append, "probe slice-append --elem-size S --count N"},
    {"slice-bulk", probe_slice_bulk, "probe slice-bulk --elem-size S --len L --cap C --add K"},
    {"map-layout", probe_map_layout, "probe map-layout --key-size K --elem-size E"},
    {"map-hint", probe_map_hint, "probe map-hint --key-size K --elem-size E --hint H"},
    {"map-insert", probe_map_insert, "probe map-insert --key-size K --elem-size E --count N"},
    {"syncmap", probe_syncmap, "probe syncmap --script \"store K; load K; delete K; loadorstore K; loadanddelete K; range\""},
    {"allocs", probe_allocs, "probe allocs --case NAME"},
};
enum { NPROBES = sizeof probes / sizeof probes[0] };

int probe_flags(int argc, char **argv, const char *const *flags,
                unsigned long long *vals, unsigned long long max)
{
    for (int i = 1; i < argc; i += 2) {
        int k = -1;
        for (int j = 0; flags[j]; j++)
            if (!strcmp(argv[i], flags[j]))
                k = j;
        uint64_t v;
        if (k < 0 || i + 1 >= argc || !cli_parse_u64(argv[i + 1], max, &v))
            return -1;
        vals[k] = v;
    }
    return 0;
}

/* Models runtime.roundupsize for each N. */
int probe_sizeclass(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("probe");
    for (int i = 1; i < argc; i++) {
        uint64_t n;
        if (!cli_parse_u64(argv[i], UINT64_MAX, &n))
            return cli_error("probe sizeclass: '%s' is not a size in bytes", argv[i]);
        printf("{\"size\":%llu,\"rounded\":%llu}\n", (unsigned long long)n,
               (unsigned long long)sizeclass_roundup(n));
    }
    return EXIT_OK;
}

int cmd_probe(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("probe");
    for (unsigned i = 0; i < NPROBES; i++)
        if (!strcmp(argv[1], probes[i].name))
            return probes[i].run(argc - 1, argv + 1);
    fprintf(stderr, "gomemviz: unknown probe '%s'; probes:", argv[1]);
    for (unsigned i = 0; i < NPROBES; i++)
        fprintf(stderr, " %s", probes[i].name);
    fputc('\n', stderr);
    return EXIT_USAGE;
}
