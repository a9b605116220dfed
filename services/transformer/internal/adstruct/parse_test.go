package adstruct

import (
	"encoding/hex"
	"slices"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func TestParseSummary(t *testing.T) {
	t.Parallel()
	// Built from the field layouts in Core Specification Supplement v12 Part A;
	// the URI example "https://www.bluetooth.org" with scheme code 0x17 is CSS
	// Part A 1.18's own example.
	payload := mustHex(t, ""+
		"020106"+ // flags: LE general discoverable, BR/EDR not supported
		"0303aafe"+ // complete 16-bit UUIDs: 0xFEAA
		"050412345678"+ // incomplete 32-bit UUIDs: 0x78563412
		"0509426c7565"+ // complete local name "Blue" (4 bytes + type)
		"020af4"+ // tx power -12 dBm
		"03194101"+ // appearance 0x0141 (heart rate belt)
		"0516aafe0102"+ // service data 0xFEAA 01 02
		"05ff4c000215"+ // manufacturer 0x004C data 02 15
		"1524172f2f7777772e626c7565746f6f74682e6f7267"+ // URI https://www.bluetooth.org
		"031a2000"+ // advertising interval 0x0020
		"051206001000"+ // conn interval range 0x0006..0x0010
		"0717112233445566"+ // public target address 66:55:44:33:22:11
		"021c02"+ // LE role 0x02
		"040d0c0208") // class of device 0x08020C
	s := &Summary{}
	problems := Parse(payload, s, nil)
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	if !s.HasFlags || s.Flags != 0x06 {
		t.Errorf("flags = %#x, %v", s.Flags, s.HasFlags)
	}
	if got := string(s.LocalName); got != "Blue" || !s.LocalNameComplete {
		t.Errorf("name = %q complete=%v", got, s.LocalNameComplete)
	}
	if !s.HasTxPower || s.TxPower != -12 {
		t.Errorf("tx power = %d", s.TxPower)
	}
	if s.Appearance != 0x0141 {
		t.Errorf("appearance = %#x", s.Appearance)
	}
	want := []UUID{UUID16(0xFEAA), UUID32(0x78563412)}
	if !slices.Equal(s.ServiceUUIDs, want) || s.ServiceUUIDsComplete {
		t.Errorf("uuids = %v complete=%v", s.ServiceUUIDs, s.ServiceUUIDsComplete)
	}
	if len(s.ServiceData) != 1 || s.ServiceData[0].UUID != UUID16(0xFEAA) || hex.EncodeToString(s.ServiceData[0].Data) != "0102" {
		t.Errorf("service data = %+v", s.ServiceData)
	}
	if id, ok := s.CompanyID(); !ok || id != 0x004C || hex.EncodeToString(s.Manufacturer[0].Data) != "0215" {
		t.Errorf("manufacturer = %+v", s.Manufacturer)
	}
	if len(s.URIs) != 1 || s.URIs[0].SchemeCode != 0x17 || string(s.URIs[0].Rest) != "//www.bluetooth.org" {
		t.Errorf("uri = %+v", s.URIs)
	}
	if s.AdvertisingInterval != 0x20 || s.ConnIntervalMin != 6 || s.ConnIntervalMax != 0x10 {
		t.Errorf("intervals = %d %d %d", s.AdvertisingInterval, s.ConnIntervalMin, s.ConnIntervalMax)
	}
	if len(s.PublicTargets) != 1 || s.PublicTargets[0] != (Address{0x66, 0x55, 0x44, 0x33, 0x22, 0x11}) {
		t.Errorf("targets = %v", s.PublicTargets)
	}
	if s.LERole != 2 || s.ClassOfDevice != 0x08020C {
		t.Errorf("role = %d cod = %#x", s.LERole, s.ClassOfDevice)
	}
}

func TestParseMalformedStructuresAreReportedNotFatal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		payload    string
		wantReason string
		wantName   string
	}{
		{"tx_power_too_long", "030a01020509426c7565", "tx power level: want 1 byte", "Blue"},
		{"uuid16_odd_length", "0403aafe010509426c7565", "16-bit service UUID list: length not a multiple of 2", "Blue"},
		{"manufacturer_too_short", "02ff4c0509426c7565", "manufacturer data: shorter than the company identifier", "Blue"},
		{"le_role_reserved", "021c090509426c7565", "le role: value above 0x03 is reserved", "Blue"},
		{"length_past_end", "0509426c75650a0a01", "length runs past the end of the payload", "Blue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &Summary{}
			problems := Parse(mustHex(t, tt.payload), s, nil)
			if len(problems) != 1 || problems[0].Reason != tt.wantReason {
				t.Fatalf("problems = %v, want one %q", problems, tt.wantReason)
			}
			if string(s.LocalName) != tt.wantName {
				t.Errorf("name = %q, want %q despite the bad structure", s.LocalName, tt.wantName)
			}
		})
	}
}

func TestParseStopsAtZeroLengthPadding(t *testing.T) {
	t.Parallel()
	s := &Summary{}
	problems := Parse(mustHex(t, "02010600ffffff"), s, nil)
	if len(problems) != 0 || len(s.Structures) != 1 {
		t.Fatalf("problems=%v structures=%d", problems, len(s.Structures))
	}
}

func TestUUIDString(t *testing.T) {
	t.Parallel()
	if got := UUID16(0x180F).String(); got != "0000180f-0000-1000-8000-00805f9b34fb" {
		t.Errorf("UUID16(0x180F) = %s", got)
	}
	if v, ok := UUID16(0xFEAA).Short16(); !ok || v != 0xFEAA {
		t.Errorf("Short16 = %#x %v", v, ok)
	}
}

func TestParseAllocatesNothingWhenWarm(t *testing.T) {
	payload := mustHex(t, "0201060303aafe0516aafe010205ff4c000215")
	s := &Summary{}
	var problems []Problem
	problems = Parse(payload, s, problems[:0])
	allocs := testing.AllocsPerRun(100, func() { problems = Parse(payload, s, problems[:0]) })
	if allocs != 0 {
		t.Errorf("Parse allocates %v times per payload, want 0", allocs)
	}
}
