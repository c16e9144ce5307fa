/*
 * probe_map.c — `gomemviz probe map-layout`, `map-hint` and `map-insert`:
 * bucket layout, make(map, hint) sizes and allocations, and when inserts
 * start growths, for map[[K]byte][E]byte (tests/diff groups map-layout,
 * map-hint, map-insert).
 *
 * Invariant: every number comes from running the map model on a machine
 * with recording off; allocations are the heap's own MemStats counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "map.h"
#include "probe.h"

/* map[[K]byte][E]byte: byte arrays have alignment 1 and no pointers. */
static void byte_map(MapType *t, unsigned long long k, unsigned long long e)
{
    static char kn[32], en[32];
    snprintf(kn, sizeof kn, "[%llu]byte", k);
    snprintf(en, sizeof en, "[%llu]byte", e);
    GoType key = {(uint32_t)k, 1, false, kn}, elem = {(uint32_t)e, 1, false, en};
    maptype_init(t, &key, &elem);
}

static int parse_kv(int argc, char **argv, const char *const *flags,
                    unsigned long long *v, const char *usage)
{
    int rc = probe_parse(argc, argv, flags, v, usage);
    if (rc == 0 && (v[0] > 65536 || v[1] > 65536))
        rc = cli_error("probe: key and elem sizes are at most 65536 bytes");
    return rc;
}

static const char *json_bool(bool b)
{
    return b ? "true" : "false";
}

int probe_map_layout(int argc, char **argv)
{
    static const char *const flags[] = {"--key-size", "--elem-size", NULL};
    unsigned long long v[2];
    int rc = parse_kv(argc, argv, flags, v, "probe map-layout --key-size K --elem-size E");
    if (rc)
        return rc;
    MapType t;
    byte_map(&t, v[0], v[1]);
    printf("{\"probe\":\"map-layout\",\"bucketsize\":%u,\"indirect_key\":%s,"
           "\"indirect_elem\":%s,\"noscan\":%s}\n", t.bucketsize,
           json_bool(t.indirect_key), json_bool(t.indirect_elem),
           json_bool(t.bucket_noscan));
    return EXIT_OK;
}

int probe_map_hint(int argc, char **argv)
{
    static const char *const flags[] = {"--key-size", "--elem-size", "--hint", NULL};
    unsigned long long v[3];
    int rc = parse_kv(argc, argv, flags, v,
                      "probe map-hint --key-size K --elem-size E --hint H");
    if (rc)
        return rc;
    if (v[2] > 1u << 24)
        return cli_error("probe map-hint: --hint %llu is larger than 16777216", v[2]);
    MapType t;
    byte_map(&t, v[0], v[1]);
    Machine m;
    machine_init(&m, NULL, NULL);
    HeapStats before = m.heap.stats;
    MakeSite site = {true, false, "m"}; /* escaping, non-constant hint */
    Map *h = map_make(&m, &t, (int64_t)v[2], site);
    printf("{\"probe\":\"map-hint\",\"B\":%u,\"buckets_allocated\":%s,"
           "\"allocs\":%llu,\"bytes\":%llu,\"nbuckets\":%llu}\n", h->B,
           json_bool(h->buckets != 0),
           (unsigned long long)(m.heap.stats.mallocs - before.mallocs),
           (unsigned long long)(m.heap.stats.total_alloc - before.total_alloc),
           (unsigned long long)h->cur_n);
    map_free(h);
    machine_free(&m);
    return EXIT_OK;
}

/* Insert keys 0..n-1 (little-endian bytes of i, as goprobe does) and
 * report each insert after which the bucket array was replaced: a growth
 * start (the lazily allocated first bucket is not one). */
static void insert_all(Machine *m, Map *h, unsigned long long n)
{
    uint8_t *key = calloc(1, h->t->key.size + 8), *elem = calloc(1, h->t->elem.size + 1);
    uint8_t prevB = h->B;
    uint64_t prev = h->buckets;
    for (unsigned long long i = 1; i <= n; i++) {
        uint64_t k = i - 1;
        for (unsigned b = 0; b < 8 && b < h->t->key.size; b++)
            key[b] = (uint8_t)(k >> (8 * b));
        map_assign(m, h, key, elem);
        if (prev && h->buckets != prev)
            printf("{\"probe\":\"map-insert\",\"insert\":%llu,\"old_B\":%u,"
                   "\"new_B\":%u,\"same_size\":%s}\n", i, prevB, h->B,
                   json_bool(h->B == prevB));
        prevB = h->B;
        prev = h->buckets;
    }
    free(key);
    free(elem);
}

int probe_map_insert(int argc, char **argv)
{
    static const char *const flags[] = {"--key-size", "--elem-size", "--count", NULL};
    unsigned long long v[3];
    int rc = parse_kv(argc, argv, flags, v,
                      "probe map-insert --key-size K --elem-size E --count N");
    if (rc)
        return rc;
    if (v[2] > 1u << 24)
        return cli_error("probe map-insert: --count %llu is larger than 16777216", v[2]);
    if (v[0] < 8 && v[2] > 1ull << (8 * v[0]))
        return cli_error("probe map-insert: a %llu-byte key has only %llu distinct values",
                         v[0], 1ull << (8 * v[0]));
    MapType t;
    byte_map(&t, v[0], v[1]);
    Machine m;
    machine_init(&m, NULL, NULL);
    MakeSite site = {true, true, "m"}; /* escaping make(map): makemap_small */
    Map *h = map_make(&m, &t, 0, site);
    insert_all(&m, h, v[2]);
    map_free(h);
    machine_free(&m);
    return EXIT_OK;
}
