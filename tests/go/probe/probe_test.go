// Self-checks of the probes: the two ways each probe can reach the runtime
// (compiler-generated code, or reflect / a direct runtime call) must agree,
// and the measured size classes must be the runtime's own table.
// Run: cd tests/go/probe && go test
package main

import (
	"reflect"
	"strings"
	"testing"
	_ "unsafe" // go:linkname
)

// classToSize is runtime.class_to_size (sizeclasses.go), read only to check
// the measured roundupsize.
//
//go:linkname classToSize runtime.class_to_size
var classToSize [68]uint16

func TestRoundupsizeIsSmallestClass(t *testing.T) {
	c := 1
	for n := 1; n <= 32768; n++ {
		for int(classToSize[c]) < n {
			c++
		}
		if got := roundupsize(n); got != int(classToSize[c]) {
			t.Fatalf("roundupsize(%d) = %d, size class %d is %d", n, got, c, classToSize[c])
		}
	}
	for _, n := range []int{32769, 40960, 40961, 65537, 1 << 20, 1<<20 + 1} {
		if got := roundupsize(n); got%8192 != 0 || got < n || got >= n+8192 {
			t.Errorf("roundupsize(%d) = %d, want next multiple of 8192", n, got)
		}
	}
}

func record(k sliceKit, count int) (out [][2]int) {
	k.appendEach(count, func(l, c int) { out = append(out, [2]int{l, c}) })
	return out
}

func TestGrowsliceCallMatchesAppend(t *testing.T) {
	for size, compiled := range compiledSliceSizes {
		direct := runtimeKit(size)
		if a, b := record(compiled, 3000), record(direct, 3000); !reflect.DeepEqual(a, b) {
			t.Errorf("elem %d: append %v, growslice %v", size, a, b)
		}
		for _, lc := range [][2]int{{0, 0}, {1, 1}, {3, 5}, {255, 256}, {300, 512}} {
			for _, add := range []int{1, 2, 7, 300, 1000} {
				if a, b := compiled.bulk(lc[0], lc[1], add), direct.bulk(lc[0], lc[1], add); a != b {
					t.Errorf("elem %d len %d cap %d add %d: append %d, growslice %d", size, lc[0], lc[1], add, a, b)
				}
			}
		}
	}
}

// reflect.Append is not append in go1.19 (reflect/value.go:2706): it never
// rounds to a size class. Pinned here so nobody switches the probe to it.
func TestReflectAppendDiffers(t *testing.T) {
	r := reflect.Append(reflect.ValueOf([]byte(nil)), reflect.ValueOf(byte(0)))
	a := record(compiledSliceSizes[1], 1)
	if r.Cap() != 1 || a[0][1] != 8 {
		t.Errorf("first byte appended to nil: reflect cap %d (want 1), append cap %d (want 8)", r.Cap(), a[0][1])
	}
}

type tb uint8 // a byte type no compiled map uses, so MapOf builds its own

func TestReflectMapsMatchCompiledMaps(t *testing.T) {
	tbType := reflect.TypeOf(tb(0))
	for kv, compiled := range compiledMapPairs {
		built := reflectMapKit(kv[0], kv[1], tbType)
		if !strings.Contains(built.typ.String(), "tb") {
			t.Fatalf("MapOf returned %v", built.typ)
		}
		a, b := maptypeOf(compiled.typ), maptypeOf(built.typ)
		if a.bucketsize != b.bucketsize || a.flags&3 != b.flags&3 || a.keysize != b.keysize || a.elemsize != b.elemsize {
			t.Errorf("%v: compiled %+v, reflect %+v", kv, *a, *b)
		}
		for _, hint := range []int{0, 1, 8, 9, 13, 14, 27, 53, 100, 105, 1000, 5000} {
			ha, da := mapHint(compiled, hint)
			hb, db := mapHint(built, hint)
			if ha.B != hb.B || (ha.buckets == nil) != (hb.buckets == nil) || da != db {
				t.Errorf("%v hint %d: compiled B=%d %+v, reflect B=%d %+v", kv, hint, ha.B, da, hb.B, db)
			}
		}
		count := 3000
		if kv[0] < 2 {
			count = 1 << (8 * kv[0])
		}
		if a, b := mapInsert(compiled, count), mapInsert(built, count); !reflect.DeepEqual(a, b) {
			t.Errorf("%v: growth compiled %v, reflect %v", kv, a, b)
		}
	}
}

type entryLike struct{ p *int }

func TestKnownBucketSizes(t *testing.T) {
	for _, c := range []struct {
		m    any
		want uint16
	}{
		{map[int64]int64(nil), 144}, {map[string]int(nil), 208},
		{map[any]any(nil), 272}, {map[any]*entryLike(nil), 208},
		{map[int64][129]byte(nil), 144}, {map[[129]byte]bool(nil), 88},
	} {
		if got := maptypeOf(reflect.TypeOf(c.m)).bucketsize; got != c.want {
			t.Errorf("%T: bucketsize %d, want %d", c.m, got, c.want)
		}
	}
}

func TestCompare(t *testing.T) {
	line := func(m map[string]any) []jsonLine { return []jsonLine{{m, ""}} }
	g := line(map[string]any{"a": 1.0, "b": true})
	if d := compareLines(g, line(map[string]any{"a": 1.0, "b": true, "extra": 3.0}), nil); len(d) != 0 {
		t.Errorf("extra C key rejected: %v", d)
	}
	if d := compareLines(g, line(map[string]any{"a": 2.0, "b": true}), nil); len(d) != 1 {
		t.Errorf("mismatch not found: %v", d)
	}
	if d := compareLines(g, nil, nil); len(d) != 1 {
		t.Errorf("missing line not found: %v", d)
	}
}
