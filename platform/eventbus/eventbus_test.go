package eventbus_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
)

func newTelemetry(t *testing.T) (*telemetry.Telemetry, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tel, err := telemetry.Setup(t.Context(), "eventbus-test", telemetry.WithSpanExporter(exp), telemetry.WithoutGlobals())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return tel, exp
}

func advertisement(gateway string, rssi int32) *blev1.AdvertisementReceived {
	return &blev1.AdvertisementReceived{
		GatewayId:  gateway,
		ReceivedAt: timestamppb.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		Source:     blev1.SourceKind_SOURCE_KIND_SIMULATOR,
		Advertisement: &blev1.ScannedAdvertisement{
			ScannedAt:   timestamppb.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
			Address:     []byte{0xc1, 0x02, 0x03, 0x04, 0x05, 0x06},
			AddressType: blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
			Rssi:        rssi,
			EventType:   blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_NONCONN_IND,
			Payload:     []byte{0x02, 0x01, 0x06},
		},
	}
}

// consumeN reads n records from the topic, failing the test at its deadline.
func consumeN(t *testing.T, cfg eventbus.Config, tel *telemetry.Telemetry, n int, topics ...string) (*eventbus.Client, []*kgo.Record) {
	t.Helper()
	cl, err := eventbus.NewClient(cfg, tel, "//test", "", kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var got []*kgo.Record
	for len(got) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("got %d of %d records from %v before the deadline", len(got), n, topics)
		}
		if err := eventbus.FetchErrors(fs); err != nil {
			t.Fatal(err)
		}
		got = append(got, fs.Records()...)
	}
	return cl, got
}

func TestTypedEventRoundTripWithCloudEventsAndTrace(t *testing.T) {
	t.Parallel()
	tel, spans := newTelemetry(t)
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(3, topic.Advertisements))
	pub, err := eventbus.NewClient(cluster.Config(), tel, "//bluestream/test", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)

	ctx, parent := tel.Tracer("test").Start(t.Context(), "ingest batch")
	sent := advertisement("gw-1", -61)
	if err := pub.Publish(ctx, eventbus.Event{Topic: topic.Advertisements, Key: "c1:02:03:04:05:06", Msg: sent, ID: "adv-1"}); err != nil {
		t.Fatal(err)
	}
	parent.End()

	sub, recs := consumeN(t, cluster.Config(), tel, 1, topic.Advertisements)
	rec := recs[0]
	wantHeaders := map[string]string{
		"ce_specversion": "1.0",
		"ce_id":          "adv-1",
		"ce_source":      "//bluestream/test",
		"ce_type":        "bluestream.ble.v1.AdvertisementReceived",
		"content-type":   "application/protobuf",
	}
	for k, want := range wantHeaders {
		if got, _ := eventbus.Header(rec, k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if ts, ok := eventbus.Header(rec, "ce_time"); !ok {
		t.Error("no ce_time header")
	} else if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		t.Errorf("ce_time %q is not RFC 3339: %v", ts, err)
	}
	traceparent, ok := eventbus.Header(rec, "traceparent")
	if !ok {
		t.Fatal("no traceparent header")
	}
	if want := parent.SpanContext().TraceID().String(); len(traceparent) < 35 || traceparent[3:35] != want {
		t.Errorf("traceparent %q does not carry trace %s", traceparent, want)
	}

	var got blev1.AdvertisementReceived
	if err := eventbus.Decode(rec, &got); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(&got, sent) {
		t.Errorf("decoded %v, want %v", &got, sent)
	}

	_, process := sub.ProcessSpan(rec)
	process.End()
	if process.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Errorf("process span in trace %s, want the producer's %s", process.SpanContext().TraceID(), parent.SpanContext().TraceID())
	}
	if len(spans.GetSpans()) < 3 {
		t.Errorf("exported %d spans, want the parent, send and process spans", len(spans.GetSpans()))
	}
}

func TestDecodeRejectsWithReason(t *testing.T) {
	t.Parallel()
	enc := eventbus.Encoder{Source: "//test"}
	good, err := enc.Record(t.Context(), eventbus.Event{Topic: topic.Advertisements, Msg: advertisement("gw", -50)})
	if err != nil {
		t.Fatal(err)
	}
	invalid, err := enc.Record(t.Context(), eventbus.Event{Topic: topic.Advertisements, Msg: advertisement("", -50)})
	if err != nil {
		t.Fatal(err)
	}
	garbage := *good
	garbage.Value = []byte{0xff, 0xff, 0xff}
	tests := []struct {
		name       string
		rec        *kgo.Record
		into       proto.Message
		wantReason string
	}{
		{name: "garbage_bytes", rec: &garbage, into: &blev1.AdvertisementReceived{}, wantReason: "unmarshal"},
		{name: "other_type", rec: good, into: &blev1.ReadingDecoded{}, wantReason: "wrong_type"},
		{name: "no_headers", rec: &kgo.Record{Value: good.Value}, into: &blev1.AdvertisementReceived{}, wantReason: "missing_header"},
		{name: "invalid_event", rec: invalid, into: &blev1.AdvertisementReceived{}, wantReason: "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := eventbus.Decode(tt.rec, tt.into)
			var de *eventbus.DecodeError
			if !errors.As(err, &de) || de.Reason != tt.wantReason {
				t.Fatalf("got %v, want a DecodeError with reason %s", err, tt.wantReason)
			}
		})
	}
}

// TestTransactorRoutesUndecodableToDLQ runs a consume-transform-produce stage
// over good and garbage records: every good one yields one output, every garbage
// one lands in the dead-letter topic with its reason and origin.
func TestTransactorRoutesUndecodableToDLQ(t *testing.T) {
	t.Parallel()
	tel, _ := newTelemetry(t)
	in, out := topic.Advertisements, topic.Readings
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(2, in, out, topic.DLQ(in)))
	pub, err := eventbus.NewClient(cluster.Config(), tel, "//test", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)
	const good, bad = 6, 2
	for i := range good {
		if err := pub.Publish(t.Context(), eventbus.Event{Topic: in, Key: "dev-" + strconv.Itoa(i), Msg: advertisement("gw-"+strconv.Itoa(i), -40-int32(i))}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range bad {
		garbage := &kgo.Record{Topic: in, Key: []byte("junk"), Value: []byte(fmt.Sprintf("not protobuf %d \xff\xff", i)),
			Headers: []kgo.RecordHeader{{Key: "ce_type", Value: []byte("bluestream.ble.v1.AdvertisementReceived")}}}
		if err := pub.ProduceSync(t.Context(), garbage).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}

	tx, err := eventbus.NewTransactor(eventbus.TransactConfig{
		Kafka: cluster.Config(), Group: "transformer", TransactionalID: "transformer-0", Topics: []string{in}, Source: "//test/transformer",
	}, tel, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	started := time.Now()
	go func() {
		done <- tx.Run(ctx, func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
			var adv blev1.AdvertisementReceived
			if err := eventbus.Decode(r, &adv); err != nil {
				return nil, err
			}
			pipelinemetrics.Delivered(ctx, adv.GetReceivedAt().AsTime())
			reading := &blev1.ReadingDecoded{Received: &adv, Decoded: &blev1.DecodedPayload{Formats: []string{"flags"}}, DecodedAt: timestamppb.Now()}
			rec, err := tx.Encoder.Record(ctx, eventbus.Event{Topic: out, Key: string(r.Key), Msg: reading})
			return []*kgo.Record{rec}, err
		})
	}()

	_, outs := consumeN(t, cluster.Config(), tel, good, out)
	_, dlq := consumeN(t, cluster.Config(), tel, bad, topic.DLQ(in))
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("transactor: %v", err)
	}
	stopped := time.Now()
	tx.Close()
	checkTransactorMetrics(t, tel, good, bad, started, stopped)

	gateways := map[string]bool{}
	for _, r := range outs {
		var reading blev1.ReadingDecoded
		if err := eventbus.Decode(r, &reading); err != nil {
			t.Fatalf("output does not decode: %v", err)
		}
		gateways[reading.GetReceived().GetGatewayId()] = true
	}
	if len(gateways) != good {
		t.Errorf("outputs came from %d distinct inputs, want %d", len(gateways), good)
	}
	for _, r := range dlq {
		reason, _ := eventbus.Header(r, eventbus.HeaderDLQReason)
		src, _ := eventbus.Header(r, eventbus.HeaderDLQTopic)
		msg, _ := eventbus.Header(r, eventbus.HeaderDLQError)
		if reason != "unmarshal" || src != in || msg == "" {
			t.Errorf("dead letter headers: reason %q source %q error %q", reason, src, msg)
		}
		if string(r.Key) != "junk" {
			t.Errorf("dead letter key %q, want the original", r.Key)
		}
	}
}

// checkTransactorMetrics: every input counted once under its topic, the
// garbage as dead letters with their reason, and each good input's reading
// aged from its receive time to a commit between started and stopped.
func checkTransactorMetrics(t *testing.T, tel *telemetry.Telemetry, good, bad int, started, stopped time.Time) {
	t.Helper()
	m := pipelinemetricstest.Scrape(t, tel.Metrics)
	if m.In[topic.Advertisements] != float64(good+bad) || len(m.In) != 1 {
		t.Errorf("records_in %v, want %d from %s", m.In, good+bad, topic.Advertisements)
	}
	dl := pipelinemetricstest.DeadLetter{Topic: topic.Advertisements, Reason: "unmarshal"}
	if m.DLQ[dl] != float64(bad) || len(m.DLQ) != 1 {
		t.Errorf("records_dlq %v, want %d of %+v", m.DLQ, bad, dl)
	}
	receivedAt := advertisement("", 0).GetReceivedAt().AsTime()
	lo, hi := float64(good)*started.Sub(receivedAt).Seconds(), float64(good)*stopped.Sub(receivedAt).Seconds()
	if m.Latency.Count != float64(good) || m.Latency.Sum < lo || m.Latency.Sum > hi {
		t.Errorf("latency count %v sum %v s, want %d readings summing to %v..%v s", m.Latency.Count, m.Latency.Sum, good, lo, hi)
	}
}

func TestConfigValidateNamesTheSetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  eventbus.Config
		want string
	}{
		{name: "no_brokers", cfg: eventbus.Config{}, want: "--kafka-brokers (BLUESTREAM_KAFKA_BROKERS): need at least one broker"},
		{name: "no_port", cfg: eventbus.Config{Brokers: []string{"kafka"}}, want: `--kafka-brokers (BLUESTREAM_KAFKA_BROKERS): broker "kafka" lacks a port`},
		{name: "bad_sasl", cfg: eventbus.Config{Brokers: []string{"k:9092"}, SASLMechanism: "GSSAPI"}, want: "--kafka-sasl-mechanism"},
		{name: "prefixed", cfg: eventbus.Config{Prefix: "target-"}, want: "--target-kafka-brokers (BLUESTREAM_TARGET_KAFKA_BROKERS)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
	redacted := eventbus.Config{SASLPassword: "s3cret"}.Redacted()
	if redacted.SASLPassword == "s3cret" {
		t.Error("Redacted kept the password")
	}
}

func TestRetryMarkSurvivesWrapping(t *testing.T) {
	t.Parallel()
	cause := errors.New("plugin host restarting")
	if !eventbus.IsRetry(fmt.Errorf("decoding: %w", eventbus.Retry(cause))) {
		t.Error("a wrapped Retry error is not recognised")
	}
	if eventbus.IsRetry(cause) {
		t.Error("a plain error counts as retryable")
	}
	if !errors.Is(eventbus.Retry(cause), cause) {
		t.Error("Retry hides its cause")
	}
}

func TestDeadLetteredReadsTheDLQHeaders(t *testing.T) {
	t.Parallel()
	in := &kgo.Record{Topic: topic.Readings, Value: []byte("x")}
	dl := eventbus.DLQRecord(in, &eventbus.DecodeError{Reason: "invalid", Err: errors.New("bad")}, time.Now())
	if src, reason, ok := eventbus.DeadLettered(dl); !ok || src != topic.Readings || reason != "invalid" {
		t.Errorf("DeadLettered(dead letter) = %q, %q, %v; want %s, invalid, true", src, reason, ok, topic.Readings)
	}
	if _, _, ok := eventbus.DeadLettered(in); ok {
		t.Error("DeadLettered says an ordinary record is a dead letter")
	}
	if r := eventbus.DLQReason(errors.New("boom")); r != "processing" {
		t.Errorf("DLQReason of a plain error = %q, want processing", r)
	}
}
