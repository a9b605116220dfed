package capture

// Stats counts what a Reader has seen so far. Every record falls in exactly one
// of the skip counters or yields one or more advertisements.
type Stats struct {
	// Records is the number of packets or btsnoop records read.
	Records int
	// Advertisements is the number of advertisements yielded.
	Advertisements int
	// Fragments counts extended reports held to be joined with later ones
	// into one advertisement (those completing one count as it).
	Fragments int
	// BadCRC counts advertising-channel packets whose CRC failed.
	BadCRC int
	// Other counts well-formed records that carry no advertisement: HCI commands,
	// ACL data, other events, SCAN_REQ, CONNECT_IND, data-channel packets.
	Other int
	// Malformed counts records whose content could not be decoded; the file
	// framing was intact, so reading went on.
	Malformed int
}
