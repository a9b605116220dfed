package stream_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"go.opentelemetry.io/otel/trace"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
	"github.com/bluestream/bluestream/services/enricher/internal/stream"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const ownerRef = "HR-4711-MUELLER"

var phone = identity.Address{0xC4, 0x7A, 0x91, 0x3E, 0x55, 0x0B}

type rig struct {
	reg    *registry.Registry
	enr    *enrich.Enricher
	pseudo *privacy.Pseudonymizer
	stage  *stream.Stage
}

func newRig(t testing.TB) *rig {
	t.Helper()
	reg := registry.New(func() time.Time { return t0.Add(-time.Hour) })
	for i, id := range []string{"gw-a", "gw-b", "gw-c"} {
		x := float64(i * 10)
		exec(t, reg, registry.RegisterGateway{GatewayID: id, Tenant: "acme", RSSIAt1m: -59, Placement: registry.Placement{
			Site: "fra-1", Building: "A", Floor: 2, Zone: "office", Position: geo.LatLon{Lat: 50.11, Lon: 8.68 + x/71_000}, Plan: geo.Point{X: x, Y: float64(i % 2 * 8)}}})
	}
	exec(t, reg, registry.RegisterDevice{DeviceID: "dev-phone", Tenant: "acme", Category: registry.CategoryVisitor, OwnerRef: ownerRef, Consent: true,
		Identity: registry.Identity{Address: &phone, AddressType: identity.AddressPublic}})
	period := privacy.Period{Length: 24 * time.Hour}
	pseudo, err := privacy.NewPseudonymizer(privacy.NewMemoryKeystore(), period, privacy.WithCache(1024))
	if err != nil {
		t.Fatal(err)
	}
	enr, err := enrich.New(enrich.Config{}, reg, pseudo)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{reg: reg, enr: enr, pseudo: pseudo, stage: &stream.Stage{Enricher: enr, Encoder: eventbus.Encoder{Source: "//bluestream/enricher"},
		Output: topic.Enriched, Period: period, Now: func() time.Time { return t0 }}}
}

func exec(t testing.TB, r *registry.Registry, c registry.Command) []registry.Event {
	t.Helper()
	ev, err := r.Execute(c)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// reading is one gateway's copy of the phone's advertisement, as the transformer
// publishes it: keyed by the address.
func reading(t testing.TB, gw string, rssi int32, at time.Time, payload byte) *kgo.Record {
	t.Helper()
	msg := &blev1.ReadingDecoded{
		Received: &blev1.AdvertisementReceived{GatewayId: gw, ReceivedAt: timestamppb.New(at), Source: blev1.SourceKind_SOURCE_KIND_GATEWAY,
			Advertisement: &blev1.ScannedAdvertisement{ScannedAt: timestamppb.New(at), Address: phone[:], AddressType: blev1.AddressType_ADDRESS_TYPE_PUBLIC,
				Rssi: rssi, EventType: blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_IND, Payload: []byte{0x02, 0x01, payload}}},
		Decoded:   &blev1.DecodedPayload{Measurements: []*blev1.Measurement{{Quantity: "battery", Value: 87, Unit: "%"}}},
		DecodedAt: timestamppb.New(at),
	}
	rec, err := eventbus.Encoder{Source: "//bluestream/transformer"}.Record(t.Context(), eventbus.Event{Topic: topic.Readings, Key: phone.String(), Msg: msg})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func batch(t testing.TB, s *stream.Stage, in ...*kgo.Record) []*kgo.Record {
	t.Helper()
	out, err := s.Batch(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decoded(t *testing.T, r *kgo.Record) *blev1.ReadingEnriched {
	t.Helper()
	var e blev1.ReadingEnriched
	if err := eventbus.Decode(r, &e); err != nil {
		t.Fatalf("%s record: %v", r.Topic, err)
	}
	return &e
}

// forbidden lists every form the phone's address and owner could take in bytes.
func forbidden() [][]byte {
	rev := []byte{phone[5], phone[4], phone[3], phone[2], phone[1], phone[0]}
	out := [][]byte{phone[:], rev, []byte(ownerRef)}
	for _, b := range [][]byte{phone[:], rev} {
		h := hex.EncodeToString(b)
		out = append(out, []byte(h), []byte(strings.ToUpper(h)))
		var colon []string
		for i := 0; i < len(h); i += 2 {
			colon = append(colon, h[i:i+2])
		}
		out = append(out, []byte(strings.Join(colon, ":")), []byte(strings.ToUpper(strings.Join(colon, ":"))))
	}
	return out
}

func TestEnrichedRecordsCarryNoAddressOrOwner(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	out := batch(t, r.stage, reading(t, "gw-a", -60, t0, 1), reading(t, "gw-b", -70, t0.Add(20*time.Millisecond), 1),
		reading(t, "gw-c", -75, t0.Add(40*time.Millisecond), 1), reading(t, "gw-a", -61, t0.Add(time.Second), 2))
	if len(out) != 2 {
		t.Fatalf("got %d records, want 2 (three copies merged, then the next advertisement)", len(out))
	}
	if n := len(decoded(t, out[0]).GetReceivers()); n != 3 {
		t.Errorf("first reading has %d receivers, want 3", n)
	}
	for _, rec := range out {
		if rec.Topic != topic.Enriched {
			t.Fatalf("record on %s, want %s", rec.Topic, topic.Enriched)
		}
		parts := [][]byte{rec.Key, rec.Value}
		for _, h := range rec.Headers {
			parts = append(parts, []byte(h.Key), h.Value)
		}
		for _, part := range parts {
			for _, bad := range forbidden() {
				if bytes.Contains(part, bad) {
					t.Errorf("record contains %q", bad)
				}
			}
		}
		if e := decoded(t, rec); e.GetOwnerPseudonym() == "" || string(rec.Key) != e.GetDevicePseudonym() {
			t.Errorf("record keyed %q with pseudonyms %q/%q, want the device pseudonym as key and an owner pseudonym", rec.Key, e.GetDevicePseudonym(), e.GetOwnerPseudonym())
		}
	}
}

func TestPseudonymStableInPeriodUnlinkableAfterErasure(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	first := decoded(t, batch(t, r.stage, reading(t, "gw-a", -60, t0, 1))[0]).GetDevicePseudonym()
	again := decoded(t, batch(t, r.stage, reading(t, "gw-b", -65, t0.Add(3*time.Hour), 2))[0]).GetDevicePseudonym()
	if first != again {
		t.Fatalf("same device, same day: %s then %s", first, again)
	}
	nextDay := decoded(t, batch(t, r.stage, reading(t, "gw-b", -65, t0.Add(25*time.Hour), 3))[0]).GetDevicePseudonym()
	if nextDay == first {
		t.Error("pseudonym survived the key period")
	}

	ev := exec(t, r.reg, registry.RequestErasure{DeviceID: "dev-phone", ExpectedVersion: 1, RequestID: "req-1"})
	notice, err := r.enr.Erase(t.Context(), ev[0].(registry.DeviceErased), t0.Add(4*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(notice.Pseudonyms, ","), first) {
		t.Errorf("erasure notice %v does not list the pseudonym %s to drop", notice.Pseudonyms, first)
	}
	// The same phone registered again by its owner: a new subject, a new pseudonym.
	exec(t, r.reg, registry.RegisterDevice{DeviceID: "dev-phone", Tenant: "acme", Category: registry.CategoryVisitor, OwnerRef: ownerRef,
		Identity: registry.Identity{Address: &phone, AddressType: identity.AddressPublic}, ExpectedVersion: 2})
	after := decoded(t, batch(t, r.stage, reading(t, "gw-a", -60, t0.Add(5*time.Hour), 4))[0]).GetDevicePseudonym()
	if after == first {
		t.Fatal("after erasure the device maps to its old pseudonym")
	}
}

func TestInvalidReadingsGoToTheDLQ(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	bad := reading(t, "gw-unknown", -60, t0, 1)
	garbage := &kgo.Record{Topic: topic.Readings, Value: []byte("not protobuf"), Headers: bad.Headers}
	out := batch(t, r.stage, bad, garbage)
	if len(out) != 2 {
		t.Fatalf("got %d records, want 2 dead letters", len(out))
	}
	for _, rec := range out {
		reason, _ := eventbus.Header(rec, eventbus.HeaderDLQReason)
		if rec.Topic != topic.DLQ(topic.Readings) || reason == "" {
			t.Errorf("record to %s with reason %q, want %s with a reason", rec.Topic, reason, topic.DLQ(topic.Readings))
		}
	}
	if msg, _ := eventbus.Header(out[0], eventbus.HeaderDLQError); !strings.Contains(msg, "gw-unknown") {
		t.Errorf("dead letter error %q does not name the gateway", msg)
	}
	if reason, _ := eventbus.Header(out[0], eventbus.HeaderDLQReason); reason != "unknown_gateway" {
		t.Errorf("dead letter reason %q for a gateway the registry does not know, want unknown_gateway", reason)
	}
}

// BenchmarkBatch measures the transform alone (decode, merge, enrich, encode), with
// event time moving forward as in production: 100 advertisements heard by three
// gateways each per batch.
func BenchmarkBatch(b *testing.B) {
	r := newRig(b)
	const ads, copies = 100, 3
	build := func(k int) []*kgo.Record {
		in := make([]*kgo.Record, 0, ads*copies)
		for i := range ads {
			at := t0.Add(time.Duration(k*ads+i) * time.Second)
			for j, gw := range []string{"gw-a", "gw-b", "gw-c"} {
				in = append(in, reading(b, gw, int32(-60-5*j), at.Add(time.Duration(j)*time.Millisecond), byte(i)))
			}
		}
		return in
	}
	ctx := context.Background()
	var outs, k int
	for b.Loop() {
		b.StopTimer()
		in := build(k)
		k++
		b.StartTimer()
		out, err := r.stage.Batch(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		outs += len(out)
	}
	if outs != k*ads {
		b.Fatalf("%d enriched readings from %d batches, want %d", outs, k, k*ads)
	}
	b.ReportMetric(float64(outs)/b.Elapsed().Seconds(), "enrichments/s")
	b.ReportMetric(float64(k*ads*copies)/b.Elapsed().Seconds(), "readings/s")
}

// TestEnrichedRecordContinuesTheFirstCopysTrace: the fetch hook puts the span
// continued from a record's traceparent into its context; the merged output
// must carry that context so the produce hook writes the same trace onward.
func TestEnrichedRecordContinuesTheFirstCopysTrace(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	traceID := trace.TraceID{0x4b, 0x1e, 0x57, 0x4e, 0xa4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	first := reading(t, "gw-a", -60, t0, 1)
	first.Context = trace.ContextWithSpanContext(t.Context(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: trace.SpanID{1, 2, 3, 4, 5, 6, 7, 8}, TraceFlags: trace.FlagsSampled, Remote: true}))
	second := reading(t, "gw-b", -70, t0.Add(time.Millisecond), 1)
	out := batch(t, r.stage, first, second)
	if len(out) != 1 || out[0].Topic != topic.Enriched {
		t.Fatalf("got %d records, want one merged enriched reading", len(out))
	}
	if got := trace.SpanContextFromContext(out[0].Context).TraceID(); got != traceID {
		t.Errorf("enriched record in trace %s, want the first copy's %s", got, traceID)
	}
}
