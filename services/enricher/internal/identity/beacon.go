package identity

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// IBeaconID is the identity an iBeacon frame carries: proximity UUID, major and minor.
type IBeaconID struct {
	UUID  [16]byte
	Major uint16
	Minor uint16
}

// String prints the identity as "uuid/major/minor" with the canonical 8-4-4-4-12 UUID.
func (id IBeaconID) String() string {
	h := hex.EncodeToString(id.UUID[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s/%d/%d", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32], id.Major, id.Minor)
}

// ParseUUID reads a 128-bit UUID written with or without dashes.
func ParseUUID(s string) ([16]byte, error) {
	var u [16]byte
	clean := strings.ReplaceAll(s, "-", "")
	if len(clean) != 32 {
		return u, fmt.Errorf("parsing UUID %q: want 32 hex digits, got %d", s, len(clean))
	}
	if _, err := hex.Decode(u[:], []byte(clean)); err != nil {
		return u, fmt.Errorf("parsing UUID %q: %w", s, err)
	}
	return u, nil
}

// EddystoneUID is the identity an Eddystone-UID frame carries: a 10-byte namespace and
// a 6-byte instance (Eddystone protocol specification, UID frame).
type EddystoneUID struct {
	Namespace [10]byte
	Instance  [6]byte
}

// String prints the identity as "namespace/instance" in hex.
func (id EddystoneUID) String() string {
	return hex.EncodeToString(id.Namespace[:]) + "/" + hex.EncodeToString(id.Instance[:])
}
