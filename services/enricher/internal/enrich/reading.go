// Package enrich joins decoded BLE readings with the registry: it merges the copies
// of one advertisement heard by several gateways, places the device (zone, geohash,
// distance, trilaterated position), replaces every identifier with a keyed pseudonym
// and attaches data-protection tags. It knows nothing of Kafka or RPC.
package enrich

import (
	"errors"
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// Reading is one decoded advertisement as one gateway received it, the domain form of
// a ble.readings.v1 record.
type Reading struct {
	GatewayID   string
	ReceivedAt  time.Time
	Address     identity.Address
	AddressType identity.AddressType
	RSSI        int32
	// RSSIUnavailable says the receiver measured no RSSI; RSSI is then 0.
	RSSIUnavailable bool
	// TxPower is the advertised transmit power in dBm (Tx Power Level AD type), if any.
	TxPower *int32
	// MeasuredPower is the RSSI at 1 m the device itself announces (iBeacon measured
	// power); it beats any other reference because it was calibrated on this device.
	MeasuredPower *int32
	// Payload is the raw advertising data. It only tells copies of one advertisement
	// apart from the device's next one; it is never emitted.
	Payload      []byte
	Measurements []Measurement
	IBeacon      *identity.IBeaconID
	Eddystone    *identity.EddystoneUID
}

// Measurement is one decoded sensor value.
type Measurement struct {
	Name  string
	Value float64
	Unit  string
}

// ErrInvalidReading reports a reading the enricher cannot use; adapters send it to
// the topic's dead-letter queue with the message as the reason.
var ErrInvalidReading = errors.New("invalid reading")

func (r Reading) validate() error {
	switch {
	case r.GatewayID == "":
		return fmt.Errorf("%w: gateway_id is empty", ErrInvalidReading)
	case r.ReceivedAt.IsZero():
		return fmt.Errorf("%w: received_at is not set", ErrInvalidReading)
	case r.RSSIUnavailable && r.RSSI != 0:
		return fmt.Errorf("%w: rssi %d dBm although unavailable", ErrInvalidReading, r.RSSI)
	case !r.RSSIUnavailable && (r.RSSI >= 0 || r.RSSI < -127):
		return fmt.Errorf("%w: rssi %d dBm, want -127 to -1", ErrInvalidReading, r.RSSI)
	case r.Address.IsZero() && r.IBeacon == nil && r.Eddystone == nil:
		return fmt.Errorf("%w: no address and no beacon identity", ErrInvalidReading)
	case r.AddressType != identity.AddressPublic && r.AddressType != identity.AddressRandom:
		return fmt.Errorf("%w: address_type %v", ErrInvalidReading, r.AddressType)
	}
	return nil
}

// reception is this copy as the merger sees it.
func (r Reading) reception() identity.Receiver {
	rssi := int(r.RSSI)
	if r.RSSIUnavailable {
		rssi = identity.NoRSSI
	}
	return identity.Receiver{GatewayID: r.GatewayID, RSSI: rssi, At: r.ReceivedAt}
}

// mergeKey identifies one advertisement within a tenant: the same address sending the
// same bytes. The tenant keeps neighbouring tenants' gateways from pooling their
// receptions into one event. The key stays inside the enricher.
func (r Reading) mergeKey(tenant string) string {
	b := make([]byte, 0, len(tenant)+8+len(r.Payload))
	b = append(b, tenant...)
	b = append(b, 0, byte(r.AddressType))
	b = append(b, r.Address[:]...)
	b = append(b, r.Payload...)
	return string(b)
}
