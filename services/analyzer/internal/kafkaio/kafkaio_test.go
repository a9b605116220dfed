package kafkaio_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/kafkaio"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

const input = "azure.ble.enriched.v1"

var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

func engine(t *testing.T) *analyze.Engine {
	t.Helper()
	e, err := analyze.Open(t.Context(), memstore.New(), analyze.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func record(t *testing.T, offset int64, key string, msg proto.Message) *kgo.Record {
	t.Helper()
	r, err := (eventbus.Encoder{Source: "//bluestream/enricher"}).Record(t.Context(), eventbus.Event{Topic: input, Key: key, Msg: msg, Time: t0})
	if err != nil {
		t.Fatal(err)
	}
	r.Offset = offset
	return r
}

func reading(device string, battery float64) *blev1.ReadingEnriched {
	return &blev1.ReadingEnriched{
		DevicePseudonym: device,
		ReceivedAt:      timestamppb.New(t0),
		EnrichedAt:      timestamppb.New(t0.Add(50 * time.Millisecond)),
		Place:           &blev1.Place{Site: "ber", Building: "b1", Floor: "1", Zone: "lobby"},
		Receivers:       []*blev1.Receiver{{GatewayId: "gw-lobby", Rssi: -60}},
		Measurements:    []*blev1.Measurement{{Quantity: "battery", Value: battery, Unit: "%"}},
		DataProtection: &blev1.DataProtection{SubjectCategory: blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR,
			LegalBasis: blev1.LegalBasis_LEGAL_BASIS_LEGITIMATE_INTEREST, RetentionDays: 30},
	}
}

func TestApplyHandsBothEventTypesToTheEngine(t *testing.T) {
	t.Parallel()
	e := engine(t)
	if _, err := kafkaio.Apply(e, record(t, 0, "sensor-0", reading("sensor-0", 80))); err != nil {
		t.Fatal(err)
	}
	if d, ok := e.Device("sensor-0"); !ok || !d.Present {
		t.Fatalf("sensor-0 = %+v, %v after its reading", d, ok)
	}
	if out, err := kafkaio.Apply(e, record(t, 0, "sensor-0", reading("sensor-0", 80))); err != nil || !out.Duplicate {
		t.Errorf("the same offset again: %+v, %v; want a duplicate", out, err)
	}
	erase := &blev1.SubjectErased{DevicePseudonyms: []string{"sensor-0"}, ErasedAt: timestamppb.New(t0), RequestId: "req-1"}
	if _, err := kafkaio.Apply(e, record(t, 1, "sensor-0", erase)); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Device("sensor-0"); ok {
		t.Error("sensor-0 still known after its erasure")
	}
	if got := e.Offsets()[store.Partition{Topic: input}]; got != 2 {
		t.Errorf("next offset %d, want 2", got)
	}
}

func TestPoisonRecordsCarryTheirDeadLetterReason(t *testing.T) {
	t.Parallel()
	noType := record(t, 0, "sensor-0", reading("sensor-0", 80))
	noType.Headers = without(noType.Headers, eventbus.HeaderType)
	notProtobuf := record(t, 0, "sensor-0", reading("sensor-0", 80))
	notProtobuf.Value = []byte{0xff, 0xff, 0xff}
	unplaced := reading("sensor-0", 80)
	unplaced.Place.Floor = "" // a zone without its floor: the engine could not key it
	for _, tt := range []struct {
		name   string
		r      *kgo.Record
		reason string
		engine bool // also an analyze.ErrInvalid
	}{
		{"no ce_type", noType, "missing_header", false},
		{"foreign type", record(t, 0, "x", &blev1.Place{Site: "x"}), "wrong_type", false},
		{"not protobuf", notProtobuf, "unmarshal", false},
		{"breaks the contract", record(t, 0, "sensor-0", reading("", 80)), "invalid", false},
		{"unusable reading", record(t, 0, "sensor-0", unplaced), "invalid", true},
		{"erasure of nobody", record(t, 0, "x", &blev1.SubjectErased{DevicePseudonyms: []string{""}, ErasedAt: timestamppb.New(t0), RequestId: "r"}), "invalid", false},
	} {
		e := engine(t)
		_, err := kafkaio.Apply(e, tt.r)
		var de *eventbus.DecodeError
		if !kafkaio.IsPoison(err) || !errors.As(err, &de) || de.Reason != tt.reason {
			t.Errorf("%s: %v, want poison with reason %s", tt.name, err, tt.reason)
			continue
		}
		if tt.engine && !errors.Is(err, analyze.ErrInvalid) {
			t.Errorf("%s: %v does not wrap analyze.ErrInvalid", tt.name, err)
		}
		// The engine never saw it: the caller decides when it is consumed.
		if len(e.Offsets()) != 0 {
			t.Errorf("%s: offsets %v after a poison record", tt.name, e.Offsets())
		}
		if _, err := kafkaio.Decode(tt.r); !kafkaio.IsPoison(err) {
			t.Errorf("%s: Decode alone = %v, want the same poison", tt.name, err)
		}
	}
}

func without(hs []kgo.RecordHeader, key string) []kgo.RecordHeader {
	var out []kgo.RecordHeader
	for _, h := range hs {
		if h.Key != key {
			out = append(out, h)
		}
	}
	return out
}

func TestAlertRecord(t *testing.T) {
	t.Parallel()
	e := engine(t)
	out, err := kafkaio.Apply(e, record(t, 0, "sensor-0", reading("sensor-0", 5)))
	if err != nil || len(out.Alerts) != 1 {
		t.Fatalf("battery at 5 %%: %+v, %v; want one alert", out, err)
	}
	ev := out.Alerts[0]
	enc := eventbus.Encoder{Source: "//bluestream/analyzer"}
	r, err := kafkaio.AlertRecord(t.Context(), enc, "analyzer.alerts.v1", e, ev)
	if err != nil {
		t.Fatal(err)
	}
	var msg analyzerv1.AlertRaised
	if err := eventbus.Decode(r, &msg); err != nil {
		t.Fatal(err)
	}
	id, _ := eventbus.Header(r, eventbus.HeaderID)
	if r.Topic != "analyzer.alerts.v1" || string(r.Key) != "sensor-0" || id != ev.Alert.ID+"/raised" ||
		msg.GetAlert().GetZone() != "ber/b1/1/lobby" || msg.GetAlert().GetRule() != "battery_low" {
		t.Errorf("alert record %s key %q ce_id %q: %v", r.Topic, r.Key, id, &msg)
	}
	again, err := kafkaio.AlertRecord(t.Context(), enc, "analyzer.alerts.v1", e, ev)
	if err != nil {
		t.Fatal(err)
	}
	if id2, _ := eventbus.Header(again, eventbus.HeaderID); id2 != id || !strings.HasSuffix(id, "/raised") {
		t.Errorf("a repeat got ce_id %q, the first %q", id2, id)
	}
}

func TestCaughtUpAtTheLastStableOffset(t *testing.T) {
	t.Parallel()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, input))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.DefaultProduceTopic(input), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	adm := kadm.NewClient(cl)
	p0, p1 := store.Partition{Topic: input, Partition: 0}, store.Partition{Topic: input, Partition: 1}

	if caught, err := kafkaio.CaughtUp(t.Context(), adm, input, nil); err != nil || !caught {
		t.Errorf("empty topic, nothing read: %v, %v; want caught up", caught, err)
	}
	for range 2 {
		if err := cl.ProduceSync(t.Context(), &kgo.Record{Partition: 1, Value: []byte("x")}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		read map[store.Partition]int64
		want bool
	}{
		{map[store.Partition]int64{p1: 1}, false},
		{map[store.Partition]int64{p0: 5}, false},
		{map[store.Partition]int64{p1: 2}, true},
	} {
		if caught, err := kafkaio.CaughtUp(t.Context(), adm, input, tt.read); err != nil || caught != tt.want {
			t.Errorf("read %v: %v, %v; want %v", tt.read, caught, err, tt.want)
		}
	}
}
