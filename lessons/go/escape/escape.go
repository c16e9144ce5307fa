package main

// go build -gcflags=-m escape.go       (what the compiler decided)
// go build -gcflags='-m -l' escape.go  (the same, inlining off)

func newInt() *int {
	x := 42
	return &x // x outlives newInt's frame
}

func counter() func() int {
	n := 0
	return func() int { n++; return n }
}

func buffers(k int) byte {
	a := make([]byte, 65536) // 64 KiB
	b := make([]byte, 65537) // 64 KiB + 1
	c := make([]byte, k)     // size known only at run time
	return a[0] + b[0] + c[0]
}

func main() {
	p := newInt() // inlined: x stays in main's frame
	println(*p)
	q := newInt() // inlined too, but q goes to a goroutine
	go func() { println(*q) }()
	next := counter()
	println(next(), buffers(8))
}
