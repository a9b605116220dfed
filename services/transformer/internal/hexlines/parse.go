package hexlines

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

// line is one parsed input line.
type line struct {
	addr    []byte // nil when the line gave none
	rssi    int32
	payload []byte
}

// parseLine reads "hex" or "address,rssi,hex". Errors name the field.
func parseLine(s string) (line, error) {
	var l line
	fields := strings.Split(s, ",")
	switch len(fields) {
	case 1:
	case 3:
		a, err := parseAddress(strings.TrimSpace(fields[0]))
		if err != nil {
			return l, fmt.Errorf("address: %w", err)
		}
		l.addr = a[:]
		rssi, err := strconv.ParseInt(strings.TrimSpace(fields[1]), 10, 32)
		if err != nil || rssi < -127 || rssi > 20 {
			return l, fmt.Errorf("rssi: want an integer from -127 to 20, got %q", fields[1])
		}
		l.rssi = int32(rssi)
	default:
		return l, fmt.Errorf("want hex or address,rssi,hex; got %d comma-separated fields", len(fields))
	}
	h := strings.TrimSpace(fields[len(fields)-1])
	h = strings.TrimPrefix(strings.TrimPrefix(h, "0x"), "0X")
	payload, err := hex.DecodeString(h)
	switch {
	case err != nil:
		return l, fmt.Errorf("payload: not hex: %w", err)
	case len(payload) == 0:
		return l, fmt.Errorf("payload: empty")
	case len(payload) > pipeline.MaxPayload:
		return l, fmt.Errorf("payload: %d bytes, at most %d allowed", len(payload), pipeline.MaxPayload)
	}
	l.payload = payload
	return l, nil
}

// parseAddress reads "c1:02:03:04:05:06", "c1-02-...", or 12 hex digits, most
// significant byte first as addresses are printed.
func parseAddress(s string) (adstruct.Address, error) {
	var a adstruct.Address
	b, err := hex.DecodeString(strings.NewReplacer(":", "", "-", "").Replace(s))
	if err != nil || len(b) != len(a) {
		return a, fmt.Errorf("want 6 bytes as hex such as c1:02:03:04:05:06, got %q", s)
	}
	copy(a[:], b)
	return a, nil
}
