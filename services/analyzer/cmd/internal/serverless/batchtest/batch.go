package batchtest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched/enrichedtest"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore"
)

// Input is the analyzer's input topic on the mirror cluster.
var Input = topic.Remote("azure", topic.Enriched)

// TraceID is the trace every recorded record belongs to; Traceparent is its
// W3C header, as the enricher's producer hook writes it.
const (
	TraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	Traceparent = "00-" + TraceID + "-00f067aa0ba902b7-01"
)

// T0 is the event time of the first recorded reading.
var T0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// Size is the number of records Enriched returns.
const Size = 3*12 + 1

// Enriched returns the recorded batch on partition 0 of the input topic at
// offsets first, first+1, ...: twelve rounds of readings 30 s apart from a
// sensor in the lobby whose battery falls from 20 % to 9 % (battery_low is
// raised once it drops below 15 %), a sensor in the lab and a visitor, and
// after the eighth round an erasure of the visitor. Each record carries
// CloudEvents headers and a traceparent; the bytes are the same on every
// call.
func Enriched(t testing.TB, first int64) []*kgo.Record {
	t.Helper()
	var out []*kgo.Record
	add := func(key string, msg proto.Message, at time.Time) {
		r, err := (eventbus.Encoder{Source: "//bluestream/enricher"}).Record(t.Context(), eventbus.Event{
			Topic: Input, Key: key, Msg: msg, Time: at, ID: fmt.Sprintf("enriched-%d", len(out)),
		})
		if err != nil {
			t.Fatal(err)
		}
		r.Context = nil
		r.Offset = first + int64(len(out))
		r.Headers = append(r.Headers, kgo.RecordHeader{Key: "traceparent", Value: []byte(Traceparent)})
		out = append(out, r)
	}
	for step := range 12 {
		at := T0.Add(time.Duration(step) * 30 * time.Second)
		add("sensor-0", enrichedtest.Reading("sensor-0", "lobby", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, at,
			enrichedtest.Measure("temperature", 21+float64(step)/10, "Cel"), enrichedtest.Measure("battery", 20-float64(step), "%")), at)
		add("sensor-1", enrichedtest.Reading("sensor-1", "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, at,
			enrichedtest.Measure("battery", 80, "%")), at)
		if step < 8 {
			add("visitor-0", enrichedtest.Reading("visitor-0", "lobby", blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR, at), at)
		} else if step == 8 {
			add("visitor-0", &blev1.SubjectErased{DevicePseudonyms: []string{"visitor-0"}, ErasedAt: timestamppb.New(at), RequestId: "req-1"}, at)
			add("badge-1", enrichedtest.Reading("badge-1", "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE, at), at)
		} else {
			add("badge-1", enrichedtest.Reading("badge-1", "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE, at), at)
		}
	}
	if len(out) != Size {
		t.Fatalf("recorded batch has %d records, Size says %d", len(out), Size)
	}
	return out
}

// Poison returns a record that claims to be a ReadingEnriched but whose
// value is not Protobuf: no retry can ever decode it.
func Poison(offset int64) *kgo.Record {
	return &kgo.Record{
		Topic:     Input,
		Offset:    offset,
		Key:       []byte("sensor-9"),
		Value:     []byte{0xff, 0xff, 0xff, 0xff},
		Timestamp: T0,
		Headers: []kgo.RecordHeader{
			{Key: eventbus.HeaderSpecVersion, Value: []byte(eventbus.SpecVersion)},
			{Key: eventbus.HeaderID, Value: []byte("enriched-poison")},
			{Key: eventbus.HeaderSource, Value: []byte("//bluestream/enricher")},
			{Key: eventbus.HeaderType, Value: []byte(eventbus.TypeOf(&blev1.ReadingEnriched{}))},
			{Key: eventbus.HeaderContentType, Value: []byte(eventbus.ContentTypeProtobuf)},
			{Key: "traceparent", Value: []byte(Traceparent)},
		},
	}
}

// State opens the engine on the PostgreSQL store at dsn, as the next
// invocation would, and returns its dump (the whole state, one key=value
// line per entry) and the committed offsets.
func State(t testing.TB, dsn string, cfg analyze.Config) (string, map[store.Partition]int64) {
	t.Helper()
	eng := Engine(t, dsn, cfg)
	return Dump(t, eng), eng.Offsets()
}

// Engine opens the engine on the PostgreSQL store at dsn, as the next
// invocation would, to query what the invocations so far committed.
func Engine(t testing.TB, dsn string, cfg analyze.Config) *analyze.Engine {
	t.Helper()
	st, err := pgstore.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	eng, err := analyze.Open(t.Context(), st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// Dump is the engine's whole state as text, for comparing targets.
func Dump(t testing.TB, e *analyze.Engine) string {
	t.Helper()
	var b strings.Builder
	err := e.Dump(func(key string, value []byte) error {
		fmt.Fprintf(&b, "%s=%x\n", key, value)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
