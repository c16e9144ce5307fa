// The allocs cases. Each comment says what one operation is.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

const big = 1 << 20 // ints from here on are boxed when converted to any

// The lessons' lock-plus-map structs (core/rwmap.h), and sinks that make
// them escape.
type rwMap struct {
	mu sync.RWMutex
	m  map[int]int
}

type muMap struct {
	mu sync.Mutex
	m  map[int]int
}

var (
	syncMapSink *sync.Map
	rwMapSink   *rwMap
	muMapSink   *muMap
)

//go:noinline
func muMapLocal(k int) int {
	var mu sync.Mutex
	m := make(map[int]int, 64)
	mu.Lock()
	m[k] = k
	mu.Unlock()
	return len(m)
}

var allocCases = []allocCase{
	// m.Store(k, 1): k a new key, non-constant int < 256; m amended, dirty
	// presized. Expect: value moved to heap (Store takes &value), newEntry's
	// i moved to heap, the *entry.
	{"syncmap-store-new", 200, func(int) (func(int), func() bool) {
		m, ok := amendedWithRoom(255)
		return func(i int) { m.Store(i, 1) }, ok
	}},
	// m.Store(k, v): k and v new non-constant ints ≥ 256, otherwise as
	// above; adds the two 8-byte boxes.
	{"syncmap-store-new-boxed", 1000, func(int) (func(int), func() bool) {
		m, ok := amendedWithRoom(255)
		return func(i int) { m.Store(big+i, big+i) }, ok
	}},
	// m.Store(1, 1) on a zero sync.Map: dirtyLocked makes the dirty map
	// (hmap only, hint 0), read is stored as readOnly{amended: true} (boxed),
	// mapassign allocates the first bucket, plus value, i and entry.
	{"syncmap-store-first", 1000, func(runs int) (func(int), func() bool) {
		ms := make([]sync.Map, runs+1)
		return func(i int) { ms[i].Store(1, 1) }, always
	}},
	// m.Store(k, 1): k (< 256) already in read: lock-free CAS; only the
	// value moved to heap.
	{"syncmap-store-existing", 1000, func(int) (func(int), func() bool) {
		m := readWith256()
		return func(i int) { m.Store(i&255, 1) }, always
	}},
	// m.Store(k, v): k (< 256) in read, v non-constant ≥ 256 (boxed).
	{"syncmap-store-existing-boxed", 1000, func(int) (func(int), func() bool) {
		m := readWith256()
		return func(i int) { m.Store(i&255, big+i) }, always
	}},
	// m.Load(k): k (< 256) in read.
	{"syncmap-load-hit", 1000, func(int) (func(int), func() bool) {
		m := readWith256()
		return func(i int) { m.Load(i & 255) }, always
	}},
	// m.Load(k): k (< 256) only in dirty (256 keys), so it takes the lock
	// and counts a miss; 201 misses stay below len(dirty): no promotion.
	{"syncmap-load-dirty", 200, func(int) (func(int), func() bool) {
		m := new(sync.Map)
		for k := 0; k < 256; k++ {
			m.Store(k, 1)
		}
		return func(i int) { m.Load(i) }, func() bool {
			s := readSyncState(m)
			return !s.dirtyNil && s.dirtyLen == 256 && s.misses == 201 && s.readLen == 0
		}
	}},
	// m.Load(1) on a map holding only key 1, in dirty (misses 0,
	// len(dirty) 1): the miss promotes dirty; read.Store boxes a readOnly.
	{"syncmap-load-promote", 1000, func(runs int) (func(int), func() bool) {
		ms := make([]sync.Map, runs+1)
		for i := range ms {
			ms[i].Store(1, 1)
		}
		return func(i int) { ms[i].Load(1) }, func() bool {
			s := readSyncState(&ms[runs])
			return s.dirtyNil && s.readLen == 1 && !s.amended
		}
	}},
	// mu.Lock(); m[k] = k; mu.Unlock(): m an escaping map[int]int made with
	// hint 1<<14, k a new key.
	{"map-assign-new-presized", 1000, func(int) (func(int), func() bool) {
		var mu sync.Mutex
		m := make(map[int]int, 1<<14)
		mapSink = m
		return func(i int) { mu.Lock(); m[i] = i; mu.Unlock() }, hmapSteady(*(**hmap)(unsafe.Pointer(&m)), true)
	}},
	// mu.Lock(); m[k] = v; mu.Unlock(): m an escaping map[any]any made with
	// hint 1<<14, k and v new non-constant ints ≥ 256 (two boxes).
	{"mapany-assign-new-boxed", 1000, func(int) (func(int), func() bool) {
		var mu sync.Mutex
		m := make(map[any]any, 1<<14)
		mapSink = m
		return func(i int) { mu.Lock(); m[big+i] = big + i; mu.Unlock() }, hmapSteady(*(**hmap)(unsafe.Pointer(&m)), false)
	}},
	// One call of localMap8: make a non-escaping map[int]int, insert 8 keys.
	{"local-map-8", 1000, func(int) (func(int), func() bool) {
		return func(int) { intSink += localMap8() }, always
	}},
	// One call of localMap9: the same with 9 keys; the 9th grows the map.
	// Samples in which a call needed an overflow bucket are discarded, so
	// this is the common case (see localMap9); 100 runs keep most samples.
	{"local-map-9", 100, func(int) (func(int), func() bool) {
		localMapOverflowed = false
		return func(int) { intSink += localMap9() }, func() bool { return !localMapOverflowed }
	}},
	// new(sync.Map), escaping (lessons 6, 8 and 10 declare theirs this way):
	// the 40-byte struct in a 48-byte block.
	{"syncmap-new", 1000, func(int) (func(int), func() bool) {
		return func(int) { syncMapSink = new(sync.Map) }, always
	}},
	// &struct{mu sync.RWMutex; m map[int]int}{m: make(map[int]int, 64)},
	// escaping (lessons 8 and 10): the struct, then makemap's hmap, bucket
	// array with its spare overflow bucket, and mapextra.
	{"rwmap-new-64", 1000, func(int) (func(int), func() bool) {
		return func(int) { rwMapSink = &rwMap{m: make(map[int]int, 64)} }, always
	}},
	// The same with a sync.Mutex (lesson 11).
	{"mumap-new-64", 1000, func(int) (func(int), func() bool) {
		return func(int) { muMapSink = &muMap{m: make(map[int]int, 64)} }, always
	}},
	// One call of muMapLocal: lesson 9's benchmark set-up, var mu
	// sync.Mutex and m := make(map[int]int, 64) as locals, then one Store.
	// mu is moved to heap (8 B, tiny); the hmap stays in the frame.
	{"mumap-local-64", 1000, func(int) (func(int), func() bool) {
		return func(i int) { intSink += muMapLocal(i) }, always
	}},
	// One call of sliceMakeVar(4): local make([]int, n), n a parameter.
	{"slice-make-var", 1000, func(int) (func(int), func() bool) {
		return func(int) { intSink += sliceMakeVar(4) }, always
	}},
	// One call of sliceMake64k: local make([]byte, 65536), not escaping.
	{"slice-make-64k", 1000, func(int) (func(int), func() bool) {
		return func(i int) { byteSink += sliceMake64k(i) }, always
	}},
	// One call of sliceMake64kPlus1: local make([]byte, 65537), not escaping.
	{"slice-make-64k-plus-1", 1000, func(int) (func(int), func() bool) {
		return func(i int) { byteSink += sliceMake64kPlus1(i) }, always
	}},
}

// perOp measures one case: the per-operation floor of three agreeing,
// valid samples.
func perOp(c allocCase) memDelta {
	o := overhead()
	var got []memDelta
	for try := 0; try < 20 && len(got) < 3; try++ {
		runtime.GC()
		op, valid := c.prepare(c.runs)
		op(0) // warm-up, as AllocsPerRun
		d := sample(func() {
			for i := 1; i <= c.runs; i++ {
				op(i)
			}
		}).minus(o)
		if valid() {
			got = append(got, memDelta{d.allocs / uint64(c.runs), d.bytes / uint64(c.runs)})
		}
	}
	if len(got) < 3 || got[0] != got[1] || got[1] != got[2] {
		die(1, "allocs %s: no three agreeing valid samples: %v", c.name, got)
	}
	return got[0]
}

func cmdAllocs(args []string) {
	name := stringFlag("allocs", args, "case")
	for _, c := range allocCases {
		if c.name == name {
			d := perOp(c)
			fmt.Printf("{\"probe\":\"allocs\",\"case\":%q,\"allocs\":%d,\"bytes\":%d}\n", name, d.allocs, d.bytes)
			return
		}
	}
	die(2, "allocs: unknown case %q (see list-cases)", name)
}

func cmdListCases(args []string) {
	for _, c := range allocCases {
		fmt.Println(c.name)
	}
}
