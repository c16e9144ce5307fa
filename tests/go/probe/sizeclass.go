// sizeclass: the real runtime.roundupsize (msize.go:13), observed through
// append. Appending n bytes to a nil []byte calls growslice(et, {nil,0,0}, n)
// (slice.go:178); since n > 2*0 it takes newcap = n, then sets
// cap = roundupsize(n*1)/1. So cap(result) == roundupsize(n) exactly, for
// small sizes (size classes) and large ones (page multiples) alike.
package main

import "fmt"

var appendSrc []byte // reused source bytes, so only the append allocates

// roundupsize returns the runtime's roundupsize(n), measured.
func roundupsize(n int) int {
	if len(appendSrc) < n {
		appendSrc = make([]byte, n)
	}
	return cap(append([]byte(nil), appendSrc[:n]...))
}

func cmdSizeclass(args []string) {
	if len(args) == 0 {
		die(2, "sizeclass: usage: sizeclass N [N...]")
	}
	for _, a := range args {
		n := atoi("sizeclass", a)
		if n < 1 || n > 1<<30 {
			die(2, "sizeclass: size %d out of range 1..2^30", n)
		}
		fmt.Printf("{\"size\":%d,\"rounded\":%d}\n", n, roundupsize(n))
	}
}
