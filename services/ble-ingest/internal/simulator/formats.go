package simulator

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
)

// flagsAD is the Flags AD structure of a non-connectable-by-BR/EDR device in LE
// General Discoverable mode: length 2, type 0x01, value 0x06.
var flagsAD = []byte{0x02, 0x01, 0x06}

// IBeacon returns the advertising data of an Apple iBeacon: flags, then
// manufacturer data for Apple (0x004C) with type 0x02, length 0x15, the proximity
// UUID, major and minor (big-endian) and the calibrated RSSI at 1 m.
func IBeacon(uuid [16]byte, major, minor uint16, measuredPower int8) []byte {
	b := append([]byte{}, flagsAD...)
	b = append(b, 0x1A, 0xFF, 0x4C, 0x00, 0x02, 0x15)
	b = append(b, uuid[:]...)
	b = binary.BigEndian.AppendUint16(b, major)
	b = binary.BigEndian.AppendUint16(b, minor)
	return append(b, byte(measuredPower))
}

// eddystone wraps an Eddystone frame (Google Eddystone protocol specification):
// flags, complete list of 16-bit UUIDs with 0xFEAA, service data for 0xFEAA.
func eddystone(frame []byte) []byte {
	b := append([]byte{}, flagsAD...)
	b = append(b, 0x03, 0x03, 0xAA, 0xFE)
	b = append(b, byte(3+len(frame)), 0x16, 0xAA, 0xFE)
	return append(b, frame...)
}

// EddystoneUID returns an Eddystone-UID frame: type 0x00, TX power at 0 m, a
// 10-byte namespace, a 6-byte instance and two reserved zero bytes.
func EddystoneUID(txAt0m int8, namespace [10]byte, instance [6]byte) []byte {
	f := append([]byte{0x00, byte(txAt0m)}, namespace[:]...)
	f = append(f, instance[:]...)
	return eddystone(append(f, 0x00, 0x00))
}

// Eddystone-URL scheme prefixes and expansion codes, in spec order.
var (
	urlSchemes    = []string{"http://www.", "https://www.", "http://", "https://"}
	urlExpansions = []string{".com/", ".org/", ".edu/", ".net/", ".info/", ".biz/", ".gov/", ".com", ".org", ".edu", ".net", ".info", ".biz", ".gov"}
)

// EddystoneURL returns an Eddystone-URL frame: type 0x10, TX power at 0 m, the
// scheme code and the URL compressed with the expansion codes. The encoded URL
// may be at most 17 bytes.
func EddystoneURL(txAt0m int8, url string) ([]byte, error) {
	scheme := -1
	for i, s := range urlSchemes {
		if strings.HasPrefix(url, s) {
			scheme, url = i, strings.TrimPrefix(url, s)
			break
		}
	}
	if scheme < 0 {
		return nil, fmt.Errorf("encoding Eddystone-URL: %q has no http(s) scheme", url)
	}
	enc := compressURL(url)
	if len(enc) > 17 {
		return nil, fmt.Errorf("encoding Eddystone-URL: %d encoded bytes, limit 17", len(enc))
	}
	return eddystone(append([]byte{0x10, byte(txAt0m), byte(scheme)}, enc...)), nil
}

func compressURL(rest string) []byte {
	var out []byte
next:
	for len(rest) > 0 {
		for code, exp := range urlExpansions {
			if strings.HasPrefix(rest, exp) {
				out, rest = append(out, byte(code)), rest[len(exp):]
				continue next
			}
		}
		out, rest = append(out, rest[0]), rest[1:]
	}
	return out
}

// EddystoneTLM returns an unencrypted Eddystone-TLM frame: type 0x20, version 0,
// battery millivolts, temperature as signed 8.8 fixed point, advertisement count
// and time since power-on in 0.1 s, all big-endian.
func EddystoneTLM(batteryMV uint16, celsius float64, advCount, deciseconds uint32) []byte {
	f := []byte{0x20, 0x00}
	f = binary.BigEndian.AppendUint16(f, batteryMV)
	f = binary.BigEndian.AppendUint16(f, uint16(int16(math.Round(celsius*256))))
	f = binary.BigEndian.AppendUint32(f, advCount)
	f = binary.BigEndian.AppendUint32(f, deciseconds)
	return eddystone(f)
}

// RuuviReading is what a RuuviTag measures.
type RuuviReading struct {
	Celsius, HumidityPercent, PressurePa float64
	AccelMilliG                          [3]int16
	BatteryMV                            int
	TxPowerDBm                           int
	Movements                            uint8
	Sequence                             uint16
	MAC                                  [6]byte
}

// RuuviDF5 returns RuuviTag advertising data in data format 5 (RAWv2, Ruuvi
// documentation "Data format 5"): flags, then manufacturer data for Ruuvi
// Innovations (0x0499) holding the 24-byte DF5 record.
func RuuviDF5(r RuuviReading) ([]byte, error) {
	if r.BatteryMV < 1600 || r.BatteryMV > 3646 || r.TxPowerDBm < -40 || r.TxPowerDBm > 20 {
		return nil, errors.New("encoding Ruuvi DF5: battery must be 1600-3646 mV and TX power -40..20 dBm")
	}
	b := append([]byte{}, flagsAD...)
	b = append(b, 0x1B, 0xFF, 0x99, 0x04, 0x05)
	b = binary.BigEndian.AppendUint16(b, uint16(int16(math.Round(r.Celsius/0.005))))
	b = binary.BigEndian.AppendUint16(b, uint16(math.Round(r.HumidityPercent/0.0025)))
	b = binary.BigEndian.AppendUint16(b, uint16(math.Round(r.PressurePa-50000)))
	for _, a := range r.AccelMilliG {
		b = binary.BigEndian.AppendUint16(b, uint16(a))
	}
	power := uint16(r.BatteryMV-1600)<<5 | uint16((r.TxPowerDBm+40)/2)
	b = binary.BigEndian.AppendUint16(b, power)
	b = append(b, r.Movements)
	b = binary.BigEndian.AppendUint16(b, r.Sequence)
	return append(b, r.MAC[:]...), nil
}

// BTHomeReading is what a BTHome v2 environment sensor reports.
type BTHomeReading struct {
	PacketID        uint8
	BatteryPercent  uint8
	Celsius         float64
	HumidityPercent float64
}

// BTHome returns BTHome v2 advertising data (bthome.io/format): flags, then
// service data for UUID 0xFCD2 with device information 0x40 (version 2,
// unencrypted, regular interval) and objects in ascending id order: packet id
// (0x00), battery % (0x01), temperature 0.01 °C (0x02), humidity 0.01 % (0x03).
func BTHome(r BTHomeReading) []byte {
	obj := []byte{0xD2, 0xFC, 0x40, 0x00, r.PacketID, 0x01, r.BatteryPercent, 0x02}
	obj = binary.LittleEndian.AppendUint16(obj, uint16(int16(math.Round(r.Celsius*100))))
	obj = append(obj, 0x03)
	obj = binary.LittleEndian.AppendUint16(obj, uint16(math.Round(r.HumidityPercent*100)))
	b := append([]byte{}, flagsAD...)
	b = append(b, byte(1+len(obj)), 0x16)
	return append(b, obj...)
}

// Plain returns the advertising data of an ordinary device: flags, complete
// local name (0x09) and the complete list of its 16-bit service UUIDs (0x03).
// Names are cut so the whole payload fits the 31-byte legacy limit.
func Plain(name string, uuids []uint16) []byte {
	b := append([]byte{}, flagsAD...)
	if len(uuids) > 0 {
		b = append(b, byte(1+2*len(uuids)), 0x03)
		for _, u := range uuids {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
	}
	room := 31 - len(b) - 2
	if len(name) > room {
		name = name[:max(room, 0)]
	}
	b = append(b, byte(1+len(name)), 0x09)
	return append(b, name...)
}
