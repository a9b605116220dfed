//go:build wasip1

// Command hog is a broken plugin for the sandbox tests: decode allocates and
// keeps memory until something stops it.
package main

import "unsafe"

func main() {}

var in []byte
var kept [][]byte

//go:wasmexport alloc
func alloc(n uint32) uint32 {
	in = make([]byte, n+1)
	return uint32(uintptr(unsafe.Pointer(&in[0])))
}

//go:wasmexport decode
func decode(ptr, n uint32) uint64 {
	for i := 0; ; i++ {
		b := make([]byte, 4<<20)
		b[i%len(b)] = byte(i) // written, so the allocation cannot be dropped
		kept = append(kept, b)
	}
}
