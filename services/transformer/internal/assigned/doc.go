// Package assigned names Bluetooth SIG assigned numbers: company identifiers,
// 16-bit service and characteristic UUIDs, and GAP appearance values.
//
// The tables are generated from the Nordic Semiconductor bluetooth-numbers
// database kept in ../shared/data/bluetooth-numbers beside the repository; run
// `go generate` after updating that data.
package assigned

//go:generate go run ./gen -data ../../../../../shared/data/bluetooth-numbers -out tables.go
