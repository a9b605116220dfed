package batchtest

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
)

// TraceID is the trace every recorded advertisement belongs to; Traceparent
// is its W3C header, as ble-ingest's producer hook writes it.
const (
	TraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	Traceparent = "00-" + TraceID + "-00f067aa0ba902b7-01"
)

// ReceivedAt is when the gateway received the recorded advertisements.
var ReceivedAt = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// payloads are the recorded advertising payloads, one format each.
var payloads = []struct{ device, hex string }{
	// BTHome v2 example (bthome.io/format): temperature and humidity.
	{"c1:02:03:04:05:06", "0201060a16d2fc4002ca0903bf13"},
	// iBeacon: Apple's manufacturer data, proximity UUID, major 1, minor 2.
	{"c1:02:03:04:05:07", "0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000010002c5"},
	// RuuviTag data format 5, the spec's valid example.
	{"c1:02:03:04:05:08", "0201061bff99040512fc5394c37c0004fffc040cac364200cdcbb8334c884f"},
}

// Advertisements returns the recorded batch: one AdvertisementReceived record
// per payload on partition 0 of ble.advertisements.v1 at offsets first,
// first+1, ..., each with CloudEvents headers and a traceparent.
func Advertisements(t testing.TB, first int64) []*kgo.Record {
	t.Helper()
	enc := eventbus.Encoder{Source: "//bluestream/ble-ingest"}
	out := make([]*kgo.Record, 0, len(payloads))
	for i, p := range payloads {
		payload, err := hex.DecodeString(p.hex)
		if err != nil {
			t.Fatal(err)
		}
		adv := &blev1.AdvertisementReceived{
			GatewayId:  "gw-1",
			ReceivedAt: timestamppb.New(ReceivedAt.Add(time.Duration(i) * time.Millisecond)),
			Source:     blev1.SourceKind_SOURCE_KIND_GATEWAY,
			Advertisement: &blev1.ScannedAdvertisement{
				ScannedAt:   timestamppb.New(ReceivedAt.Add(time.Duration(i)*time.Millisecond - time.Millisecond)),
				Address:     []byte{0xc1, 0x02, 0x03, 0x04, 0x05, byte(6 + i)},
				AddressType: blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
				Rssi:        int32(-60 - i),
				EventType:   blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_IND,
				Payload:     payload,
			},
		}
		r, err := enc.Record(t.Context(), eventbus.Event{
			Topic: topic.Advertisements,
			Key:   p.device,
			Msg:   adv,
			ID:    "adv-" + p.device,
			Time:  adv.GetReceivedAt().AsTime(),
		})
		if err != nil {
			t.Fatal(err)
		}
		r.Context = nil
		r.Offset = first + int64(i)
		r.Headers = append(r.Headers, kgo.RecordHeader{Key: "traceparent", Value: []byte(Traceparent)})
		out = append(out, r)
	}
	return out
}

// Poison returns a record that claims to be an AdvertisementReceived but whose
// value is not Protobuf: no retry can ever decode it.
func Poison(offset int64) *kgo.Record {
	return &kgo.Record{
		Topic:     topic.Advertisements,
		Offset:    offset,
		Key:       []byte("c1:02:03:04:05:ff"),
		Value:     []byte{0xff, 0xff, 0xff, 0xff},
		Timestamp: ReceivedAt,
		Headers: []kgo.RecordHeader{
			{Key: eventbus.HeaderSpecVersion, Value: []byte(eventbus.SpecVersion)},
			{Key: eventbus.HeaderID, Value: []byte("adv-poison")},
			{Key: eventbus.HeaderSource, Value: []byte("//bluestream/ble-ingest")},
			{Key: eventbus.HeaderType, Value: []byte(eventbus.TypeOf(&blev1.AdvertisementReceived{}))},
			{Key: eventbus.HeaderContentType, Value: []byte(eventbus.ContentTypeProtobuf)},
			{Key: "traceparent", Value: []byte(Traceparent)},
		},
	}
}
