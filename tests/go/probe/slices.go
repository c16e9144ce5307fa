// slice-append and slice-bulk: capacities chosen by the real growslice
// (runtime/slice.go:178).
//
// For the element sizes in compiledSliceSizes the probe runs code the
// compiler generated for []T with T = [S]byte: `s = append(s, x)` and
// `s = append(s, src[:k]...)`, which call growslice(T, s, len(s)+k) when the
// capacity is short. For any other size it calls that same runtime function
// directly (linked by name) with the type descriptor reflect.ArrayOf builds
// for [S]byte: the call the compiler would have emitted. probe_test.go checks
// that both paths agree on every compiled size.
//
// reflect.Append is NOT used: in go1.19 it grows slices with its own loop
// (reflect/value.go:2706, no roundupsize), so it disagrees with append.
package main

import (
	"fmt"
	"reflect"
	"unsafe"
)

// sliceKit runs the two slice probes for one element size.
type sliceKit struct {
	// appendEach appends count zero elements one at a time to a nil slice
	// and reports (len, cap) after each append that changed cap.
	appendEach func(count int, emit func(l, c int))
	// bulk makes a slice with len l and cap c, appends k elements in one
	// append and returns the resulting cap.
	bulk func(l, c, k int) int
}

// compiledKit instantiates compiler-generated appends for element type T.
func compiledKit[T any]() sliceKit {
	return sliceKit{
		appendEach: func(count int, emit func(l, c int)) {
			var s []T
			var x T
			for i := 0; i < count; i++ {
				old := cap(s)
				s = append(s, x)
				if cap(s) != old {
					emit(len(s), cap(s))
				}
			}
		},
		bulk: func(l, c, k int) int {
			s := make([]T, l, c)
			src := make([]T, k)
			return cap(append(s, src...))
		},
	}
}

var compiledSliceSizes = map[int]sliceKit{
	0: compiledKit[[0]byte](), 1: compiledKit[[1]byte](), 2: compiledKit[[2]byte](),
	3: compiledKit[[3]byte](), 4: compiledKit[[4]byte](), 5: compiledKit[[5]byte](),
	7: compiledKit[[7]byte](), 8: compiledKit[[8]byte](), 12: compiledKit[[12]byte](),
	16: compiledKit[[16]byte](), 24: compiledKit[[24]byte](), 32: compiledKit[[32]byte](),
	40: compiledKit[[40]byte](), 48: compiledKit[[48]byte](), 64: compiledKit[[64]byte](),
	100: compiledKit[[100]byte](), 128: compiledKit[[128]byte](), 256: compiledKit[[256]byte](),
	1000: compiledKit[[1000]byte](), 1024: compiledKit[[1024]byte](),
}

// sliceHeader mirrors runtime.slice (slice.go:15).
type sliceHeader struct {
	array unsafe.Pointer
	len   int
	cap   int
}

// growslice is runtime.growslice itself (slice.go:178); et is a *_type.
//
//go:linkname growslice runtime.growslice
func growslice(et unsafe.Pointer, old sliceHeader, cap int) sliceHeader

// runtimeKit calls growslice exactly as compiled append does
// (cmd/compile/internal/ssagen: `if newlen > cap { s = growslice(T, s, newlen) }`).
func runtimeKit(size int) sliceKit {
	at := reflect.ArrayOf(size, reflect.TypeOf(byte(0)))
	et := typeWord(at)
	st := reflect.SliceOf(at)
	appendTo := func(s sliceHeader, k int) sliceHeader {
		if s.len+k > s.cap {
			s = growslice(et, s, s.len+k)
		}
		s.len += k
		return s
	}
	header := func(l, c int) sliceHeader {
		v := reflect.MakeSlice(st, l, c) // a real backing array to copy from
		return sliceHeader{v.UnsafePointer(), l, c}
	}
	return sliceKit{
		appendEach: func(count int, emit func(l, c int)) {
			var s sliceHeader
			for i := 0; i < count; i++ {
				old := s.cap
				s = appendTo(s, 1)
				if s.cap != old {
					emit(s.len, s.cap)
				}
			}
		},
		bulk: func(l, c, k int) int { return appendTo(header(l, c), k).cap },
	}
}

func sliceKitFor(size int) sliceKit {
	if k, ok := compiledSliceSizes[size]; ok {
		return k
	}
	return runtimeKit(size)
}

const maxElem = 1 << 16

func cmdSliceAppend(args []string) {
	f := intFlags("slice-append", args, 1<<24, "elem-size", "count")
	if f["elem-size"] > maxElem || f["elem-size"]*f["count"] > 1<<30 {
		die(2, "slice-append: elem-size*count too large")
	}
	sliceKitFor(f["elem-size"]).appendEach(f["count"], func(l, c int) {
		fmt.Printf("{\"probe\":\"slice-append\",\"elem_size\":%d,\"len\":%d,\"cap\":%d}\n", f["elem-size"], l, c)
	})
}

func cmdSliceBulk(args []string) {
	f := intFlags("slice-bulk", args, 1<<24, "elem-size", "len", "cap", "add")
	if f["len"] > f["cap"] {
		die(2, "slice-bulk: --len must be ≤ --cap")
	}
	if f["elem-size"] > maxElem || f["elem-size"]*(f["cap"]+f["add"]) > 1<<30 {
		die(2, "slice-bulk: sizes too large")
	}
	newcap := sliceKitFor(f["elem-size"]).bulk(f["len"], f["cap"], f["add"])
	fmt.Printf("{\"probe\":\"slice-bulk\",\"newcap\":%d}\n", newcap)
}
