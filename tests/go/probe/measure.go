// Allocation measurement, in the manner of testing.AllocsPerRun: count
// runtime.MemStats.Mallocs (heap objects, tiny ones included) and TotalAlloc
// (bytes, each object counted at its size class; a tiny allocation adds 16
// only when it opens a new 16-byte block) across the code under test.
//
// Noise control: one P (runtime.GOMAXPROCS(1)), no automatic GC
// (debug.SetGCPercent(-1); collections only where we call runtime.GC, never
// inside a sample), and the cost of an empty sample subtracted.
package main

import (
	"runtime"
	"runtime/debug"
)

type memDelta struct{ allocs, bytes uint64 }

var (
	msBefore, msAfter runtime.MemStats // globals: ReadMemStats must not allocate them
	quiet             bool
)

// quiesce puts the runtime in the measuring configuration (idempotent).
func quiesce() {
	if !quiet {
		runtime.GOMAXPROCS(1)
		debug.SetGCPercent(-1)
		quiet = true
	}
}

// sample returns the Mallocs and TotalAlloc deltas across one call of f.
func sample(f func()) memDelta {
	runtime.ReadMemStats(&msBefore)
	f()
	runtime.ReadMemStats(&msAfter)
	return memDelta{msAfter.Mallocs - msBefore.Mallocs, msAfter.TotalAlloc - msBefore.TotalAlloc}
}

func nop() {}

// overhead is what sample itself costs (expected 0, subtracted anyway).
func overhead() memDelta {
	quiesce()
	return sample(nop)
}

func (d memDelta) minus(o memDelta) memDelta {
	return memDelta{d.allocs - o.allocs, d.bytes - o.bytes}
}

// measureStable samples prepare()'s returned function reps times, each after
// a runtime.GC and on fresh state, and returns the result once reps
// consecutive samples agree (up to 10 tries).
func measureStable(reps int, prepare func() func()) memDelta {
	o := overhead()
	for try := 0; try < 10; try++ {
		var first memDelta
		agree := true
		for r := 0; r < reps && agree; r++ {
			runtime.GC()
			f := prepare()
			d := sample(f).minus(o)
			if r == 0 {
				first = d
			}
			agree = d == first
		}
		if agree {
			return first
		}
	}
	die(1, "allocation counts did not settle after 10 tries")
	return memDelta{}
}
