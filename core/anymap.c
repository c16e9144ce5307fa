/*
 * anymap.c — dispatch to the table in use (see anymap.h).
 */
#include "anymap.h"

void anymap_store(Machine *m, AnyMap *a, int64_t k, int64_t v)
{
    switch (a->kind) {
    case ANYMAP_SYNC:
        syncmap_store(m, &a->sm, iface_int(m, &a->bm, k), iface_int(m, &a->bm, v));
        break;
    case ANYMAP_MUTEX:
    case ANYMAP_RWMUTEX:
        rwmap_store(m, &a->rm, &k, &v);
        break;
    case ANYMAP_ARENA:
        arenamap_store(m, &a->am, k, v);
        break;
    default:
        staticmap_store(m, &a->st, k, v);
    }
}

void anymap_load(Machine *m, AnyMap *a, int64_t k)
{
    Eface e;
    int64_t v;
    switch (a->kind) {
    case ANYMAP_SYNC:
        syncmap_load(m, &a->sm, iface_int_temp(m, &a->bm, k, 0), &e);
        break;
    case ANYMAP_MUTEX:
    case ANYMAP_RWMUTEX:
        rwmap_load(m, &a->rm, &k, &v);
        break;
    case ANYMAP_ARENA:
        arenamap_load(m, &a->am, k, &v);
        break;
    default:
        staticmap_load(m, &a->st, k, &v);
    }
}

void anymap_free(AnyMap *a)
{
    switch (a->kind) {
    case ANYMAP_SYNC:
        syncmap_free(&a->sm);
        boxmem_free(&a->bm);
        break;
    case ANYMAP_MUTEX:
    case ANYMAP_RWMUTEX:
        rwmap_free(&a->rm);
        break;
    case ANYMAP_ARENA:
        arenamap_free(&a->am);
        break;
    default:
        staticmap_free(&a->st);
    }
}
