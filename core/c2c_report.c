/*
 * c2c_report.c — per-line sharing counts from INVALIDATE and ACCESS
 * events, and the objects that live in each line.
 *
 * Invariant: table is an open-addressing table of C2cRec keyed by line
 * address (line 0 is never a valid heap or stack line, so 0 marks an empty
 * slot), kept at most half full.
 */
#include "c2c_report.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

void c2c_init(C2cReport *c, unsigned line_size, unsigned ncores)
{
    memset(c, 0, sizeof *c);
    c->line_size = line_size ? line_size : 64;
    c->ncores = ncores >= 1 && ncores <= 8 ? ncores : 8;
    c->stride = sizeof(C2cRec) + 2 * c->ncores * sizeof(uint64_t);
    c->cap = 256;
    c->table = xcalloc(c->cap, c->stride);
}

static C2cRec *rec(const C2cReport *c, size_t i)
{
    return (C2cRec *)(void *)(c->table + i * c->stride);
}

void c2c_free(C2cReport *c)
{
    free(c->table);
    free(c->objs);
    free(c->fields);
    memset(c, 0, sizeof *c);
}

static C2cRec *slot(C2cReport *c, uint64_t line)
{
    if (2 * (c->used + 1) > c->cap) {
        C2cReport old = *c;
        c->cap *= 2;
        c->table = xcalloc(c->cap, c->stride);
        c->used = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (rec(&old, i)->line)
                memcpy(slot(c, rec(&old, i)->line), rec(&old, i), c->stride);
        free(old.table);
    }
    /* Fibonacci hashing: the top bits of the product (its middle bits
     * cluster consecutive lines into long probe runs). */
    unsigned bits = (unsigned)__builtin_ctzll(c->cap);
    size_t i = (size_t)((line / c->line_size) * 0x9E3779B97F4A7C15ull >> (64 - bits));
    while (rec(c, i)->line && rec(c, i)->line != line)
        i = (i + 1) & (c->cap - 1);
    if (!rec(c, i)->line) {
        rec(c, i)->line = line;
        c->used++;
    }
    return rec(c, i);
}

static uint64_t byte_mask(uint64_t off, uint64_t n)
{
    if (off >= 64)
        return 0;
    if (n >= 64 - off)
        return ~0ull << off;
    return ((1ull << n) - 1) << off;
}

static void add_range(ObjRange **v, size_t *n, size_t *cap, uint64_t addr,
                      uint64_t size, uint64_t name)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *v = realloc(*v, *cap * sizeof **v);
        if (!*v)
            abort();
    }
    (*v)[(*n)++] = (ObjRange){addr, size, name};
}

void c2c_add(C2cReport *c, const TraceReader *r, const Event *e)
{
    (void)r;
    uint64_t ls = c->line_size;
    if (e->type == EV_INVALIDATE) {
        C2cRec *l = slot(c, e->f[2]);
        if (e->f[5])
            l->inval_false++;
        else
            l->inval_true++;
    } else if (e->type == EV_ACCESS) {
        unsigned outcome = ACCESS_INFO_OUTCOME(e->f[4]);
        if (outcome == OUTCOME_NONE || e->f[0] >= c->ncores)
            return;
        C2cRec *l = slot(c, e->f[2] & ~(ls - 1));
        uint64_t m = byte_mask(e->f[2] & (ls - 1), e->f[3]);
        l->accesses++;
        l->hitm += outcome == OUTCOME_HITM;
        l->mask[e->f[0]] |= m;
        if (ACCESS_INFO_FLAGS(e->f[4]) & ACCESS_WRITE)
            l->mask[c->ncores + e->f[0]] |= m;
    } else if (e->type == EV_ALLOC) {
        add_range(&c->objs, &c->nobjs, &c->objs_cap, e->f[0], e->f[1], e->f[4]);
    } else if (e->type == EV_LOCAL) {
        add_range(&c->objs, &c->nobjs, &c->objs_cap, e->f[3], e->f[4], e->f[1]);
    } else if (e->type == EV_FIELD) {
        add_range(&c->fields, &c->nfields, &c->fields_cap, e->f[0] + e->f[1], e->f[2], e->f[3]);
    }
}

static int cmp_lines(const void *pa, const void *pb)
{
    const C2cLine *a = pa, *b = pb;
    uint64_t ia = a->inval_false + a->inval_true, ib = b->inval_false + b->inval_true;
    if (ia != ib)
        return ia > ib ? -1 : 1;
    if (a->hitm != b->hitm)
        return a->hitm > b->hitm ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static bool contended(const C2cRec *l)
{
    return l->line && l->inval_false + l->inval_true + l->hitm > 0;
}

size_t c2c_top(const C2cReport *c, C2cLine *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < c->cap; i++) /* most lines never are: count first */
        k += contended(rec(c, i));
    C2cLine *all = xcalloc(k, sizeof *all);
    k = 0;
    for (size_t i = 0; i < c->cap; i++) {
        const C2cRec *l = rec(c, i);
        if (!contended(l))
            continue;
        C2cLine *o = &all[k++];
        *o = (C2cLine){l->line, l->inval_false, l->inval_true, l->hitm, l->accesses, {0}, {0}};
        memcpy(o->touched, l->mask, c->ncores * sizeof *l->mask);
        memcpy(o->written, l->mask + c->ncores, c->ncores * sizeof *l->mask);
    }
    qsort(all, k, sizeof *all, cmp_lines);
    if (k > n)
        k = n;
    memcpy(out, all, k * sizeof *out);
    free(all);
    return k;
}

/* Objects overlapping the line; the newest allocation at an address wins. */
static void print_objects(const C2cReport *c, const TraceReader *r, FILE *f,
                          const C2cLine *l, int json)
{
    const char *sep = "";
    for (size_t i = 0; i < c->nobjs; i++) {
        const ObjRange *o = &c->objs[i];
        if (o->addr >= l->line + c->line_size || o->addr + o->size <= l->line || !o->size)
            continue;
        if (json)
            fprintf(f, "%s{\"addr\":%llu,\"size\":%llu,\"type\":\"%s\"}", sep,
                    (unsigned long long)o->addr, (unsigned long long)o->size,
                    trace_string(r, o->type));
        else
            fprintf(f, "      object %s at 0x%llx (%llu bytes, line offset %lld)\n",
                    trace_string(r, o->type), (unsigned long long)o->addr,
                    (unsigned long long)o->size, (long long)(o->addr - l->line));
        sep = ",";
    }
}

/* The bytes of the line (bit i: byte i) that object or field o covers. */
static uint64_t mask_of(const ObjRange *o, uint64_t line)
{
    uint64_t lo = o->addr > line ? o->addr : line, end = o->addr + o->size;
    if (end <= lo || lo >= line + 64)
        return 0;
    return byte_mask(lo - line, end - lo);
}

/* The named fields (FIELD events) on bytes m of the line; a name two
 * objects share (two WaitGroups' state1) with its offset in the line. */
static void print_fields(const C2cReport *c, const TraceReader *r, FILE *f, uint64_t m,
                         uint64_t line)
{
    const char *sep = ": ";
    for (size_t i = 0; i < c->nfields; i++) {
        const ObjRange *o = &c->fields[i];
        if (!(mask_of(o, line) & m))
            continue;
        bool twice = false;
        for (size_t j = 0; j < c->nfields && !twice; j++)
            twice = j != i && c->fields[j].type == o->type && (mask_of(&c->fields[j], line) & m);
        fprintf(f, "%s%s", sep, trace_string(r, o->type));
        if (twice)
            fprintf(f, " (+%llu)", (unsigned long long)(o->addr - line));
        sep = ", ";
    }
}

/* The runs of set bits in m, as "0-7, 16-43". */
static void print_runs(FILE *f, uint64_t m)
{
    const char *sep = "";
    while (m) {
        int lo = __builtin_ctzll(m), hi = lo;
        while (hi < 63 && (m >> (hi + 1) & 1))
            hi++;
        fprintf(f, "%s%d-%d", sep, lo, hi);
        sep = ", ";
        m &= hi == 63 ? 0 : ~0ull << (hi + 1);
    }
}

/* Each core's bytes of the line: those it wrote, then those it only read,
 * each with the fields on them (a hull of both would name fields the core
 * never touched). */
static void print_cores(const C2cReport *c, const TraceReader *r,
                        const C2cLine *l, FILE *f)
{
    for (unsigned core = 0; core < 8; core++) {
        uint64_t w = l->written[core], rd = l->touched[core] & ~w;
        if (!l->touched[core])
            continue;
        fprintf(f, "      core %u", core);
        if (w) {
            fputs(" wrote bytes ", f);
            print_runs(f, w);
            print_fields(c, r, f, w, l->line);
        }
        if (rd) {
            fputs(w ? "; read bytes " : " read bytes ", f);
            print_runs(f, rd);
            print_fields(c, r, f, rd, l->line);
        }
        fputc('\n', f);
    }
}

void c2c_print_text(const C2cReport *c, const TraceReader *r, FILE *f, size_t n)
{
    C2cLine top[32];
    size_t k = c2c_top(c, top, n < 32 ? n : 32);
    fprintf(f, "\ncontended cache lines (like perf c2c):\n");
    if (k == 0) {
        fprintf(f, "  none: no invalidations and no HITM transfers%s\n",
                (r->params.flags & TRACE_FLAG_CACHE) ? "" : " (recorded without cache simulation)");
        return;
    }
    for (size_t i = 0; i < k; i++) {
        const C2cLine *l = &top[i];
        fprintf(f, "  line 0x%llx: %llu false-sharing and %llu true-sharing invalidations, %llu HITM\n",
                (unsigned long long)l->line, (unsigned long long)l->inval_false,
                (unsigned long long)l->inval_true, (unsigned long long)l->hitm);
        print_cores(c, r, l, f);
        print_objects(c, r, f, l, 0);
    }
}

void c2c_print_json(const C2cReport *c, const TraceReader *r, FILE *f, size_t n)
{
    C2cLine top[32];
    size_t k = c2c_top(c, top, n < 32 ? n : 32);
    fputc('[', f);
    for (size_t i = 0; i < k; i++) {
        const C2cLine *l = &top[i];
        fprintf(f, "%s{\"line\":%llu,\"false_sharing\":%llu,\"true_sharing\":%llu,\"hitm\":%llu,\"objects\":[",
                i ? "," : "", (unsigned long long)l->line, (unsigned long long)l->inval_false,
                (unsigned long long)l->inval_true, (unsigned long long)l->hitm);
        print_objects(c, r, f, l, 1);
        fputs("],\"cores\":[", f);
        const char *sep = "";
        for (unsigned core = 0; core < 8; core++)
            if (l->touched[core]) { /* masks: bit i is byte i of the line */
                fprintf(f, "%s{\"core\":%u,\"wrote\":%llu,\"read_only\":%llu}", sep, core,
                        (unsigned long long)l->written[core],
                        (unsigned long long)(l->touched[core] & ~l->written[core]));
                sep = ",";
            }
        fputs("]}", f);
    }
    fputc(']', f);
}
