package simulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// Kind is a sort of simulated device, named by what it sends.
type Kind int

const (
	KindIBeaconBadge Kind = iota + 1
	// KindEddystoneTag alternates Eddystone-UID and Eddystone-TLM frames, as
	// asset tags with telemetry do.
	KindEddystoneTag
	KindEddystoneURL
	KindRuuviTag
	KindBTHomeSensor
	KindPlain
)

func (k Kind) String() string {
	names := map[Kind]string{KindIBeaconBadge: "ibeacon", KindEddystoneTag: "eddystone", KindEddystoneURL: "eddystone-url",
		KindRuuviTag: "ruuvi", KindBTHomeSensor: "bthome", KindPlain: "plain"}
	if n, ok := names[k]; ok {
		return n
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Device is one simulated device and its changing state.
type Device struct {
	ID       string
	Kind     Kind
	Address  advert.Address
	Interval time.Duration
	// TxPowerDBm shifts the received signal (0 dBm is the gateways' reference).
	TxPowerDBm int8

	zone        int
	pos         floorplan.Point
	next        time.Time
	booted      time.Time
	batteryMV   float64
	celsius     float64
	humidity    float64
	pressurePa  float64
	sent        uint32
	silent      bool
	drainMVPerS float64
	spikeUntil  time.Time
	spikeDelta  float64
}

// Zone returns the index of the zone the device is in now.
func (d *Device) Zone() int { return d.zone }

// newDevice gives a device a random static address (two top bits set, Core Spec
// Vol 6 Part B 1.3.2.1) and a plausible starting state.
func newDevice(id string, kind Kind, interval time.Duration, start time.Time, rng *rand.Rand) *Device {
	var a advert.Address
	for i := range a {
		a[i] = byte(rng.Uint32())
	}
	a[0] |= 0xC0
	return &Device{
		ID: id, Kind: kind, Address: a, Interval: interval, TxPowerDBm: 0,
		booted:     start,
		next:       start.Add(time.Duration(rng.Int64N(int64(interval/time.Microsecond))) * time.Microsecond),
		batteryMV:  2900 + rng.Float64()*200,
		celsius:    20 + rng.Float64()*3,
		humidity:   40 + rng.Float64()*10,
		pressurePa: 100000 + rng.Float64()*1000,
	}
}

// payload encodes the device's current advertisement.
func (d *Device) payload(now time.Time) ([]byte, error) {
	temp := d.celsius
	if now.Before(d.spikeUntil) {
		temp += d.spikeDelta
	}
	switch d.Kind {
	case KindIBeaconBadge:
		uuid := [16]byte{0xE2, 0xC5, 0x6D, 0xB5, 0xDF, 0xFB, 0x48, 0xD2, 0xB0, 0x60, 0xD0, 0xF5, 0xA7, 0x10, 0x96, 0xE0}
		return IBeacon(uuid, 1, uint16(d.Address[4])<<8|uint16(d.Address[5]), -59), nil
	case KindEddystoneTag:
		if d.sent%2 == 1 {
			secs := uint32(now.Sub(d.booted) / (100 * time.Millisecond))
			return EddystoneTLM(uint16(d.batteryMV), temp, d.sent, secs), nil
		}
		ns := [10]byte{0xBE, 0x57, 0x5E, 0xA4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}
		var inst [6]byte
		copy(inst[:], d.Address[:])
		return EddystoneUID(-20, ns, inst), nil
	case KindEddystoneURL:
		return EddystoneURL(-20, "https://bstr.io/"+fmt.Sprintf("%02x%02x", d.Address[4], d.Address[5]))
	case KindRuuviTag:
		return RuuviDF5(RuuviReading{
			Celsius: temp, HumidityPercent: d.humidity, PressurePa: d.pressurePa,
			AccelMilliG: [3]int16{0, 0, 1000}, BatteryMV: int(math.Max(d.batteryMV, 1600)), TxPowerDBm: 4,
			Sequence: uint16(d.sent), MAC: d.Address,
		})
	case KindBTHomeSensor:
		pct := math.Min(100, math.Max(0, (d.batteryMV-2000)/10))
		return BTHome(BTHomeReading{PacketID: uint8(d.sent), BatteryPercent: uint8(pct), Celsius: temp, HumidityPercent: d.humidity}), nil
	default:
		return Plain(fmt.Sprintf("bs-%s", d.ID), []uint16{0x180F, 0x181A}), nil
	}
}

// evolve lets the measured values drift between advertisements.
func (d *Device) evolve(elapsed time.Duration, rng *rand.Rand) {
	s := elapsed.Seconds()
	d.celsius += rng.NormFloat64() * 0.02 * math.Sqrt(s)
	d.humidity = math.Min(100, math.Max(0, d.humidity+rng.NormFloat64()*0.05*math.Sqrt(s)))
	d.pressurePa += rng.NormFloat64() * 2 * math.Sqrt(s)
	d.batteryMV = math.Max(1600, d.batteryMV-(0.0001+d.drainMVPerS)*s)
}
