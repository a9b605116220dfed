module github.com/bluestream/bluestream/services/ble-ingest

go 1.26.0

require (
	github.com/bluestream/bluestream/gen v0.0.0
	github.com/bluestream/bluestream/platform v0.0.0
	github.com/gopacket/gopacket v1.7.7
)

require (
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)

replace (
	github.com/bluestream/bluestream/gen => ../../gen
	github.com/bluestream/bluestream/platform => ../../platform
)
