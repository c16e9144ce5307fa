// Mirrors of the go1.19 runtime's private map structures, read through
// unsafe. Field order and types are copied from runtime/type.go and
// runtime/map.go (line numbers for /usr/lib/go-1.19/src). checkMaptype
// cross-checks every mirror against facts reflect knows independently, so a
// wrong mirror fails loudly instead of printing plausible numbers.
package main

import (
	"reflect"
	"unsafe"
)

// rtype mirrors runtime._type (type.go:35); 48 bytes on amd64.
type rtype struct {
	size       uintptr
	ptrdata    uintptr
	hash       uint32
	tflag      uint8
	align      uint8
	fieldAlign uint8
	kind       uint8
	equal      func(unsafe.Pointer, unsafe.Pointer) bool
	gcdata     *byte
	str        int32
	ptrToThis  int32
}

// maptype mirrors runtime.maptype (type.go:356).
type maptype struct {
	typ        rtype
	key        *rtype
	elem       *rtype
	bucket     *rtype
	hasher     func(unsafe.Pointer, uintptr) uintptr
	keysize    uint8
	elemsize   uint8
	bucketsize uint16
	flags      uint32 // 1 indirect key, 2 indirect elem (type.go:371)
}

// hmap mirrors runtime.hmap (map.go:116); 48 bytes.
type hmap struct {
	count      int
	flags      uint8 // 8 = sameSizeGrow (map.go:104)
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      *mapextra
}

// mapextra mirrors runtime.mapextra (map.go:133).
type mapextra struct {
	overflow     unsafe.Pointer
	oldoverflow  unsafe.Pointer
	nextOverflow unsafe.Pointer
}

const sameSizeGrow = 8

// typeWord returns the *runtime._type behind a reflect.Type (the data word
// of the interface, which holds a *reflect.rtype with the same layout).
func typeWord(t reflect.Type) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1]
}

// maptypeOf returns the runtime's descriptor for map type t, after checking
// that the mirror agrees with reflect on every field reflect can see.
func maptypeOf(t reflect.Type) *maptype {
	mt := (*maptype)(typeWord(t))
	slot := func(u reflect.Type) uintptr {
		if u.Size() > 128 { // maxKeySize/maxElemSize, map.go:78
			return unsafe.Sizeof(uintptr(0))
		}
		return u.Size()
	}
	ok := t.Kind() == reflect.Map &&
		mt.typ.size == unsafe.Sizeof(uintptr(0)) &&
		reflect.Kind(mt.typ.kind&31) == reflect.Map &&
		unsafe.Pointer(mt.key) == typeWord(t.Key()) &&
		unsafe.Pointer(mt.elem) == typeWord(t.Elem()) &&
		uintptr(mt.bucketsize) == mt.bucket.size &&
		uintptr(mt.keysize) == slot(t.Key()) &&
		uintptr(mt.elemsize) == slot(t.Elem()) &&
		(mt.flags&1 != 0) == (t.Key().Size() > 128) &&
		(mt.flags&2 != 0) == (t.Elem().Size() > 128)
	if !ok {
		die(1, "runtime.maptype mirror disagrees with reflect for %v", t)
	}
	return mt
}

// hmapOf returns the *hmap behind a map value held in a reflect.Value.
func hmapOf(m reflect.Value) *hmap {
	h := (*hmap)(m.UnsafePointer())
	if h != nil && h.count != m.Len() {
		die(1, "runtime.hmap mirror: count %d but len %d", h.count, m.Len())
	}
	return h
}
