/*
 * event.h — the vocabulary of the trace: every event type and its fields.
 *
 * One table (GMV_EVENTS) is the single source of truth for the writer, the
 * reader, `dump` and the viewer.  Each entry gives the event's name, the kind
 * of each field and the field names:
 *
 *   'u' unsigned varint        'i' signed (zigzag) varint
 *   'a' address: zigzag delta from the previous 'a' field in the same chunk
 *   's' string id (an index into the trace's string table; 0 = "")
 *   'c' context (core, goroutine): leading fields, omitted when equal to
 *       the previous event of the same type in the chunk (EVENT_CTX_SAME)
 *   'r' relative: zigzag difference from the field before it (never first);
 *       ALLOC.rounded is size plus the size class's waste, often one byte
 *
 * Invariant: the numeric value of an event type never changes once a trace
 * format version is published.  New events are appended at the end of the
 * table (before EV_COUNT); a reader rejects types >= EV_COUNT.
 */
#ifndef GMV_EVENT_H
#define GMV_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EVENT_MAX_FIELDS 8

/* X(ID, name, kinds, field names) */
#define GMV_EVENTS(X)                                                              \
    /* memory: allocation, garbage, free, spans, stacks, arenas */                 \
    X(ALLOC, "alloc", "aurusuuu", "addr size rounded class type kind space g")    \
    X(GARBAGE, "garbage", "a", "addr")                                             \
    X(FREE, "free", "au", "addr rounded")                                          \
    X(SPAN_NEW, "span_new", "auuuu", "addr npages class noscan nelems")            \
    X(SPAN_FREE, "span_free", "a", "addr")                                         \
    X(GC, "gc", "uu", "freed_objects freed_bytes")                                 \
    X(G_CREATE, "g_create", "usaa", "g fn stack_lo stack_hi")                      \
    X(FRAME_PUSH, "frame_push", "usa", "g fn sp")                                  \
    X(FRAME_POP, "frame_pop", "ua", "g sp")                                        \
    X(LOCAL, "local", "ussau", "g name type addr size")                            \
    X(ARENA_NEW, "arena_new", "uau", "id addr size")                               \
    X(ARENA_FREE, "arena_free", "uu", "id bytes")                                  \
    /* machine: accesses and coherence */                                          \
    X(ACCESS, "access", "ccauu", "core g addr size info")                          \
    X(INVALIDATE, "invalidate", "ccauuu", "writer victim line wmask vmask false_sharing") \
    X(DOWNGRADE, "downgrade", "uauu", "core line by writeback")                    \
    X(EVICT, "evict", "uau", "core line writeback")                                \
    X(COST_TABLE, "cost_table", "uuuuuu", "hit memory hitm clean upgrade atomic")  \
    /* scheduling and locks */                                                     \
    X(G_RUN, "g_run", "uu", "g core")                                              \
    X(G_BLOCK, "g_block", "ua", "g on")                                            \
    X(G_UNBLOCK, "g_unblock", "u", "g")                                            \
    X(G_EXIT, "g_exit", "u", "g")                                                  \
    X(LOCK_ACQUIRE, "lock_acquire", "uau", "g addr kind")                          \
    X(LOCK_RELEASE, "lock_release", "uau", "g addr kind")                          \
    X(LOCK_WAIT, "lock_wait", "uau", "g addr kind")                                \
    /* structure: slices */                                                        \
    X(SLICE_MAKE, "slice_make", "aauuusus", "hdr array len cap elem type where reason") \
    X(SLICE_GROW, "slice_grow", "aauuuu", "old new oldlen oldcap newcap elem")     \
    X(SLICE_COPY, "slice_copy", "aau", "dst src bytes")                            \
    X(PANIC, "panic", "us", "g msg")                                               \
    /* structure: maps */                                                          \
    X(MAP_NEW, "map_new", "auuuus", "h keysize elemsize bucketsize B type")        \
    X(MAP_BUCKETS, "map_buckets", "aauu", "h buckets B nbuckets")                  \
    X(MAP_SLOT_SET, "map_slot_set", "aauusuii", "h bucket slot tophash label nums key elem") \
    X(MAP_SLOT_CLEAR, "map_slot_clear", "aauu", "h bucket slot tophash")           \
    X(MAP_OVERFLOW, "map_overflow", "aaa", "h bucket overflow")                    \
    X(MAP_GROW_START, "map_grow_start", "auuuaa", "h old_B new_B same_size oldbuckets buckets") \
    X(MAP_EVACUATE, "map_evacuate", "auuu", "h oldbucket to_x to_y")               \
    X(MAP_GROW_END, "map_grow_end", "a", "h")                                      \
    X(MAP_SEED, "map_seed", "au", "h hash0")                                       \
    /* structure: sync.Map */                                                      \
    X(SM_NEW, "sm_new", "a", "m")                                                  \
    X(SM_READ_STORE, "sm_read_store", "aaau", "m readonly readmap amended")       \
    X(SM_DIRTY_INIT, "sm_dirty_init", "aauu", "m dirty copied expunged")          \
    X(SM_MISS, "sm_miss", "auu", "m misses dirty_len")                             \
    X(SM_PROMOTE, "sm_promote", "aaa", "m oldread newread")                        \
    X(SM_ENTRY, "sm_entry", "aaiua", "m entry key state value")                    \
    X(SM_EXPUNGE, "sm_expunge", "aa", "m entry")                                   \
    X(SM_UNEXPUNGE, "sm_unexpunge", "aa", "m entry")                               \
    /* lessons and narration */                                                    \
    X(LESSON_BEGIN, "lesson_begin", "uss", "id title source")                      \
    X(STEP, "step", "us", "index title")                                           \
    X(NARRATE, "narrate", "s", "text")                                             \
    X(SOURCE_LINE, "source_line", "u", "line")                                     \
    X(CLAIM, "claim", "su", "text ok")                                             \
    X(QUESTION, "question", "ssu", "text choices answer")                          \
    X(VARIANT, "variant", "us", "id name")                                         \
    X(MARK, "mark", "s", "label")                                                  \
    /* appended after v1's first cut: a named field inside an object */          \
    X(FIELD, "field", "auus", "obj offset size name")                             \
    /* the header variable at hdr now holds {array, len, cap} */                  \
    X(SLICE_SET, "slice_set", "aauu", "hdr array len cap")

typedef enum {
#define GMV_EV_ENUM(id, name, kinds, fields) EV_##id,
    GMV_EVENTS(GMV_EV_ENUM)
#undef GMV_EV_ENUM
    EV_COUNT
} EventType;

/* What a heap/stack object holds; the viewer colours blocks by it. */
typedef enum {
    OBJ_OTHER, OBJ_HMAP, OBJ_BUCKETS, OBJ_OVERFLOW, OBJ_MAPEXTRA, OBJ_ENTRY,
    OBJ_BOXED, OBJ_ARRAY, OBJ_ARENA, OBJ_READONLY, OBJ_KEY, OBJ_ELEM, OBJ_VALUE,
    OBJ_TINY_BLOCK, OBJ_COUNT
} ObjKind;

/* Where an allocation lives. */
typedef enum {
    SPACE_HEAP, SPACE_TINY, SPACE_LARGE, SPACE_STACK, SPACE_ARENA, SPACE_STATIC,
    SPACE_COUNT
} MemSpace;

/* ACCESS.info packs the access flags, the outcome and the MESI states of
 * the line in the accessing core: bits 0-1 flags (ACCESS_WRITE,
 * ACCESS_ATOMIC), bits 2-4 outcome, bits 5-6 state after, bits 7-8 state
 * before XOR after (0 when unchanged, so a hit fits in one byte). */
enum { ACCESS_WRITE = 1, ACCESS_ATOMIC = 2 };
typedef enum {
    OUTCOME_NONE,      /* no cache simulated */
    OUTCOME_HIT, OUTCOME_MISS_MEM, OUTCOME_HITM, OUTCOME_MISS_CLEAN,
    OUTCOME_UPGRADE, OUTCOME_COUNT
} AccessOutcome;
enum { MESI_I, MESI_S, MESI_E, MESI_M };

static inline uint64_t access_info(unsigned flags, unsigned outcome,
                                   unsigned before, unsigned after)
{
    return flags | outcome << 2 | after << 5 | (before ^ after) << 7;
}
#define ACCESS_INFO_FLAGS(x) ((unsigned)(x)&3u)
#define ACCESS_INFO_OUTCOME(x) ((unsigned)((x) >> 2) & 7u)
#define ACCESS_INFO_AFTER(x) ((unsigned)((x) >> 5) & 3u)
#define ACCESS_INFO_BEFORE(x) ((((unsigned)((x) >> 7)) ^ ACCESS_INFO_AFTER(x)) & 3u)

/* MAP_SLOT_SET.nums: which of key and elem hold the slot's int64 values
 * (the label is then ""): numbers cost no formatting while recording. */
enum { SLOT_NUMS_NONE, SLOT_NUMS_KEY, SLOT_NUMS_KEY_ELEM };

/* Lock kinds for LOCK_* events. */
typedef enum { LOCK_MUTEX, LOCK_RLOCK, LOCK_WLOCK } LockKind;

/* sync.Map entry states for SM_ENTRY. */
typedef enum { ENTRY_VALUE, ENTRY_NIL, ENTRY_EXPUNGED } EntryState;

/* A decoded event, as the reader hands it out. */
typedef struct {
    uint64_t index;            /* position in the trace, from 0 */
    uint16_t type;             /* EventType */
    uint16_t nfields;
    uint64_t f[EVENT_MAX_FIELDS];
} Event;

typedef struct {
    const char *name;
    const char *kinds;          /* one char per field */
    const char *field_names;    /* space separated */
    unsigned nfields;
} EventInfo;

/* Field kinds per type, visible to the compiler so that TRACE() sites with a
 * constant type are specialised (see tracer_emit). */
static const char *const event_kinds[EV_COUNT] = {
#define GMV_EV_KINDS(id, name, kinds, fields) kinds,
    GMV_EVENTS(GMV_EV_KINDS)
#undef GMV_EV_KINDS
};
static const uint8_t event_nfields[EV_COUNT] = {
#define GMV_EV_NFIELDS(id, name, kinds, fields) sizeof(kinds) - 1,
    GMV_EVENTS(GMV_EV_NFIELDS)
#undef GMV_EV_NFIELDS
};
/* Number of leading 'c' (context) fields per type. */
static inline unsigned event_nctx(unsigned type)
{
    const char *k = event_kinds[type];
    return k[0] != 'c' ? 0 : k[1] != 'c' ? 1 : 2;
}
#define EVENT_MAX_CTX 2
#define EVENT_CTX_SAME 0x80u /* type byte flag: context fields omitted */

/* Schema of an event type; NULL unless type < EV_COUNT. */
const EventInfo *event_info(unsigned type);
/* Look an event type up by name; returns EV_COUNT if unknown. */
unsigned event_by_name(const char *name);
/* Field index by name for a type, or -1. */
int event_field(unsigned type, const char *field);
/* Short names for enums, for dump and the viewer. */
const char *objkind_name(unsigned kind);
const char *space_name(unsigned space);
const char *outcome_name(unsigned outcome);
const char *mesi_name(unsigned state);

#endif
