// Package plugin runs decoders for proprietary payloads as WebAssembly modules
// in wazero, so service teams can add them without rebuilding the transformer.
//
// A plugin directory holds <name>.wasm files, each with a <name>.json manifest
// beside it saying which company identifiers and 16-bit service UUIDs select
// it. Modules run sandboxed: WASI with no file system, no environment, no
// network, no clock beyond what WASI demands, a memory cap, and a time limit
// per call after which the module is closed. The directory can be reloaded
// while the transformer runs; calls in flight finish on the old set.
//
// ABI: the module exports alloc(n uint32) uint32, returning an input buffer,
// and decode(ptr, n uint32) uint64, returning its output as ptr<<32|len. Input
// is one byte kind (0 manufacturer data, 1 service data), the 16-bit company id
// or UUID little-endian, then the structure's data. Output is JSON:
// {"measurements":[{"quantity":"…","value":1.5,"unit":"…"}],"problems":["…"]}.
// Go guests build with GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared
// and //go:wasmexport (see plugins/example).
package plugin
