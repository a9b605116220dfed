package hci

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

func longExtended(addr byte, n int) advert.Advertisement {
	return advert.Advertisement{
		GatewayID: origin.GatewayID, ReceivedAt: origin.ReceivedAt, Source: origin.Source,
		Address: advert.Address{0xC6, 0, 0, 0, 0, addr}, AddressType: advert.AddressRandom, RSSI: -64,
		PHY: advert.PHY1M, SecondaryPHY: advert.PHY2M, SID: 3, SIDKnown: true,
		EventType: advert.EventExtended, Payload: bytes.Repeat([]byte{addr}, n),
	}
}

// fragments encodes ad as a controller sends it and decodes each event back,
// so the test goes through the real wire format.
func fragments(t *testing.T, ad advert.Advertisement) []advert.Advertisement {
	t.Helper()
	events, err := EncodeEvents(ad)
	if err != nil {
		t.Fatal(err)
	}
	var out []advert.Advertisement
	for _, ev := range events {
		got, err := DecodeEvent(ev, origin)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got...)
	}
	return out
}

func TestLongAdvertisingDataTravelsInFragmentsAndComesBackWhole(t *testing.T) {
	t.Parallel()
	ad := longExtended(1, 600)
	frags := fragments(t, ad)
	if len(frags) != 3 || !frags[0].ExtendedProperties.Has(advert.PropDataIncomplete) {
		t.Fatalf("600 bytes went out as %d reports, want 3 with the first incomplete", len(frags))
	}
	var r Reassembler
	var got []advert.Advertisement
	for i, f := range frags {
		out := r.Add(f)
		if i < len(frags)-1 && len(out) != 0 {
			t.Fatalf("fragment %d yielded %d advertisements before the data was complete", i+1, len(out))
		}
		got = append(got, out...)
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], ad) {
		t.Fatalf("reassembled %+v\nwant %+v", got, ad)
	}
	if r.Pending() != 0 {
		t.Fatalf("%d still pending", r.Pending())
	}
}

func TestInterleavedAdvertisersAreJoinedSeparately(t *testing.T) {
	t.Parallel()
	a, b := longExtended(1, 400), longExtended(2, 300)
	fa, fb := fragments(t, a), fragments(t, b)
	var r Reassembler
	var got []advert.Advertisement
	for _, f := range []advert.Advertisement{fa[0], fb[0], fb[1], fa[1]} {
		got = append(got, r.Add(f)...)
	}
	if len(got) != 2 || !reflect.DeepEqual(got[0], b) || !reflect.DeepEqual(got[1], a) {
		t.Fatalf("got %d advertisements, want b then a whole", len(got))
	}
}

func TestGivenUpFragmentsComeOutMarkedTruncated(t *testing.T) {
	t.Parallel()
	var r Reassembler
	first := fragments(t, longExtended(1, 400))[0]
	if out := r.Add(first); len(out) != 0 {
		t.Fatal("an incomplete fragment came out alone")
	}
	out := r.Flush()
	if len(out) != 1 || !out[0].ExtendedProperties.Has(advert.PropDataTruncated) || len(out[0].Payload) != maxExtendedData {
		t.Fatalf("flush gave %+v, want the first fragment's data marked truncated", out)
	}
	for i := range maxPendingAdvertisers + 1 {
		out = r.Add(fragments(t, longExtended(byte(i), 300))[0])
	}
	if len(out) != 1 || out[0].Address[5] != 0 || !out[0].ExtendedProperties.Has(advert.PropDataTruncated) {
		t.Fatalf("over %d pending advertisers gave %+v, want the oldest given up as truncated", maxPendingAdvertisers, out)
	}
}

func TestCompleteReportsPassThrough(t *testing.T) {
	t.Parallel()
	var r Reassembler
	for _, ad := range []advert.Advertisement{longExtended(1, 100), {EventType: advert.EventAdvInd, Payload: []byte{2, 1, 6}}} {
		if out := r.Add(ad); len(out) != 1 || !reflect.DeepEqual(out[0], ad) {
			t.Errorf("Add(%v) = %+v, want it unchanged", ad.EventType, out)
		}
	}
}
