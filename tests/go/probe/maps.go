// map-layout, map-hint and map-insert: the real hmap (runtime/map.go) for
// map[[K]byte][E]byte, observed through the mirrors in runtime119.go.
//
// For the (K, E) pairs in compiledMapPairs the maps are made and filled by
// compiler-generated code (make → makemap / makemap_small, m[k] = e →
// mapassign*). Other pairs go through reflect, which calls the same runtime
// functions: MakeMapWithSize → makemap(t, n, nil) (map.go:304, via
// reflect_makemap), SetMapIndex → mapassign, and MapOf builds the bucket
// type with the compiler's layout (reflect/type.go:2245). probe_test.go
// checks that both paths agree on every compiled pair.
package main

import (
	"fmt"
	"reflect"
	"unsafe"
)

var byteType = reflect.TypeOf(byte(0))

// mapKit makes and fills maps of one type. Every map escapes (to mapSink or
// ptrSink), as the probes require.
type mapKit struct {
	typ reflect.Type
	// makeHint runs an escaping make(map, hint) with a non-constant hint.
	makeHint func(hint int) *hmap
	// newMap runs an escaping make(map) without a hint and returns the map
	// and a function inserting key i (little-endian bytes of i) with a zero
	// elem.
	newMap func() (reflect.Value, func(i int))
}

var (
	mapSink any
	ptrSink unsafe.Pointer
)

// putLE stores the low bytes of i, little-endian, in the n bytes at p.
func putLE(p unsafe.Pointer, n uintptr, i int) {
	for b := uintptr(0); b < n && b < 8; b++ {
		*(*byte)(unsafe.Add(p, b)) = byte(i >> (8 * b))
	}
}

func compiledMapKit[K comparable, E any]() mapKit {
	return mapKit{
		typ: reflect.TypeOf(map[K]E(nil)),
		makeHint: func(hint int) *hmap {
			m := make(map[K]E, hint)
			mapSink = m
			return *(**hmap)(unsafe.Pointer(&m))
		},
		newMap: func() (reflect.Value, func(i int)) {
			m := make(map[K]E)
			mapSink = m
			return reflect.ValueOf(m), func(i int) {
				var k K
				var e E
				putLE(unsafe.Pointer(&k), unsafe.Sizeof(k), i)
				m[k] = e
			}
		},
	}
}

type b0 = [0]byte
type b1 = [1]byte
type b4 = [4]byte
type b8 = [8]byte
type b16 = [16]byte
type b64 = [64]byte
type b128 = [128]byte
type b129 = [129]byte
type b200 = [200]byte

var compiledMapPairs = map[[2]int]mapKit{
	{0, 0}: compiledMapKit[b0, b0](), {1, 1}: compiledMapKit[b1, b1](),
	{4, 4}: compiledMapKit[b4, b4](), {8, 8}: compiledMapKit[b8, b8](),
	{8, 0}: compiledMapKit[b8, b0](), {16, 16}: compiledMapKit[b16, b16](),
	{8, 64}: compiledMapKit[b8, b64](), {64, 8}: compiledMapKit[b64, b8](),
	{8, 128}: compiledMapKit[b8, b128](), {8, 129}: compiledMapKit[b8, b129](),
	{129, 8}: compiledMapKit[b129, b8](), {128, 128}: compiledMapKit[b128, b128](),
	{200, 200}: compiledMapKit[b200, b200](),
}

// reflectMapKit builds map[[k]b][e]b for a one-byte type b. MapOf returns
// the compiler's descriptor when the binary has one, else builds its own.
func reflectMapKit(k, e int, b reflect.Type) mapKit {
	t := reflect.MapOf(reflect.ArrayOf(k, b), reflect.ArrayOf(e, b))
	return mapKit{
		typ: t,
		makeHint: func(hint int) *hmap {
			p := reflect.MakeMapWithSize(t, hint).UnsafePointer()
			ptrSink = p
			return (*hmap)(p)
		},
		newMap: func() (reflect.Value, func(i int)) {
			m := reflect.MakeMap(t)
			ptrSink = m.UnsafePointer()
			key, elem := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			return m, func(i int) {
				putLE(key.Addr().UnsafePointer(), uintptr(k), i)
				m.SetMapIndex(key, elem)
			}
		},
	}
}

func mapKitFor(k, e int) mapKit {
	if kit, ok := compiledMapPairs[[2]int{k, e}]; ok {
		return kit
	}
	return reflectMapKit(k, e, byteType)
}

func cmdMapLayout(args []string) {
	f := intFlags("map-layout", args, 1<<16, "key-size", "elem-size")
	mt := maptypeOf(mapKitFor(f["key-size"], f["elem-size"]).typ)
	fmt.Printf("{\"probe\":\"map-layout\",\"bucketsize\":%d,\"indirect_key\":%t,\"indirect_elem\":%t}\n",
		mt.bucketsize, mt.flags&1 != 0, mt.flags&2 != 0)
}

// mapHint measures one escaping make(map, hint): B, whether the bucket array
// exists, and the Mallocs/TotalAlloc deltas of the make alone.
func mapHint(kit mapKit, hint int) (h *hmap, d memDelta) {
	maptypeOf(kit.typ)
	d = measureStable(5, func() func() {
		return func() { h = kit.makeHint(hint) }
	})
	return h, d
}

func cmdMapHint(args []string) {
	f := intFlags("map-hint", args, 1<<24, "key-size", "elem-size", "hint")
	h, d := mapHint(mapKitFor(f["key-size"], f["elem-size"]), f["hint"])
	fmt.Printf("{\"probe\":\"map-hint\",\"B\":%d,\"buckets_allocated\":%t,\"allocs\":%d,\"bytes\":%d}\n",
		h.B, h.buckets != nil, d.allocs, d.bytes)
}

// growth is one growth start seen by mapInsert.
type growth struct {
	insert, oldB, newB int
	sameSize           bool
}

// mapInsert inserts count distinct keys into an empty escaping map and
// reports each insert that started a growth. hashGrow (map.go:1041) always
// installs a new bucket array, so a growth start is exactly an insert after
// which h.buckets differs from a non-nil pointer it had before (the first
// bucket, allocated lazily by mapassign, is not a growth). The triggering
// insert already evacuates, and when the old array has one bucket the growth
// also ends in that insert, so oldbuckets alone would miss it.
func mapInsert(kit mapKit, count int) []growth {
	maptypeOf(kit.typ)
	m, insert := kit.newMap()
	var out []growth
	h := hmapOf(m)
	prevB, prevBuckets := int(h.B), h.buckets
	for i := 1; i <= count; i++ {
		insert(i - 1)
		h = hmapOf(m)
		if prevBuckets != nil && h.buckets != prevBuckets {
			same := int(h.B) == prevB
			if h.oldbuckets != nil && (h.flags&sameSizeGrow != 0) != same {
				die(1, "map-insert: hmap.flags disagrees with B at insert %d", i)
			}
			out = append(out, growth{i, prevB, int(h.B), same})
		}
		prevB, prevBuckets = int(h.B), h.buckets
	}
	if h.count != count {
		die(1, "map-insert: %d keys inserted but count is %d (keys not distinct?)", count, h.count)
	}
	return out
}

func cmdMapInsert(args []string) {
	f := intFlags("map-insert", args, 1<<24, "key-size", "elem-size", "count")
	if k := f["key-size"]; k < 8 && f["count"] > 1<<(8*k) {
		die(2, "map-insert: a %d-byte key has only %d distinct values", k, 1<<(8*k))
	}
	for _, g := range mapInsert(mapKitFor(f["key-size"], f["elem-size"]), f["count"]) {
		fmt.Printf("{\"probe\":\"map-insert\",\"insert\":%d,\"old_B\":%d,\"new_B\":%d,\"same_size\":%t}\n",
			g.insert, g.oldB, g.newB, g.sameSize)
	}
}
