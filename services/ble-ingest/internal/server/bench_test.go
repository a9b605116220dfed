package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/publish"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/server"
)

// BenchmarkIngestStream streams 1000-advertisement batches through the Connect
// client into the embedded cluster ("adv/s"), then, in the same run, produces
// the very records those batches become straight through franz-go
// ("raw_adv/s"): the ratio is what ingest (RPC, validation, mapping, retry
// bookkeeping) costs over bare producing.
func BenchmarkIngestStream(b *testing.B) {
	h := newHarness(b, ingest.Config{})
	const perBatch = ingest.MaxBatch
	batches := make([]*ingestv1.Batch, b.N)
	for i := range batches {
		batches[i] = batch("gw-bench", uint64(i+1), perBatch, i%200)
	}
	b.ResetTimer()
	startIngest := time.Now()
	stream := h.connectClient().IngestStream(context.Background())
	for _, bt := range batches {
		if err := stream.Send(&ingestv1.IngestStreamRequest{Batch: bt}); err != nil {
			b.Fatal(err)
		}
	}
	res, err := stream.CloseAndReceive()
	if err != nil {
		b.Fatal(err)
	}
	ingestTook := time.Since(startIngest)
	b.StopTimer()
	if res.Msg.GetAdvertisements() != uint64(b.N*perBatch) {
		b.Fatalf("accepted %d, want %d", res.Msg.GetAdvertisements(), b.N*perBatch)
	}

	// The same events as records, encoded before timing: the raw path pays
	// only for producing them.
	client, err := eventbus.NewClient(h.cluster.Config(), h.tel, "//bench", "")
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	var recs []*kgo.Record
	for _, bt := range batches {
		ib, err := fromProtoForBench(bt)
		if err != nil {
			b.Fatal(err)
		}
		evs, err := publish.Events(topic.Advertisements, ib)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range evs {
			r, err := client.Encoder.Record(context.Background(), e)
			if err != nil {
				b.Fatal(err)
			}
			recs = append(recs, r)
		}
	}
	startRaw := time.Now()
	for i := 0; i < len(recs); i += perBatch {
		if err := client.ProduceSync(context.Background(), recs[i:min(i+perBatch, len(recs))]...).FirstErr(); err != nil {
			b.Fatal(err)
		}
	}
	rawTook := time.Since(startRaw)
	n := float64(b.N * perBatch)
	b.ReportMetric(n/ingestTook.Seconds(), "adv/s")
	b.ReportMetric(n/rawTook.Seconds(), "raw_adv/s")
}

func fromProtoForBench(bt *ingestv1.Batch) (ingest.Batch, error) {
	return server.BatchFromProto(bt, receivedAt)
}
