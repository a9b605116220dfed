package pipeline_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"buf.build/go/protovalidate"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

var receivedAt = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// advertisement wraps a payload the way ble-ingest publishes it.
func advertisement(t testing.TB, payload, scan string) *blev1.AdvertisementReceived {
	return &blev1.AdvertisementReceived{
		GatewayId:  "gw-1",
		ReceivedAt: timestamppb.New(receivedAt),
		Source:     blev1.SourceKind_SOURCE_KIND_GATEWAY,
		Advertisement: &blev1.ScannedAdvertisement{
			ScannedAt:    timestamppb.New(receivedAt.Add(-time.Millisecond)),
			Address:      []byte{0xc1, 0x02, 0x03, 0x04, 0x05, 0x06},
			AddressType:  blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
			Rssi:         -60,
			EventType:    blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_EXTENDED,
			Payload:      mustHex(t, payload),
			ScanResponse: mustHex(t, scan),
		},
	}
}

// BTHome v2 format example (bthome.io/format): 25.06 Cel and 50.55 %.
const bthomeExample = "0201060a16d2fc4002ca0903bf13"

func TestReadingIsAFunctionOfTheInput(t *testing.T) {
	t.Parallel()
	var d pipeline.Decoder
	adv := advertisement(t, bthomeExample, "0509424c4531")
	got, err := d.Reading(t.Context(), adv)
	if err != nil {
		t.Fatal(err)
	}
	if !got.GetDecodedAt().AsTime().Equal(receivedAt) {
		t.Errorf("decoded_at %v, want the receive time %v", got.GetDecodedAt().AsTime(), receivedAt)
	}
	if !proto.Equal(got.GetReceived(), adv) {
		t.Error("reading does not carry its advertisement unchanged")
	}
	if n := len(got.GetDecoded().GetMeasurements()); n != 2 || got.GetDecoded().GetAdvertisingData().GetLocalName() != "BLE1" {
		t.Errorf("decoded %v, want two measurements and the scan response's name", got.GetDecoded())
	}
	if err := protovalidate.Validate(got); err != nil {
		t.Errorf("reading breaks the contract: %v", err)
	}
	again, _ := d.Reading(t.Context(), advertisement(t, bthomeExample, "0509424c4531"))
	a, _ := proto.MarshalOptions{Deterministic: true}.Marshal(got)
	b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(again)
	if !bytes.Equal(a, b) {
		t.Error("the same advertisement gave different readings")
	}

	clock := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	stamped, err := (&pipeline.Decoder{Now: func() time.Time { return clock }}).Reading(t.Context(), adv)
	if err != nil {
		t.Fatal(err)
	}
	if !stamped.GetDecodedAt().AsTime().Equal(clock) {
		t.Errorf("decoded_at %v, want the injected clock's %v", stamped.GetDecodedAt().AsTime(), clock)
	}
}

// TestPartialDecodeKeepsWhatDecoded: a BTHome payload followed by a structure
// whose length runs past the end still yields the measurements, plus the problem.
func TestPartialDecodeKeepsWhatDecoded(t *testing.T) {
	t.Parallel()
	var d pipeline.Decoder
	got, err := d.Reading(t.Context(), advertisement(t, bthomeExample+"09ff0102", ""))
	if err != nil {
		t.Fatal(err)
	}
	dec := got.GetDecoded()
	if len(dec.GetMeasurements()) != 2 || len(dec.GetProblems()) != 1 {
		t.Fatalf("measurements %v problems %v, want 2 and 1", dec.GetMeasurements(), dec.GetProblems())
	}
	if p := dec.GetProblems()[0]; p.GetOffset() != 14 || !strings.Contains(p.GetMessage(), "runs past the end") {
		t.Errorf("problem %v, want the cut structure at byte 14", p)
	}
}

func TestPayloadRejectsOversizeNamingTheField(t *testing.T) {
	t.Parallel()
	var d pipeline.Decoder
	big := bytes.Repeat([]byte{0}, pipeline.MaxPayload+1)
	if _, err := d.Payload(t.Context(), big, nil, [6]byte{}); err == nil || !strings.HasPrefix(err.Error(), "payload:") {
		t.Errorf("oversize payload: %v, want an error naming payload", err)
	}
	if _, err := d.Payload(t.Context(), nil, big, [6]byte{}); err == nil || !strings.HasPrefix(err.Error(), "scan_response:") {
		t.Errorf("oversize scan response: %v, want an error naming scan_response", err)
	}
}

func newStage() *pipeline.Stage {
	return &pipeline.Stage{
		Decoder: &pipeline.Decoder{},
		Encoder: eventbus.Encoder{Source: "//bluestream/transformer"},
		Output:  topic.Readings,
	}
}

func inputRecord(t testing.TB, adv *blev1.AdvertisementReceived, id string) *kgo.Record {
	t.Helper()
	enc := eventbus.Encoder{Source: "//bluestream/ble-ingest"}
	r, err := enc.Record(t.Context(), eventbus.Event{Topic: topic.Advertisements, Key: "c1:02:03:04:05:06", Msg: adv, ID: id})
	if err != nil {
		t.Fatal(err)
	}
	r.Partition, r.Offset = 2, 41
	return r
}

func TestTransformPublishesReadingWithDerivedID(t *testing.T) {
	t.Parallel()
	s := newStage()
	in := inputRecord(t, advertisement(t, bthomeExample, ""), "adv-1")
	outs, err := s.Transform(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 {
		t.Fatalf("%d outputs, want 1", len(outs))
	}
	out := outs[0]
	if out.Topic != topic.Readings || string(out.Key) != "c1:02:03:04:05:06" {
		t.Errorf("output to %s key %q, want %s with the input key", out.Topic, out.Key, topic.Readings)
	}
	var reading blev1.ReadingDecoded
	if err := eventbus.Decode(out, &reading); err != nil {
		t.Fatalf("output does not decode as a reading: %v", err)
	}
	if !out.Timestamp.Equal(receivedAt) {
		t.Errorf("record time %v, want the receive time", out.Timestamp)
	}
	id, _ := eventbus.Header(out, eventbus.HeaderID)
	again, err := s.Transform(t.Context(), inputRecord(t, advertisement(t, bthomeExample, ""), "adv-1"))
	if err != nil {
		t.Fatal(err)
	}
	if id2, _ := eventbus.Header(again[0], eventbus.HeaderID); id2 != id || !bytes.Equal(again[0].Value, out.Value) {
		t.Errorf("same input gave id %s then %s (values equal: %v)", id, id2, bytes.Equal(again[0].Value, out.Value))
	}
	other, _ := s.Transform(t.Context(), inputRecord(t, advertisement(t, bthomeExample, ""), "adv-2"))
	if id3, _ := eventbus.Header(other[0], eventbus.HeaderID); id3 == id {
		t.Errorf("inputs adv-1 and adv-2 share the reading id %s", id)
	}
}

func TestEventIDFallsBackToLogPosition(t *testing.T) {
	t.Parallel()
	a := &kgo.Record{Topic: topic.Advertisements, Partition: 1, Offset: 7}
	b := &kgo.Record{Topic: topic.Advertisements, Partition: 1, Offset: 8}
	if pipeline.EventID(a) != pipeline.EventID(a) || pipeline.EventID(a) == pipeline.EventID(b) {
		t.Errorf("ids from log position: %s %s", pipeline.EventID(a), pipeline.EventID(b))
	}
}

func TestTransformRejectsBadInputWithReason(t *testing.T) {
	t.Parallel()
	s := newStage()
	garbage := inputRecord(t, advertisement(t, bthomeExample, ""), "adv-1")
	garbage.Value = []byte("\xff\xff not protobuf")
	invalid := advertisement(t, bthomeExample, "")
	invalid.GatewayId = ""
	tests := []struct {
		name       string
		rec        *kgo.Record
		wantReason string
	}{
		{name: "garbage", rec: garbage, wantReason: "unmarshal"},
		{name: "invalid_event", rec: inputRecord(t, invalid, "adv-3"), wantReason: "invalid"},
		{name: "no_type", rec: &kgo.Record{Value: []byte{}}, wantReason: "missing_header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			outs, err := s.Transform(t.Context(), tt.rec)
			var de *eventbus.DecodeError
			if !errors.As(err, &de) || de.Reason != tt.wantReason || outs != nil {
				t.Errorf("got %v outputs, err %v; want a %s DecodeError", outs, err, tt.wantReason)
			}
		})
	}
}
