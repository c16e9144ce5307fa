/*
 * event.c — the event schema table built from GMV_EVENTS, and enum names.
 *
 * Invariant: info[t].nfields == strlen(info[t].kinds) == number of words in
 * info[t].field_names, and never exceeds EVENT_MAX_FIELDS (checked by
 * test_event.c for every type).
 */
#include "event.h"

#include <string.h>

static const EventInfo infos[EV_COUNT] = {
#define GMV_EV_INFO(id, name, kinds, fields) {name, kinds, fields, sizeof(kinds) - 1},
    GMV_EVENTS(GMV_EV_INFO)
#undef GMV_EV_INFO
};

const EventInfo *event_info(unsigned type)
{
    return type < EV_COUNT ? &infos[type] : NULL;
}

unsigned event_by_name(const char *name)
{
    for (unsigned t = 0; t < EV_COUNT; t++)
        if (strcmp(infos[t].name, name) == 0)
            return t;
    return EV_COUNT;
}

int event_field(unsigned type, const char *field)
{
    const EventInfo *ei = event_info(type);
    if (!ei)
        return -1;
    size_t flen = strlen(field);
    const char *p = ei->field_names;
    for (int i = 0; *p; i++) {
        size_t n = strcspn(p, " ");
        if (n == flen && memcmp(p, field, n) == 0)
            return i;
        p += n;
        p += strspn(p, " ");
    }
    return -1;
}

static const char *name_of(const char *const *names, unsigned n, unsigned i)
{
    return i < n ? names[i] : "?";
}

const char *objkind_name(unsigned kind)
{
    static const char *const names[OBJ_COUNT] = {
        "other", "hmap", "buckets", "overflow", "mapextra", "entry", "boxed",
        "array", "arena", "readonly", "key", "elem", "value", "tiny"};
    return name_of(names, OBJ_COUNT, kind);
}

const char *space_name(unsigned space)
{
    static const char *const names[SPACE_COUNT] = {
        "heap", "tiny", "large", "stack", "arena", "static"};
    return name_of(names, SPACE_COUNT, space);
}

const char *outcome_name(unsigned outcome)
{
    static const char *const names[OUTCOME_COUNT] = {
        "-", "hit", "miss", "hitm", "clean-c2c", "upgrade"};
    return name_of(names, OUTCOME_COUNT, outcome);
}

const char *mesi_name(unsigned state)
{
    static const char *const names[4] = {"I", "S", "E", "M"};
    return name_of(names, 4, state);
}
