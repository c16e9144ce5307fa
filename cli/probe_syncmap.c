/*
 * probe_syncmap.c — `gomemviz probe syncmap --script "..."`: sync.Map's
 * read/dirty state after each operation, for the tests/diff group syncmap
 * (`probe allocs` is in probe_allocs.c).
 *
 * Invariant: every number is read from the model's structures after
 * running the model; nothing is a constant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "iface.h"
#include "probe.h"
#include "syncmap.h"

static int sync_op(Machine *m, SyncMap *sm, BoxMem *bm, const char *name, long k)
{
    Eface v;
    if (!strcmp(name, "range")) {
        syncmap_range(m, sm, NULL, NULL);
        return 0;
    }
    Eface key = iface_int(m, bm, k); /* value == key, not constant */
    if (!strcmp(name, "store"))
        syncmap_store(m, sm, key, iface_int(m, bm, k));
    else if (!strcmp(name, "load"))
        syncmap_load(m, sm, key, &v);
    else if (!strcmp(name, "delete"))
        syncmap_delete(m, sm, key);
    else if (!strcmp(name, "loadorstore"))
        syncmap_load_or_store(m, sm, key, iface_int(m, bm, k), &v);
    else if (!strcmp(name, "loadanddelete"))
        syncmap_load_and_delete(m, sm, key, &v);
    else
        return -1;
    return 0;
}

/* "store 7" -> name "store", key 7; "range" has no key. */
static int parse_op(char *op, char **name, long *key)
{
    char *save, *w = strtok_r(op, " \t", &save), *arg = strtok_r(NULL, " \t", &save);
    if (!w || strtok_r(NULL, " \t", &save))
        return -1;
    *name = w;
    *key = 0;
    if (!strcmp(w, "range"))
        return arg ? -1 : 0;
    char *end;
    if (!arg)
        return -1;
    *key = strtol(arg, &end, 10);
    return *end ? -1 : 0;
}

static void print_state(const SyncMap *sm, const char *name, long k)
{
    char op[64], dirty[24] = "null";
    if (!strcmp(name, "range"))
        snprintf(op, sizeof op, "range");
    else
        snprintf(op, sizeof op, "%s %ld", name, k);
    if (sm->dirty)
        snprintf(dirty, sizeof dirty, "%lld", (long long)syncmap_dirty_len(sm));
    printf("{\"probe\":\"syncmap\",\"op\":\"%s\",\"read_len\":%llu,\"amended\":%s,"
           "\"dirty_len\":%s,\"misses\":%lld}\n", op,
           (unsigned long long)syncmap_read_len(sm),
           sm->read.amended ? "true" : "false", dirty, (long long)sm->misses);
}

static int run_script(char *script)
{
    Machine m;
    BoxMem bm;
    SyncMap sm;
    machine_init(&m, NULL, NULL);
    boxmem_init(&bm);
    syncmap_new(&sm, &m, &bm);
    int rc = EXIT_OK;
    char *save;
    for (char *op = strtok_r(script, ";", &save); op; op = strtok_r(NULL, ";", &save)) {
        char *name;
        long k;
        if (strspn(op, " \t") == strlen(op))
            continue;
        if (parse_op(op, &name, &k) || sync_op(&m, &sm, &bm, name, k)) {
            rc = cli_error("probe syncmap: bad operation '%s'", op);
            break;
        }
        if (!syncmap_check(&sm)) {
            rc = cli_error("probe syncmap: invariant broken after '%s %ld'", name, k);
            break;
        }
        print_state(&sm, name, k);
    }
    syncmap_free(&sm);
    boxmem_free(&bm);
    machine_free(&m);
    return rc;
}

int probe_syncmap(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--script"))
        return cli_usage("probe");
    char *script = strdup(argv[2]);
    if (!script)
        return cli_error("out of memory");
    int rc = run_script(script);
    free(script);
    return rc;
}
