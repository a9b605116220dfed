//go:build wasip1

// Command loop is a broken plugin for the sandbox tests: decode never returns.
package main

import "unsafe"

func main() {}

var in []byte

//go:wasmexport alloc
func alloc(n uint32) uint32 {
	in = make([]byte, n+1)
	return uint32(uintptr(unsafe.Pointer(&in[0])))
}

var spins uint64

//go:wasmexport decode
func decode(ptr, n uint32) uint64 {
	for {
		spins++
	}
}
