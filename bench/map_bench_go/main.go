// Command map_bench_go is bench/map_bench.c's workload on the real Go 1.19
// map: insert N int64 keys (same scrambled order) into make(map[int64]int64)
// with no hint, then look every one up. Prints the same line shape.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func keyOf(i int64) int64 {
	return int64(uint64(i) * 0x9e3779b97f4a7c15 >> 1)
}

var sink int

func main() {
	n := int64(1000000)
	if len(os.Args) > 1 {
		v, err := strconv.ParseInt(os.Args[1], 10, 64)
		if err != nil || v <= 0 {
			fmt.Fprintln(os.Stderr, "usage: map_bench_go [N]")
			os.Exit(2)
		}
		n = v
	}
	m := make(map[int64]int64)
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		m[keyOf(i)] = i
	}
	t1 := time.Now()
	found := 0
	for i := int64(0); i < n; i++ {
		if _, ok := m[keyOf(i)]; ok {
			found++
		}
	}
	t2 := time.Now()
	sink = found
	if found != int(n) {
		fmt.Fprintf(os.Stderr, "map_bench_go: found %d of %d\n", found, n)
		os.Exit(1)
	}
	ns := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(n) }
	fmt.Printf("go n=%d insert=%.1f ns/op lookup=%.1f ns/op all=%.1f ns/op\n",
		n, ns(t1.Sub(t0)), ns(t2.Sub(t1)), ns(t2.Sub(t0))/2)
}
