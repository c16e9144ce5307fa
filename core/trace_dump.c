/*
 * trace_dump.c — one readable line per event, for `gomemviz dump`.
 *
 * Invariant: output depends only on the event and the string table, and never
 * overflows buf (every write goes through append()).
 */
#include <stdarg.h>
#include <string.h>

#include "trace_read.h"

typedef struct {
    char *buf;
    size_t size, len;
} Out;

static void append(Out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n < o->size - o->len ? (size_t)n : o->size - o->len - 1;
}

/* Strings are quoted with newlines and quotes escaped, long ones cut. */
static void append_str(Out *o, const char *s)
{
    append(o, "\"");
    for (size_t i = 0; s[i] && i < 72; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n')
            append(o, "\\n");
        else if (ch == '"' || ch == '\\')
            append(o, "\\%c", ch);
        else if (ch < 0x20)
            append(o, "\\x%02x", ch);
        else
            append(o, "%c", ch);
        if (i == 71 && s[i + 1])
            append(o, "...");
    }
    append(o, "\"");
}

/* Fields whose numbers mean an enum get their name printed. */
static int append_named(Out *o, unsigned type, const char *field, uint64_t v)
{
    if (type == EV_ACCESS && !strcmp(field, "info")) {
        unsigned fl = ACCESS_INFO_FLAGS(v);
        append(o, "%s%s %s %s->%s", fl & ACCESS_WRITE ? "W" : "R",
               fl & ACCESS_ATOMIC ? "(atomic)" : "",
               outcome_name(ACCESS_INFO_OUTCOME(v)),
               mesi_name(ACCESS_INFO_BEFORE(v)), mesi_name(ACCESS_INFO_AFTER(v)));
        return 1;
    }
    if (type == EV_ALLOC && !strcmp(field, "kind"))
        return append(o, "%s", objkind_name((unsigned)v)), 1;
    if (type == EV_SLICE_MAKE && !strcmp(field, "where"))
        return append(o, "%s", space_name((unsigned)v)), 1;
    if (type == EV_ALLOC && !strcmp(field, "space"))
        return append(o, "%s", space_name((unsigned)v)), 1;
    return 0;
}

size_t trace_format_event(const TraceReader *r, const Event *e, char *buf,
                          size_t size)
{
    Out o = {buf, size, 0};
    if (size)
        buf[0] = 0;
    const EventInfo *ei = event_info(e->type);
    append(&o, "%8llu %s", (unsigned long long)e->index, ei->name);
    const char *fn = ei->field_names;
    for (unsigned k = 0; k < ei->nfields; k++) {
        size_t n = strcspn(fn, " ");
        char field[32];
        snprintf(field, sizeof field, "%.*s", (int)(n < 31 ? n : 31), fn);
        fn += n + (fn[n] == ' ');
        append(&o, " %s=", field);
        uint64_t v = e->f[k];
        if (append_named(&o, e->type, field, v))
            continue;
        switch (ei->kinds[k]) {
        case 'a': append(&o, "0x%llx", (unsigned long long)v); break;
        case 'i': append(&o, "%lld", (long long)v); break;
        case 's': append_str(&o, trace_string(r, v)); break;
        default: append(&o, "%llu", (unsigned long long)v); break;
        }
    }
    return o.len;
}
