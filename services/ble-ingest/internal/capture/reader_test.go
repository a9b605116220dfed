package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/platform/shareddata"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

func fixtureAds() []advert.Advertisement {
	base := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var ads []advert.Advertisement
	for i := range 5 {
		ads = append(ads, advert.Advertisement{
			GatewayID:   "replay:test",
			ReceivedAt:  base.Add(time.Duration(i) * 150 * time.Millisecond),
			Address:     advert.Address{0xC0, 0, 0, 0, 0, byte(i)},
			AddressType: advert.AddressRandom,
			RSSI:        int8(-40 - i),
			PHY:         advert.PHY1M,
			EventType:   advert.EventAdvNonconnInd,
			Payload:     []byte{0x02, 0x01, 0x06, 0x03, 0x09, 'a', byte('0' + i)},
			Source:      advert.SourceReplay,
		})
	}
	return ads
}

func writeBtsnoop(t testing.TB, ads []advert.Advertisement) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewBtsnoopWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, ad := range ads {
		if err := w.Write(ad); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func TestBtsnoopWriterRoundTrip(t *testing.T) {
	t.Parallel()
	want := fixtureAds()
	got, stats, err := ReadAll(bytes.NewReader(writeBtsnoop(t, want)), Options{GatewayID: "replay:test"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if stats.Records != 5 || stats.Advertisements != 5 {
		t.Fatalf("stats %+v", stats)
	}
}

func TestTruncatedFileKeepsEarlierRecordsAndSaysWhere(t *testing.T) {
	t.Parallel()
	file := writeBtsnoop(t, fixtureAds())
	recordLen := (len(file) - btsnoopHeaderLen) / 5
	cut := btsnoopHeaderLen + 3*recordLen + 30 // inside record 4's packet
	got, _, err := ReadAll(bytes.NewReader(file[:cut]), Options{GatewayID: "g"})
	var cerr *CorruptError
	if !errors.As(err, &cerr) {
		t.Fatalf("err = %v, want *CorruptError", err)
	}
	if len(got) != 3 || cerr.Record != 4 || cerr.Offset != int64(cut) {
		t.Fatalf("kept %d records, error %v; want 3 kept and record 4 at byte %d", len(got), err, cut)
	}
	if !strings.Contains(err.Error(), "record 4 at byte") {
		t.Fatalf("error %q does not say where", err)
	}
}

func TestCorruptLengthSaysWhere(t *testing.T) {
	t.Parallel()
	file := writeBtsnoop(t, fixtureAds())
	recordLen := (len(file) - btsnoopHeaderLen) / 5
	second := btsnoopHeaderLen + recordLen
	file[second+4] = 0xFF // included length of record 2 becomes huge
	got, _, err := ReadAll(bytes.NewReader(file), Options{GatewayID: "g"})
	var cerr *CorruptError
	if !errors.As(err, &cerr) || cerr.Record != 2 || cerr.Offset != int64(second+4) || len(got) != 1 {
		t.Fatalf("got %d ads, err %v; want 1 ad and record 2 at byte %d", len(got), err, second+4)
	}
}

func TestUnknownFormat(t *testing.T) {
	t.Parallel()
	_, _, err := ReadAll(strings.NewReader("GIF89a not a capture"), Options{})
	if err == nil || !strings.Contains(err.Error(), "unknown magic") {
		t.Fatalf("err = %v", err)
	}
}

// llPacket builds an advertising-channel packet with a correct CRC.
func llPacket(pduType byte, addr advert.Address, data []byte) []byte {
	le := addr.LittleEndian()
	pdu := append([]byte{pduType | 0x40, byte(6 + len(data))}, le[:]...)
	pdu = append(pdu, data...)
	crc := linkLayerCRC(advertisingCRCInit, pdu)
	pkt := append([]byte{0xD6, 0xBE, 0x89, 0x8E}, pdu...)
	return append(pkt, byte(crc), byte(crc>>8), byte(crc>>16))
}

func TestPcapLinkType251(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkType(LinkTypeLELL)); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)
	good := llPacket(pduAdvInd, advert.Address{0xC1, 2, 3, 4, 5, 6}, []byte{2, 1, 6})
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 0x01
	scanReq := llPacket(0x3, advert.Address{0xC1, 2, 3, 4, 5, 7}, []byte{1, 2, 3, 4, 5, 6})
	for _, p := range [][]byte{good, bad, scanReq} {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(p), Length: len(p)}, p); err != nil {
			t.Fatal(err)
		}
	}
	ads, stats, err := ReadAll(&buf, Options{GatewayID: "g"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ads) != 1 || stats.BadCRC != 1 || stats.Other != 1 {
		t.Fatalf("ads %d stats %+v", len(ads), stats)
	}
	ad := ads[0]
	if ad.Address.String() != "C1:02:03:04:05:06" || ad.AddressType != advert.AddressRandom || !ad.ReceivedAt.Equal(at) ||
		ad.EventType != advert.EventAdvInd || !bytes.Equal(ad.Payload, []byte{2, 1, 6}) || ad.RSSI != advert.RSSIUnavailable {
		t.Fatalf("ad %+v", ad)
	}
}

// The CRC of a packet recorded by the nRF sniffer, which flagged it CRC OK:
// ../shared/data/captures/nrf-sniffer-bthome.pcapng frame 1, as tshark prints it.
func TestLinkLayerCRCOnRecordedPacket(t *testing.T) {
	t.Parallel()
	f, err := os.Open(shareddata.Path(t, "captures", "nrf-sniffer-bthome.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ng, err := pcapgo.NewNgReader(f, pcapgo.NgReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := ng.ReadPacketData()
	if err != nil {
		t.Fatal(err)
	}
	pdu := data[7+10+4 : len(data)-3]
	crc := data[len(data)-3:]
	if got, want := linkLayerCRC(advertisingCRCInit, pdu), uint32(crc[0])|uint32(crc[1])<<8|uint32(crc[2])<<16; got != want {
		t.Fatalf("CRC %06x, packet says %06x", got, want)
	}
}

func TestSharedBtsnoopTimesAndFields(t *testing.T) {
	t.Parallel()
	ads, _ := readFile(t, shareddata.Path(t, "captures", "android-btsnoop-mixed.btsnoop"))
	// The first SCAN_RSP is frame 134; tshark shows epoch 1612150079.789349 and
	// address a4:c1:38:bf:6f:ab, RSSI -49.
	for _, ad := range ads {
		if ad.EventType != advert.EventScanRsp {
			continue
		}
		want := time.Unix(1612150079, 789349000).UTC()
		if !ad.ReceivedAt.Equal(want) || ad.Address.String() != "A4:C1:38:BF:6F:AB" || ad.RSSI != -49 {
			t.Fatalf("first SCAN_RSP: %v %v %d, want %v A4:C1:38:BF:6F:AB -49", ad.ReceivedAt, ad.Address, ad.RSSI, want)
		}
		return
	}
	t.Fatal("no SCAN_RSP found")
}

func TestSharedNordicFields(t *testing.T) {
	t.Parallel()
	ads, _ := readFile(t, shareddata.Path(t, "captures", "nrf-sniffer-bthome.pcapng"))
	// tshark -V frame 1: channel 39, RSSI -25 dBm, LE 1M, ADV_SCAN_IND from
	// 48:ca:43:3a:34:05 (public) with BTHome service data fcd2.
	ad := ads[0]
	if ad.Channel != 39 || !ad.ChannelKnown || ad.RSSI != -25 || ad.PHY != advert.PHY1M || ad.EventType != advert.EventAdvScanInd ||
		ad.Address.String() != "48:CA:43:3A:34:05" || ad.AddressType != advert.AddressPublic {
		t.Fatalf("frame 1: %+v", ad)
	}
	if !bytes.HasPrefix(ad.Payload, []byte{0x02, 0x01, 0x06, 0x17, 0x16, 0xD2, 0xFC, 0x44}) {
		t.Fatalf("payload % x", ad.Payload)
	}
}

func TestSharedPHDRFields(t *testing.T) {
	t.Parallel()
	ads, _ := readFile(t, shareddata.Path(t, "captures", "le-ll-phdr-adv-and-connect.pcapng"))
	for i, ad := range ads {
		if !ad.ChannelKnown || ad.Channel < 37 || ad.RSSI == advert.RSSIUnavailable {
			t.Fatalf("advertisement %d lacks channel or RSSI from the PHDR: %+v", i, ad)
		}
	}
}

func seedFiles(f *testing.F) {
	f.Add(writeBtsnoop(f, fixtureAds()))
	dir, err := shareddataDir()
	if err != nil {
		return
	}
	for _, c := range sharedCaptures {
		if b, err := os.ReadFile(dir + "/captures/" + c.file); err == nil {
			f.Add(b)
		}
	}
}

func shareddataDir() (string, error) { return shareddata.Dir() }

func fuzzRead(t *testing.T, file []byte) {
	r, err := NewReader(bytes.NewReader(file), Options{GatewayID: "fuzz"})
	if err != nil {
		return
	}
	for {
		ad, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var cerr *CorruptError
			if !errors.As(err, &cerr) {
				t.Fatalf("error %v is not a *CorruptError", err)
			}
			break
		}
		if len(ad.Payload) > advert.MaxExtendedPayload || !ad.AddressType.Known() {
			t.Fatalf("implausible advertisement %+v", ad)
		}
	}
	s := r.Stats()
	if s.BadCRC+s.Other+s.Malformed > s.Records {
		t.Fatalf("stats inconsistent: %+v", s)
	}
}

func FuzzBtsnoop(f *testing.F) {
	f.Add(writeBtsnoop(f, fixtureAds()))
	f.Fuzz(fuzzRead)
}

func FuzzPcap(f *testing.F) {
	seedFiles(f)
	f.Fuzz(fuzzRead)
}

// A controller reports long extended advertising data in several events; the
// reader joins them, and a capture that ends mid-advertisement still yields the
// data it has, marked truncated.
func TestFragmentedExtendedReportsAreJoined(t *testing.T) {
	t.Parallel()
	long := fixtureAds()[0]
	long.EventType, long.ExtendedProperties, long.PHY = advert.EventExtended, 0, advert.PHY1M
	long.Payload = bytes.Repeat([]byte{0x5A}, 500)
	want := []advert.Advertisement{long, fixtureAds()[1]}
	file := writeBtsnoop(t, want)
	got, stats, err := ReadAll(bytes.NewReader(file), Options{GatewayID: "replay:test"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read %+v\nwant %+v", got, want)
	}
	if stats.Records != 4 || stats.Fragments != 2 || stats.Advertisements != 2 {
		t.Fatalf("stats %+v, want 4 records, 2 fragments held, 2 advertisements", stats)
	}

	// The same advertisement's file cut cleanly after its first fragment.
	included := binary.BigEndian.Uint32(file[btsnoopHeaderLen+4 : btsnoopHeaderLen+8])
	cut := btsnoopHeaderLen + btsnoopRecordHeader + int(included)
	got, _, err = ReadAll(bytes.NewReader(file[:cut]), Options{GatewayID: "replay:test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].ExtendedProperties.Has(advert.PropDataTruncated) || !bytes.Equal(got[0].Payload, long.Payload[:len(got[0].Payload)]) {
		t.Fatalf("cut after the first fragment: read %+v, want its data marked truncated", got)
	}
}
