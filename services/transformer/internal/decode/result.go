package decode

import (
	"crypto/cipher"

	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
)

// Measurement is one typed value read from a payload.
type Measurement struct {
	Quantity Quantity
	Value    float64
	Unit     string // UCUM code, e.g. "Cel", "%", "hPa", "V"; "1" for counts and states
	Format   Format // the format that produced it
	Channel  uint8  // which of several sensors of the same quantity (0 when only one)
}

// IdentityKind says which beacon frame an Identity came from.
type IdentityKind uint8

// Identity kinds.
const (
	IdentityIBeacon IdentityKind = iota + 1
	IdentityAltBeacon
	IdentityEddystoneUID
	IdentityEddystoneURL
	IdentityEddystoneEID
)

var identityKindNames = [...]string{"", "ibeacon", "altbeacon", "eddystone-uid", "eddystone-url", "eddystone-eid"}

// String returns the kind's stable lower-case name.
func (k IdentityKind) String() string {
	if int(k) < len(identityKindNames) {
		return identityKindNames[k]
	}
	return "unknown"
}

// Identity is a beacon identity frame. Which fields are set depends on Kind:
// iBeacon and AltBeacon use UUID, Major, Minor and MeasuredPower (dBm at 1 m);
// Eddystone UID uses Namespace and Instance, URL uses URL, EID uses EID; all
// Eddystone frames set MeasuredPower to the calibrated power at 0 m.
type Identity struct {
	Kind          IdentityKind
	UUID          [16]byte
	Major, Minor  uint16
	MeasuredPower int8
	Namespace     [10]byte
	Instance      [6]byte
	URL           []byte // expanded URL text; aliases the Result's scratch space
	EID           [8]byte
}

// Identification names a payload type that is recognised but not decoded, such
// as an Apple Continuity message or a Microsoft CDP beacon.
type Identification struct {
	Format Format
	Type   uint8
	Name   string
}

// Result is everything decoded from one payload. Reuse one Result across calls.
type Result struct {
	AD              adstruct.Summary
	Formats         []Format
	Measurements    []Measurement
	Identities      []Identity
	Identifications []Identification
	Problems        []adstruct.Problem

	scratch []byte // decrypted plaintexts and expanded URLs

	// at is the structure being decoded, so problems found inside a format's
	// data can be reported at payload offsets with their AD type.
	at struct {
		base int
		typ  adstruct.Type
	}

	block    cipher.Block // AES cipher for blockKey, kept because making one allocates
	blockKey [16]byte
	ccm      ccmBlocks
}

// reset empties the result and keeps every slice's capacity.
func (r *Result) reset() {
	r.Formats = r.Formats[:0]
	r.Measurements = r.Measurements[:0]
	r.Identities = r.Identities[:0]
	r.Identifications = r.Identifications[:0]
	r.Problems = r.Problems[:0]
	r.scratch = r.scratch[:0]
}

// Measurement returns the first measurement of the quantity on the channel.
func (r *Result) Measurement(q Quantity, channel uint8) (Measurement, bool) {
	for _, m := range r.Measurements {
		if m.Quantity == q && m.Channel == channel {
			return m, true
		}
	}
	return Measurement{}, false
}

func (r *Result) addFormat(f Format) {
	for _, g := range r.Formats {
		if g == f {
			return
		}
	}
	r.Formats = append(r.Formats, f)
}

func (r *Result) add(f Format, q Quantity, v float64, unit string) {
	r.Measurements = append(r.Measurements, Measurement{Quantity: q, Value: v, Unit: unit, Format: f})
}

func (r *Result) addChannel(f Format, q Quantity, v float64, unit string, ch uint8) {
	r.Measurements = append(r.Measurements, Measurement{Quantity: q, Value: v, Unit: unit, Format: f, Channel: ch})
}

// problem reports a problem at offset within the data of the structure being
// decoded.
func (r *Result) problem(f Format, offset int, reason string) {
	r.Problems = append(r.Problems, adstruct.Problem{Source: string(f), Offset: r.at.base + offset, ADType: r.at.typ, Reason: reason})
}

// grabScratch returns n bytes of scratch space that stay valid until the next
// Decode with this Result.
func (r *Result) grabScratch(n int) []byte {
	start := len(r.scratch)
	if cap(r.scratch)-start < n {
		// Slices handed out earlier keep pointing at the old array, so growing
		// never invalidates them.
		grown := make([]byte, start, 2*cap(r.scratch)+n)
		copy(grown, r.scratch)
		r.scratch = grown
	}
	r.scratch = r.scratch[:start+n]
	return r.scratch[start : start+n : start+n]
}
