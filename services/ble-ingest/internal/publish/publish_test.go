package publish_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/publish"
)

func batch(gw string, seq uint64, n int) ingest.Batch {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := ingest.Batch{GatewayID: gw, Sequence: seq, ReceivedAt: at}
	for i := range n {
		b.Advertisements = append(b.Advertisements, advert.Advertisement{
			GatewayID: gw, ReceivedAt: at,
			Address: advert.Address{0xC0, 0, 0, 0, 0, byte(i)}, AddressType: advert.AddressRandom,
			RSSI: -60, PHY: advert.PHY1M, EventType: advert.EventAdvNonconnInd,
			Payload: []byte{0x02, 0x01, 0x06}, Source: advert.SourceGateway,
		})
	}
	return b
}

// TestAcknowledgedAdvertisementsCountAsRecordsIn: the advertisements of every
// batch Kafka acknowledged count as records in, without a topic label; a
// batch whose publish failed counts nothing, since its retry will count.
func TestAcknowledgedAdvertisementsCountAsRecordsIn(t *testing.T) {
	t.Parallel()
	tel, err := telemetry.Setup(t.Context(), "ble-ingest-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(2, topic.Advertisements))
	client, err := eventbus.NewClient(cluster.Config(), tel, "//bluestream/ble-ingest", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	metrics, err := pipelinemetrics.New(tel.MeterProvider)
	if err != nil {
		t.Fatal(err)
	}
	k := publish.Kafka{Client: client, Topic: topic.Advertisements, Metrics: metrics}

	if err := k.Publish(t.Context(), batch("gw-1", 1, 3)); err != nil {
		t.Fatal(err)
	}
	if err := k.Publish(t.Context(), batch("gw-2", 1, 2)); err != nil {
		t.Fatal(err)
	}
	gone, cancel := context.WithCancel(t.Context())
	cancel()
	if err := k.Publish(gone, batch("gw-3", 1, 4)); err == nil {
		t.Fatal("publishing with a cancelled context succeeded; the test needs a failed publish")
	}

	m := pipelinemetricstest.Scrape(t, tel.Metrics)
	if m.In[""] != 5 || len(m.In) != 1 {
		t.Errorf("records_in %v, want the 5 acknowledged advertisements without a topic label", m.In)
	}
	if m.TotalDLQ() != 0 || m.Latency.Count != 0 {
		t.Errorf("records_dlq %v, latency count %v: ingest dead-letters nothing and observes no latency", m.DLQ, m.Latency.Count)
	}
}
