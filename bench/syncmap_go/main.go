// syncmap_go: real Go 1.19 numbers for docs/syncmap.md — sync.Map against a
// map behind a Mutex or an RWMutex, for new-key stores, existing-key stores
// and loads, with 1 goroutine and with RunParallel on GOMAXPROCS cores.
// Keys and values are ints >= 1<<20 (boxed when converted to any), as in the
// model's `gomemviz bench syncmap`.
//
//	go run . [-cpu 1,2,4]
package main

import (
	"flag"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const big = 1 << 20
const prefill = 1 << 12

type kv interface {
	load(k int)
	store(k, v int)
}

type syncMap struct{ m sync.Map }

func (s *syncMap) load(k int)     { s.m.Load(k) }
func (s *syncMap) store(k, v int) { s.m.Store(k, v) }

type muMap struct {
	mu sync.Mutex
	m  map[int]int
}

func (s *muMap) load(k int)     { s.mu.Lock(); _ = s.m[k]; s.mu.Unlock() }
func (s *muMap) store(k, v int) { s.mu.Lock(); s.m[k] = v; s.mu.Unlock() }

type rwMap struct {
	mu sync.RWMutex
	m  map[int]int
}

func (s *rwMap) load(k int)     { s.mu.RLock(); _ = s.m[k]; s.mu.RUnlock() }
func (s *rwMap) store(k, v int) { s.mu.Lock(); s.m[k] = v; s.mu.Unlock() }

func newImpl(name string, hint int) kv {
	switch name {
	case "sync.Map":
		return &syncMap{}
	case "map+Mutex":
		return &muMap{m: make(map[int]int, hint)}
	default:
		return &rwMap{m: make(map[int]int, hint)}
	}
}

// filled returns an implementation holding keys big..big+prefill, in read
// (sync.Map: promoted by Range).
func filled(name string) kv {
	s := newImpl(name, prefill)
	for k := 0; k < prefill; k++ {
		s.store(big+k, big+k)
	}
	if sm, ok := s.(*syncMap); ok {
		sm.m.Range(func(_, _ any) bool { return true })
	}
	return s
}

var keyBase int64 = 1 << 40

func bench(name, op string, par bool) testing.BenchmarkResult {
	return testing.Benchmark(func(b *testing.B) {
		var s kv
		if op == "store-new" {
			s = newImpl(name, b.N) // presized: measures the insert, not growth
		} else {
			s = filled(name)
		}
		b.ReportAllocs()
		b.ResetTimer()
		body := func(i int, base int) {
			switch op {
			case "store-new":
				s.store(base+i, base+i)
			case "store-existing":
				s.store(big+i%prefill, big+i)
			case "load":
				s.load(big + i%prefill)
			}
		}
		if !par {
			for i := 0; i < b.N; i++ {
				body(i, big)
			}
			return
		}
		b.RunParallel(func(pb *testing.PB) {
			base := int(atomic.AddInt64(&keyBase, 1<<30)) // disjoint new keys per goroutine
			i := 0
			for pb.Next() {
				if op == "store-new" {
					body(i, base)
				} else {
					body(i+base%997, big)
				}
				i++
			}
		})
	})
}

func main() {
	cpus := flag.String("cpu", "1,2,4", "GOMAXPROCS values for the parallel runs")
	flag.Parse()
	fmt.Printf("# %s %s/%s NumCPU=%d\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Printf("%-16s %-10s %-5s %10s %8s %10s\n", "op", "impl", "procs", "ns/op", "B/op", "allocs/op")
	for _, op := range []string{"store-new", "store-existing", "load"} {
		for _, c := range strings.Split(*cpus, ",") {
			n, _ := strconv.Atoi(c)
			runtime.GOMAXPROCS(n)
			for _, impl := range []string{"sync.Map", "map+Mutex", "map+RWMutex"} {
				r := bench(impl, op, n > 1)
				fmt.Printf("%-16s %-10s %-5d %10.1f %8d %10d\n", op, impl, n,
					float64(r.T.Nanoseconds())/float64(r.N), r.AllocedBytesPerOp(), r.AllocsPerOp())
			}
		}
	}
}
