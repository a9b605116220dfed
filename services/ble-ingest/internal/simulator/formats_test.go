package simulator

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRuuviDF5SpecExample(t *testing.T) {
	t.Parallel()
	// Ruuvi documentation, "Data format 5 (RAWv2)", test vector "valid data":
	// 24.3 °C, 53.49 %, 100044 Pa, acceleration 4/-4/1036 mG, 2977 mV, +4 dBm,
	// 66 movements, sequence 205, MAC CB:B8:33:4C:88:4F.
	got, err := RuuviDF5(RuuviReading{
		Celsius: 24.3, HumidityPercent: 53.49, PressurePa: 100044, AccelMilliG: [3]int16{4, -4, 1036},
		BatteryMV: 2977, TxPowerDBm: 4, Movements: 66, Sequence: 205, MAC: [6]byte{0xCB, 0xB8, 0x33, 0x4C, 0x88, 0x4F},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, "020106 1BFF9904 0512FC5394C37C0004FFFC040CAC364200CDCBB8334C884F")
	if !bytes.Equal(got, want) {
		t.Fatalf("RuuviDF5 =\n% X\nwant\n% X", got, want)
	}
	if len(got) != 31 {
		t.Fatalf("length %d, a legacy advertisement holds 31", len(got))
	}
}

func TestRuuviDF5RejectsOutOfRangePower(t *testing.T) {
	t.Parallel()
	if _, err := RuuviDF5(RuuviReading{BatteryMV: 1200, TxPowerDBm: 4}); err == nil {
		t.Fatal("battery 1200 mV accepted")
	}
}

func TestIBeaconMatchesRecordedBeacon(t *testing.T) {
	t.Parallel()
	// custom-components/ble_monitor test_ibeacon_parser.py::test_ibeacon_sensor
	// (../shared/data/vectors/ble_monitor_hci_vectors.jsonl): uuid e2c56db5-…-96e0,
	// major 100, minor 0, measured power -59. That phone sent flags 0x1A; a badge
	// sends 0x06, so the comparison starts after the flags.
	uuid := [16]byte{0xE2, 0xC5, 0x6D, 0xB5, 0xDF, 0xFB, 0x48, 0xD2, 0xB0, 0x60, 0xD0, 0xF5, 0xA7, 0x10, 0x96, 0xE0}
	got := IBeacon(uuid, 100, 0, -59)
	want := unhex(t, "1AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000640000C5")
	if !bytes.Equal(got[:3], []byte{2, 1, 6}) || !bytes.Equal(got[3:], want) {
		t.Fatalf("IBeacon = % X\nwant 020106 % X", got, want)
	}
}

func TestBTHomeSpecObjects(t *testing.T) {
	t.Parallel()
	// bthome.io/format object examples: battery 0x01 0x61 = 97 %, temperature
	// 0x02 0xCA 0x09 = 25.06 °C, humidity 0x03 0xBF 0x13 = 50.55 %.
	got := BTHome(BTHomeReading{PacketID: 7, BatteryPercent: 97, Celsius: 25.06, HumidityPercent: 50.55})
	want := unhex(t, "020106 0E16D2FC 40 0007 0161 02CA09 03BF13")
	if !bytes.Equal(got, want) {
		t.Fatalf("BTHome = % X\nwant    % X", got, want)
	}
}

func TestEddystoneFrames(t *testing.T) {
	t.Parallel()
	// Google Eddystone protocol specification: service UUID 0xFEAA in both the
	// UUID list and the service data; URL scheme 0x01 "https://www." and
	// expansion 0x00 ".com/"; TLM version 0 with big-endian fields.
	url, err := EddystoneURL(-20, "https://www.google.com/")
	if err != nil {
		t.Fatal(err)
	}
	wantURL := unhex(t, "020106 0303AAFE 0D16AAFE 10EC01 676F6F676C65 00")
	if !bytes.Equal(url, wantURL) {
		t.Fatalf("URL = % X\nwant  % X", url, wantURL)
	}
	tlm := EddystoneTLM(3000, 23.5, 1000, 36000)
	wantTLM := unhex(t, "020106 0303AAFE 1116AAFE 2000 0BB8 1780 000003E8 00008CA0")
	if !bytes.Equal(tlm, wantTLM) {
		t.Fatalf("TLM = % X\nwant  % X", tlm, wantTLM)
	}
	uid := EddystoneUID(-20, [10]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, [6]byte{0xA, 0xB, 0xC, 0xD, 0xE, 0xF})
	wantUID := unhex(t, "020106 0303AAFE 1716AAFE 00EC 0102030405060708090A 0A0B0C0D0E0F 0000")
	if !bytes.Equal(uid, wantUID) {
		t.Fatalf("UID = % X\nwant  % X", uid, wantUID)
	}
	if _, err := EddystoneURL(0, "ftp://example.org"); err == nil {
		t.Fatal("ftp URL accepted")
	}
}

func TestPlainFitsLegacyLimit(t *testing.T) {
	t.Parallel()
	got := Plain("a-very-long-device-name-that-does-not-fit", []uint16{0x180F})
	if len(got) != 31 || !bytes.Equal(got[:7], unhex(t, "020106 03030F18")) || got[8] != 0x09 {
		t.Fatalf("Plain = % X (%d bytes)", got, len(got))
	}
}
