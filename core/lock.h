/*
 * lock.h — sync.Mutex and sync.RWMutex as words in simulated memory, with
 * Go 1.19's layouts, so that taking a lock is an atomic read-modify-write the
 * caches see, and a goroutine that cannot get a lock really waits.
 *
 *   Mutex   { state int32 @0; sema uint32 @4 }                      8 bytes
 *   RWMutex { w Mutex @0; writerSem @8; readerSem @12;
 *             readerCount int32 @16; readerWait int32 @20 }          24 bytes
 *
 * The values live here, the addresses in the simulated address space; every
 * read or atomic of a field touches its address.
 *
 * Invariants (lock_check): a Mutex held has mutexLocked set; readers hold an
 * RWMutex only while no writer holds it; readerCount counts readers, minus
 * rwmutexMaxReaders while a writer is pending or holds it.
 */
#ifndef GMV_LOCK_H
#define GMV_LOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define MUTEX_SIZE 8
#define RWMUTEX_SIZE 24

typedef struct {
    uint64_t addr;
    int32_t state;   /* mutexLocked | mutexWoken | waiters << 3 */
    uint32_t sema;
    int holder;      /* goroutine holding it, -1 if none (for checks) */
} GoMutex;

typedef struct {
    uint64_t addr;
    GoMutex w;
    uint32_t writer_sem, reader_sem;
    int32_t reader_count, reader_wait;
    int readers;     /* goroutines holding a read lock (for checks) */
    int writer;      /* goroutine holding the write lock, -1 if none */
} GoRWMutex;

void mutex_init(GoMutex *mu, uint64_t addr);
/* Models sync.(*Mutex).Lock (mutex.go:81) without spinning or starvation
 * mode: CAS fast path, else count a waiter and sleep on sema. */
void mutex_lock(Machine *m, GoMutex *mu);
/* Models sync.(*Mutex).Unlock (mutex.go:184). */
void mutex_unlock(Machine *m, GoMutex *mu);

void rwmutex_init(GoRWMutex *rw, uint64_t addr);
/* Models sync.(*RWMutex).RLock (rwmutex.go:56): one atomic add on
 * readerCount — the line every reader core must own, in turn. */
void rwmutex_rlock(Machine *m, GoRWMutex *rw);
void rwmutex_runlock(Machine *m, GoRWMutex *rw);
void rwmutex_lock(Machine *m, GoRWMutex *rw);
void rwmutex_unlock(Machine *m, GoRWMutex *rw);

bool mutex_check(const GoMutex *mu);
bool rwmutex_check(const GoRWMutex *rw);

#endif
