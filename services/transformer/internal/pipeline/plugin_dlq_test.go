package pipeline_test

import (
	"context"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin/plugintest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintest.Cleanup()
	os.Exit(code)
}

// TestRunawayPluginsSendTheRecordToTheDLQWithTheReason runs the stage in
// transactions with a working, a looping and an allocating plugin: the stream
// keeps going, the runaway plugins' records are dead-lettered with the limit
// they hit, and the others are published with the plugin's measurements.
func TestRunawayPluginsSendTheRecordToTheDLQWithTheReason(t *testing.T) {
	t.Parallel()
	tel := quietTelemetry(t)
	in := topic.Advertisements
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(partitions, in, topic.Readings, topic.DLQ(in)))
	reg, err := plugin.Open(t.Context(), plugintest.Dir(t, "example", "loop", "hog"), plugin.Limits{CallTimeout: 5 * time.Second, MemoryPages: 384})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reg.Close(context.Background()) })

	pub, err := eventbus.NewClient(cluster.Config(), tel, "//test/ble-ingest", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)
	inputs := []struct{ key, payload string }{
		{"demo", "02010609ffffff01290937f40b"}, // example plugin: 23.45 Cel
		{"loop", "02010604fffeff00"},           // selects the looping plugin
		{"hog", "0201060416fdff00"},            // selects the allocating plugin
		{"plain", bthomeExample},               // built-in decoder only
	}
	for i, in := range inputs {
		adv := advertisement(t, in.payload, "")
		adv.BatchSequence = uint64(i)
		if err := pub.Publish(t.Context(), eventbus.Event{Topic: topic.Advertisements, Key: in.key, Msg: adv}); err != nil {
			t.Fatal(err)
		}
	}

	tx, err := eventbus.NewTransactor(eventbus.TransactConfig{Kafka: cluster.Config(), Group: "transformer", TransactionalID: "transformer-plugins",
		Topics: []string{in}, Source: "//bluestream/transformer"}, tel, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	stage := &pipeline.Stage{Decoder: &pipeline.Decoder{Plugins: reg}, Encoder: tx.Encoder, Output: topic.Readings}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- tx.Run(ctx, stage.Transform) }()
	waitForCommitted(t, cluster.Config(), tel, 2, topic.Readings)
	waitForCommitted(t, cluster.Config(), tel, 2, topic.DLQ(in))
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("transactor: %v", err)
	}
	tx.Close()

	dlq := readToEnd(t, cluster.Config(), tel, kgo.ReadCommitted(), topic.DLQ(in))
	reasons := map[string]string{}
	for _, r := range dlq {
		reasons[string(r.Key)], _ = eventbus.Header(r, eventbus.HeaderDLQReason)
	}
	if len(dlq) != 2 || reasons["loop"] != plugin.ReasonTimeout || reasons["hog"] != plugin.ReasonMemory {
		t.Errorf("dead letters by key: %v, want loop: %s and hog: %s", reasons, plugin.ReasonTimeout, plugin.ReasonMemory)
	}
	// The canary's DLQ ratio sees the same reasons the headers carry.
	counted := pipelinemetricstest.Scrape(t, tel.Metrics).DLQ
	for _, reason := range []string{plugin.ReasonTimeout, plugin.ReasonMemory} {
		if n := counted[pipelinemetricstest.DeadLetter{Topic: in, Reason: reason}]; n != 1 {
			t.Errorf("records_dlq{reason=%q} = %v, want 1 (all: %v)", reason, n, counted)
		}
	}
	readings := readToEnd(t, cluster.Config(), tel, kgo.ReadCommitted(), topic.Readings)
	if len(readings) != 2 {
		t.Fatalf("%d readings, want 2", len(readings))
	}
	for _, r := range readings {
		var reading blev1.ReadingDecoded
		if err := eventbus.Decode(r, &reading); err != nil {
			t.Fatal(err)
		}
		if string(r.Key) == "demo" {
			m := reading.GetDecoded().GetMeasurements()
			if len(m) != 3 || m[0].GetFormat() != "example-demo-sensor" || m[0].GetValue() != 23.45 {
				t.Errorf("demo reading measurements %v (payload %s)", m, hex.EncodeToString(reading.GetReceived().GetAdvertisement().GetPayload()))
			}
		}
	}
}
