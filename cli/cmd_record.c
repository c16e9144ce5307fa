/*
 * cmd_record.c — `gomemviz record`: run a scenario, write its trace.
 *
 * Invariant: a trace file is only left behind complete; if the scenario or
 * a write fails, the partial file is removed and the error is reported.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "scenario.h"

static int list(void)
{
    for (const Scenario *const *s = scenario_all(); *s; s++)
        printf("%-22s %s\n", (*s)->name, (*s)->summary);
    return EXIT_OK;
}

int cmd_record(int argc, char **argv)
{
    const char *name = NULL, *out = NULL;
    uint64_t cores = 0;
    bool cache = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--list"))
            return list();
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--cores") && i + 1 < argc) {
            if (!cli_parse_u64(argv[++i], 8, &cores) || cores < 1)
                return cli_error("--cores: expected 1 to 8, got '%s'", argv[i]);
        } else if (!strcmp(argv[i], "--cache"))
            cache = true;
        else if (argv[i][0] == '-' || name)
            return cli_stray("record", argv[i], "-o --cores");
        else
            name = argv[i];
    }
    if (!name)
        return cli_usage("record");
    if (!out)
        return cli_bad_arg("record", "-o FILE is missing: where to write the trace");
    const Scenario *sc = scenario_find(name);
    if (!sc)
        return cli_error("no scenario '%s' (see gomemviz record --list)", name);
    MachineConfig cfg = scenario_config(sc);
    if (cores)
        cfg.ncores = (unsigned)cores;
    cfg.cache |= cache;
    TraceParams tp = scenario_params(&cfg);
    Tracer tr;
    if (tracer_open(&tr, out, &tp) != 0)
        return cli_error("cannot write %s: %s", out, strerror(errno));
    int rc = scenario_record(sc, &cfg, &tr);
    uint64_t nev = tr.nevents;
    if (tracer_close(&tr) != 0) {
        remove(out);
        return cli_error("writing %s failed: %s", out, strerror(errno));
    }
    if (rc != 0) {
        remove(out);
        return cli_error("scenario '%s' failed its own checks", name);
    }
    printf("recorded %s: %llu events -> %s\n", name, (unsigned long long)nev, out);
    return EXIT_OK;
}
