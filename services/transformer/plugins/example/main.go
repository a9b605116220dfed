//go:build wasip1

// Command example is a transformer plugin built from Go source: a decoder for
// a proprietary sensor advertisement that the built-in decoders do not know.
// Build it into a plugin directory with its manifest beside it:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o plugins/example.wasm ./plugins/example
//	cp plugins/example/manifest.json plugins/example.json
//
// The plugin ABI (see internal/plugin): the host calls alloc(n) for an input
// buffer, writes the input there and calls decode(ptr, n), which returns the
// output's address and length packed as ptr<<32|len. Input: one byte kind (0
// manufacturer data, 1 service data), the 16-bit company id or service UUID
// little-endian, then the structure's data. Output: JSON
// {"measurements":[{"quantity":…,"value":…,"unit":…}],"problems":[…]}.
package main

import (
	"encoding/binary"
	"strconv"
	"unsafe"
)

func main() {}

// in and out live in globals so the host can write and read them between
// calls, and are reused so a warm call allocates nothing in the guest.
var in, out []byte

//go:wasmexport alloc
func alloc(n uint32) uint32 {
	if uint32(cap(in)) < n+1 {
		in = make([]byte, n+1) // +1: a valid address even for empty input
	}
	in = in[:n]
	return uint32(uintptr(unsafe.Pointer(&in[:1][0])))
}

//go:wasmexport decode
func decode(ptr, n uint32) uint64 {
	out = decodeSensor(out[:0], in[:n])
	if len(out) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&out[0])))<<32 | uint64(len(out))
}

// decodeSensor reads the demo sensor's manufacturer data: version byte 1,
// temperature sint16 in 0.01 Cel, relative humidity uint8 in %, battery uint16
// in mV, all little-endian.
func decodeSensor(js, b []byte) []byte {
	if len(b) < 3 {
		return problem(js, "input shorter than the plugin header")
	}
	data := b[3:]
	if len(data) != 6 || data[0] != 1 {
		return problem(js, "want 6 bytes starting with version 1, got "+strconv.Itoa(len(data))+" bytes")
	}
	temp := float64(int16(binary.LittleEndian.Uint16(data[1:]))) / 100
	hum := float64(data[3])
	batt := float64(binary.LittleEndian.Uint16(data[4:])) / 1000
	js = append(js, `{"measurements":[`...)
	js = measurement(js, "temperature", temp, "Cel")
	js = append(js, ',')
	js = measurement(js, "humidity", hum, "%")
	js = append(js, ',')
	js = measurement(js, "battery_voltage", batt, "V")
	return append(js, "]}"...)
}

func measurement(js []byte, q string, v float64, unit string) []byte {
	js = append(js, `{"quantity":"`+q+`","value":`...)
	js = strconv.AppendFloat(js, v, 'g', -1, 64)
	return append(js, `,"unit":"`+unit+`"}`...)
}

func problem(js []byte, msg string) []byte {
	js = append(js, `{"problems":[`...)
	js = strconv.AppendQuote(js, msg)
	return append(js, "]}"...)
}
