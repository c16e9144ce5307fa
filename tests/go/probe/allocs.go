// allocs: steady-state heap allocations of ONE operation, measured like
// testing.AllocsPerRun: op(0) warms up, then runs operations are sampled
// together and the Mallocs and TotalAlloc deltas are divided by runs with
// integer division (AllocsPerRun's rounding). Each case is sampled three
// times on fresh state and the three results must agree.
//
// "One operation" always includes converting the arguments at the call site
// (an int < 256 converted to any uses runtime.staticuint64s and a constant
// uses static data: no allocation; any other int costs an 8-byte noscan
// object from the tiny allocator: 1 malloc, 8 bytes on average). Map growth
// is kept out by presizing; a sample during which a map grew, or needed an
// overflow bucket that had to be malloc'd, is discarded and taken again.
package main

import (
	"sync"
	"unsafe"
)

type allocCase struct {
	name string
	runs int
	// prepare makes fresh state for operations 0..runs and returns the
	// operation and a check, run after sampling, that the state did not
	// drift (map growth, malloc'd overflow bucket, unwanted promotion).
	prepare func(runs int) (op func(i int), valid func() bool)
}

var (
	intSink            int
	byteSink           byte
	localMapOverflowed bool
)

func always() bool { return true }

// hmapSteady reports, when called later, whether h neither grew nor had to
// malloc an overflow bucket. Preallocated overflow buckets (B ≥ 4) cost no
// malloc in a map with pointers, but in a pointer-free map every overflow
// bucket is also appended to h.extra.overflow (map.go:268), which allocates.
func hmapSteady(h *hmap, pointerFree bool) func() bool {
	b, nov, buckets := h.B, h.noverflow, h.buckets
	return func() bool {
		if h.B != b || h.buckets != buckets || h.oldbuckets != nil {
			return false
		}
		if pointerFree {
			return h.noverflow == nov
		}
		return h.noverflow == nov || h.extra != nil && h.extra.nextOverflow != nil
	}
}

// amendedWithRoom returns a sync.Map that is amended and whose dirty map
// has room for thousands of new keys without growing: 4096 keys ≥ 1<<30 are
// stored, promoted by Range and deleted (their entries stay in read.m with
// p == nil), so the next new key makes dirtyLocked allocate
// make(map[any]*entry, 4096) (B = 10) and expunge all of them instead of
// copying. That next key is `first`.
func amendedWithRoom(first int) (*sync.Map, func() bool) {
	m := new(sync.Map)
	for k := 1 << 30; k < 1<<30+4096; k++ {
		m.Store(k, 1)
	}
	m.Range(func(_, _ any) bool { return true })
	for k := 1 << 30; k < 1<<30+4096; k++ {
		m.Delete(k)
	}
	m.Store(first, 1)
	s := readSyncState(m)
	if !s.amended || s.dirtyLen != 1 || s.dirty.B != 10 {
		die(1, "allocs: setup of an amended sync.Map failed")
	}
	return m, hmapSteady(s.dirty, false)
}

// readWith256 returns a sync.Map whose read map holds keys 0..255 (value 1)
// and no dirty map.
func readWith256() *sync.Map {
	m := new(sync.Map)
	for k := 0; k < 256; k++ {
		m.Store(k, 1)
	}
	m.Range(func(_, _ any) bool { return true })
	return m
}

//go:noinline
func localMap8() int {
	m := make(map[int]int) // does not escape: hmap and one bucket in the frame
	for k := 0; k < 8; k++ {
		m[k] = k
	}
	return len(m)
}

//go:noinline
func localMap9() int {
	m := make(map[int]int)
	for k := 0; k < 9; k++ { // the 9th insert grows B 0→1: heap bucket array
		m[k] = k
	}
	// About 1 call in 256 also needs an overflow bucket (all 9 keys hash to
	// one of the 2 buckets), costing 4 more mallocs; flag those calls.
	if (*(**hmap)(unsafe.Pointer(&m))).noverflow != 0 {
		localMapOverflowed = true
	}
	return len(m)
}

//go:noinline
func sliceMakeVar(n int) int {
	s := make([]int, n) // does not escape, but non-constant size: heap
	s[n-1] = n
	return s[0] + s[n-1]
}

//go:noinline
func sliceMake64k(i int) byte {
	s := make([]byte, 65536) // constant size ≤ 64 KiB: stack
	s[i&0xffff] = byte(i)
	return s[(i*7)&0xffff]
}

//go:noinline
func sliceMake64kPlus1(i int) byte {
	s := make([]byte, 65537) // "too large for stack": heap
	s[i&0xffff] = byte(i)
	return s[(i*7)&0xffff]
}
