/*
 * cache.c — MESI over per-core set-associative caches (see cache.h).
 *
 * Invariants, checked by mesi_check() (cache_query.c):
 *  - a way is Invalid iff its tag is NO_LINE, and an Invalid way has no
 *    stamp, no used bytes and no contention id;
 *  - a valid line sits in the set its address selects, at most once per set;
 *  - a line held M or E by one core is held by no other core.
 *
 * The protocol is the textbook snooping MESI (Papamarcos & Patel 1984), with
 * cache-to-cache transfer of clean lines as Intel does it.  Every transition
 * lives in three functions: the hit path of cpu_access, snoop_read and
 * snoop_write.  The table in tests/test_cache.c lists them all.
 *
 * Speed: an access looks at one set of its own cache; only a miss or an
 * upgrade looks at the same set in the other caches (the bus snoop).
 * Nothing is allocated per access.
 */
#include "cache.h"
#include "cache_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Estimated cycles per outcome on a ~2.5-4 GHz Intel core.  Why these
 * numbers, and where they come from, is in docs/cost-model.md:
 *   hit          4   L1D load-to-use latency (Intel Nehalem .. Skylake)
 *   miss_mem   200   ~60-90 ns of DRAM latency at 2.5-3 GHz
 *   hitm        75   Intel: "L3 hit, modified in another core ~75 cycles"
 *   miss_clean  45   L3 hit of a clean line, unshared ~40 / snooped ~65
 *   upgrade     40   a round trip to the L3/snoop filter, no data moved
 *   atomic     +14   a locked RMW costs ~18 in all, 14 more than a hit
 */
const CacheCosts CACHE_COSTS_DEFAULT = {
    .outcome = {
        [CACHE_HIT] = 4,
        [CACHE_MISS_MEM] = 200,
        [CACHE_HITM] = 75,
        [CACHE_MISS_CLEAN] = 45,
        [CACHE_UPGRADE] = 40,
    },
    .atomic_extra = 14,
};

CacheConfig cache_config_default(void)
{
    return (CacheConfig){
        .ncores = 2,
        .cache_size = 32 * 1024,
        .ways = 8,
        .line_size = 64,
        .costs = CACHE_COSTS_DEFAULT,
    };
}

static bool is_pow2(uint64_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

const char *cache_config_check(const CacheConfig *cfg)
{
    if (cfg->ncores < 1 || cfg->ncores > CPU_MAX_CORES)
        return "cores must be between 1 and 8";
    if (!is_pow2(cfg->line_size) || cfg->line_size < 8 || cfg->line_size > CACHE_MAX_LINE)
        return "line size must be a power of two between 8 and 64";
    if (cfg->ways < 1 || cfg->ways > 64)
        return "ways must be between 1 and 64";
    uint64_t set_bytes = (uint64_t)cfg->ways * cfg->line_size;
    if (cfg->cache_size == 0 || cfg->cache_size % set_bytes != 0)
        return "cache size must be a non-zero multiple of ways * line size";
    if (!is_pow2(cfg->cache_size / set_bytes))
        return "cache size / (ways * line size) must be a power of two";
    return NULL;
}

/* Empty way i of a core: Invalid, no tag, nothing used, no record. */
static void way_clear(CoreCache *cc, size_t i)
{
    cc->tags[i] = NO_LINE;
    cc->stamps[i] = 0;
    cc->lines[i] = (CacheLine){.used = 0, .stat = CONTENTION_NONE, .state = MESI_INVALID};
}

bool cpu_init(Cpu *cpu, const CacheConfig *cfg)
{
    memset(cpu, 0, sizeof *cpu);
    if (cache_config_check(cfg))
        return false;
    cpu->cfg = *cfg;
    cpu->nsets = cfg->cache_size / (cfg->ways * cfg->line_size);
    while ((1u << cpu->line_shift) < cfg->line_size)
        cpu->line_shift++;
    cpu->line_mask = cfg->line_size - 1;
    size_t nlines = (size_t)cpu->nsets * cfg->ways;
    for (int c = 0; c < cfg->ncores; c++) {
        CoreCache *cc = &cpu->core[c];
        cc->tags = malloc(nlines * sizeof *cc->tags);
        cc->stamps = malloc(nlines * sizeof *cc->stamps);
        cc->lines = malloc(nlines * sizeof *cc->lines);
        if (!cc->tags || !cc->stamps || !cc->lines) {
            cpu_free(cpu);
            return false;
        }
        for (size_t i = 0; i < nlines; i++)
            way_clear(cc, i);
    }
    contention_init(&cpu->contention);
    return true;
}

void cpu_free(Cpu *cpu)
{
    for (int c = 0; c < CPU_MAX_CORES; c++) {
        free(cpu->core[c].tags);
        free(cpu->core[c].stamps);
        free(cpu->core[c].lines);
    }
    contention_free(&cpu->contention);
    memset(cpu, 0, sizeof *cpu);
}

/* ---- replacement ------------------------------------------------------- */

/* True LRU: an empty way of the set at base if there is one, else the least
 * recently used.  Returns its index. */
static size_t choose_victim(const CoreCache *cc, size_t base, uint32_t ways)
{
    size_t victim = base;
    for (size_t i = base; i < base + ways; i++) {
        if (cc->tags[i] == NO_LINE)
            return i;
        if (cc->stamps[i] < cc->stamps[victim])
            victim = i;
    }
    return victim;
}

/* Bit i set for each byte i of [offset, offset+size); size is 1..64. */
static uint64_t byte_mask(uint32_t offset, uint32_t size)
{
    return (~0ull >> (64 - size)) << offset;
}

/* ---- the bus: what the other caches do ---------------------------------- */

/* Data comes from the Modified owner if there is one (it must: memory is
 * stale), else from any clean copy, else from memory. */
static void set_source(AccessResult *out, int dirty, int clean)
{
    if (dirty >= 0) {
        out->outcome = CACHE_HITM;
        out->source = dirty;
    } else if (clean >= 0) {
        out->outcome = CACHE_MISS_CLEAN;
        out->source = clean;
    } else {
        out->outcome = CACHE_MISS_MEM;
        out->source = -1;
    }
}

/* BusRd: other copies survive as Shared.  An M owner writes back as it
 * downgrades, so memory is current again and any S copy may be dropped
 * silently later. */
static void snoop_read(Cpu *cpu, int core, uint64_t line, AccessResult *out)
{
    int dirty = -1, clean = -1;
    for (int c = 0; c < cpu->cfg.ncores; c++) {
        CacheLine *v = c == core ? NULL : lookup(cpu, c, line);
        if (!v)
            continue;
        if (v->state == MESI_MODIFIED || v->state == MESI_EXCLUSIVE) {
            Downgrade *d = &out->down[out->ndown++];
            d->core = c;
            d->before = (MesiState)v->state;
            d->writeback = v->state == MESI_MODIFIED;
            if (d->writeback)
                dirty = c;
            else
                clean = c;
            v->state = MESI_SHARED;
        } else if (clean < 0) {
            clean = c;
        }
    }
    set_source(out, dirty, clean);
}

/* BusRdX / BusUpgr: every other copy is invalidated.  A Modified copy's data
 * moves to the writer with ownership, so it needs no write-back.  Each loss
 * is classified by comparing the bytes written now with the bytes the victim
 * used since it acquired the line. */
static void snoop_write(Cpu *cpu, int core, uint64_t line, AccessResult *out)
{
    int dirty = -1, clean = -1;
    for (int c = 0; c < cpu->cfg.ncores; c++) {
        size_t i = c == core ? NO_WAY : way_of(cpu, c, line);
        if (i == NO_WAY)
            continue;
        const CacheLine *v = &cpu->core[c].lines[i];
        if (v->state == MESI_MODIFIED)
            dirty = c;
        else if (clean < 0)
            clean = c;
        Invalidation *inv = &out->inval[out->ninval++];
        inv->core = c;
        inv->before = (MesiState)v->state;
        inv->writer_mask = out->mask;
        inv->victim_mask = v->used;
        inv->false_sharing = (out->mask & v->used) == 0;
        way_clear(&cpu->core[c], i);
    }
    set_source(out, dirty, clean);
}

/* A miss: ask the bus, then make room in our set.  Returns the way. */
static size_t fill(Cpu *cpu, int core, uint64_t line, bool write, AccessResult *out)
{
    if (write)
        snoop_write(cpu, core, line, out);
    else
        snoop_read(cpu, core, line, out);
    CoreCache *cc = &cpu->core[core];
    size_t i = choose_victim(cc, set_base(cpu, line), cpu->cfg.ways);
    if (cc->lines[i].state != MESI_INVALID) {
        out->evicted.happened = true;
        out->evicted.line = cc->tags[i];
        out->evicted.state = (MesiState)cc->lines[i].state;
        out->evicted.writeback = cc->lines[i].state == MESI_MODIFIED;
    }
    way_clear(cc, i);
    cc->tags[i] = line;
    CacheLine *l = &cc->lines[i];
    /* A reader alone gets E, so a later write needs no bus transaction. */
    l->state = write ? MESI_MODIFIED : out->source >= 0 ? MESI_SHARED : MESI_EXCLUSIVE;
    l->stat = contention_find(&cpu->contention, line);
    return i;
}

/* ---- bookkeeping -------------------------------------------------------- */

/* First contention on a line: open its record and tell every core still
 * holding a copy, seeding the bytes each holder (and each victim) used. */
static void open_record(Cpu *cpu, uint64_t line, const AccessResult *out)
{
    uint32_t id = contention_open(&cpu->contention, line);
    LineStats *s = contention_get(&cpu->contention, id);
    for (int i = 0; i < out->ninval; i++)
        s->touched[out->inval[i].core] |= out->inval[i].victim_mask;
    for (int c = 0; c < cpu->cfg.ncores; c++) {
        CacheLine *l = lookup(cpu, c, line);
        if (l) {
            l->stat = id;
            s->touched[c] |= l->used;
        }
    }
}

static void count_line(Cpu *cpu, int core, CacheLine *l, bool write, unsigned flags,
                       const AccessResult *out)
{
    if (l->stat == CONTENTION_NONE) {
        if (out->ninval == 0 && out->outcome != CACHE_HITM)
            return;
        open_record(cpu, out->line, out);
    }
    LineStats *s = contention_get(&cpu->contention, l->stat);
    if (write)
        s->writes[core]++;
    else if (!(flags & ACC_PREFETCH))
        s->reads[core]++;
    s->touched[core] |= out->mask;
    s->hitm += out->outcome == CACHE_HITM;
    for (int i = 0; i < out->ninval; i++) {
        if (out->inval[i].false_sharing)
            s->inval_false++;
        else
            s->inval_true++;
    }
}

/* What this access cost the other cores: only a bus transaction has any. */
static void count_bus(Cpu *cpu, CoreStats *st, const AccessResult *out)
{
    st->inval_sent += (uint64_t)out->ninval;
    for (int i = 0; i < out->ninval; i++) {
        st->false_sharing += out->inval[i].false_sharing;
        cpu->core[out->inval[i].core].stats.inval_received++;
    }
    for (int i = 0; i < out->ndown; i++) {
        CoreStats *v = &cpu->core[out->down[i].core].stats;
        v->downgrades++;
        v->writebacks += out->down[i].writeback;
    }
    st->evictions += out->evicted.happened;
    st->writebacks += out->evicted.writeback;
}

static void count_core(Cpu *cpu, int core, bool write, unsigned flags, const AccessResult *out)
{
    CoreStats *st = &cpu->core[core].stats;
    st->outcomes[out->outcome]++;
    st->cycles += out->cycles;
    /* Adds, not branches: the kind of access is as random as the program. */
    bool prefetch = (flags & ACC_PREFETCH) != 0;
    st->reads += !write && !prefetch;
    st->writes += write;
    st->atomics += (flags & ACC_ATOMIC) != 0;
    st->prefetches += prefetch;
    if (out->outcome != CACHE_HIT)
        count_bus(cpu, st, out);
}

/* ---- the access --------------------------------------------------------- */

static void result_start(AccessResult *out, uint64_t line, uint64_t mask)
{
    out->outcome = CACHE_HIT;
    out->source = -1;
    out->line = line;
    out->mask = mask;
    out->evicted.happened = false;
    out->evicted.line = 0;
    out->evicted.state = MESI_INVALID;
    out->evicted.writeback = false;
    out->ninval = 0;
    out->ndown = 0;
}

static uint32_t cost(const CacheCosts *costs, unsigned flags, CacheOutcome o)
{
    if (flags & ACC_PREFETCH)
        return 0; /* the core does not wait for a prefetch */
    return costs->outcome[o] + ((flags & ACC_ATOMIC) ? costs->atomic_extra : 0);
}

void cpu_access(Cpu *cpu, int core, uint64_t addr, uint32_t size, unsigned flags,
                AccessResult *out)
{
    assert(core >= 0 && core < cpu->cfg.ncores);
    assert(size >= 1 && (addr & cpu->line_mask) + size <= cpu->cfg.line_size);
    bool write = (flags & (ACC_WRITE | ACC_ATOMIC)) != 0;
    assert(!(write && (flags & ACC_PREFETCH)));

    uint64_t line = addr & ~cpu->line_mask;
    uint64_t mask = flags & ACC_PREFETCH ? 0 : byte_mask((uint32_t)(addr & cpu->line_mask), size);
    result_start(out, line, mask);

    CoreCache *cc = &cpu->core[core];
    size_t i = way_of(cpu, core, line);
    if (i == NO_WAY) {
        out->before = MESI_INVALID;
        i = fill(cpu, core, line, write, out);
    } else {
        out->before = (MesiState)cc->lines[i].state;
        if (write && out->before == MESI_SHARED) {
            snoop_write(cpu, core, line, out); /* no data needed: an upgrade */
            out->outcome = CACHE_UPGRADE;
            out->source = -1;
        }
    }
    CacheLine *l = &cc->lines[i];
    if (write)
        l->state = MESI_MODIFIED; /* from E this is silent: nobody else has it */
    l->used |= mask;
    cc->stamps[i] = ++cc->tick;
    out->after = (MesiState)l->state;
    out->cycles = cost(&cpu->cfg.costs, flags, out->outcome);
    count_line(cpu, core, l, write, flags, out);
    count_core(cpu, core, write, flags, out);
}

int cpu_span_lines(const Cpu *cpu, uint64_t addr, uint32_t size)
{
    assert(size >= 1 && addr + size - 1 >= addr);
    uint64_t first = addr >> cpu->line_shift;
    uint64_t last = (addr + size - 1) >> cpu->line_shift;
    return (int)(last - first + 1);
}

int cpu_access_span(Cpu *cpu, int core, uint64_t addr, uint32_t size, unsigned flags,
                    AccessResult *out, int max)
{
    int n = cpu_span_lines(cpu, addr, size);
    assert(n <= max);
    (void)max; /* only the assert reads it */
    assert(n == 1 || !(flags & ACC_ATOMIC));
    for (int i = 0; i < n; i++) {
        uint64_t room = cpu->cfg.line_size - (addr & cpu->line_mask);
        uint32_t chunk = size < room ? size : (uint32_t)room;
        cpu_access(cpu, core, addr, chunk, flags, &out[i]);
        addr += chunk;
        size -= chunk;
    }
    assert(size == 0);
    return n;
}
