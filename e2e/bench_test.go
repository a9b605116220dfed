package e2e_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/registration"
)

// BenchmarkPipeline drives ble-ingest over RPC at increasing rates and measures
// what arrives enriched on the mirror cluster: sustained advertisements a second
// end to end and the latency from ingest to the mirrored enriched topic. It
// first measures the same embedded broker's raw produce-consume throughput, and
// reports each rate's cost as the ratio of the two. Run with a fixed count per
// rate: go test -run '^$' -bench Pipeline -benchtime 5000x.
func BenchmarkPipeline(b *testing.B) {
	ctx := b.Context()
	s, err := stack.Start(ctx, stack.Config{
		Clusters: stack.ClusterConfig{DataDir: b.TempDir()},
		Root:     repoRoot, Binaries: binaries, Log: sharedLog,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := s.Close(); err != nil {
			b.Error(err)
		}
	})
	var raw float64
	b.Run("raw_broker", func(b *testing.B) {
		raw = rawThroughput(b, s.Clusters.Primary.ListenAddrs())
		b.ReportMetric(raw, "msgs/s")
	})
	var next atomic.Uint64 // device addresses never repeat across runs
	for _, rate := range []int{500, 2000, 8000, 0} {
		name := fmt.Sprintf("rate=%d", rate)
		if rate == 0 {
			name = "rate=max"
		}
		b.Run(name, func(b *testing.B) {
			got := drive(b, s, rate, b.N, &next)
			b.ReportMetric(got.perSecond, "ads/s")
			b.ReportMetric(got.p50.Seconds()*1000, "p50-ms")
			b.ReportMetric(got.p99.Seconds()*1000, "p99-ms")
			if raw > 0 {
				b.ReportMetric(raw/got.perSecond, "raw/pipeline")
			}
		})
	}
}

type result struct {
	perSecond float64
	p50, p99  time.Duration
}

// drive sends n advertisements at rate a second (0: as fast as ble-ingest
// takes them) and waits until all of them are on the mirror.
func drive(b *testing.B, s *stack.Stack, rate, n int, next *atomic.Uint64) result {
	const batch = 100
	mirrored := topic.Remote(stack.PrimaryAlias, topic.Enriched)
	cl, err := kgo.NewClient(kgo.SeedBrokers(s.Clusters.Mirror.ListenAddrs()...), kgo.ConsumeTopics(mirrored),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtEnd()))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	// Joining at the end: wait for the first (empty) fetch response so that
	// nothing sent from here on is skipped.
	if err := cl.Ping(b.Context()); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	ingest := ingestClient(s)

	b.ResetTimer()
	start := time.Now()
	sendErr := make(chan error, 1)
	go func() {
		var tick <-chan time.Time
		if rate > 0 {
			t := time.NewTicker(time.Duration(float64(time.Second) * batch / float64(rate)))
			defer t.Stop()
			tick = t.C
		}
		for sent, seq := 0, uint64(time.Now().UnixMicro()); sent < n; seq++ {
			k := min(batch, n-sent)
			ads := make([]*blev1.ScannedAdvertisement, k)
			now := time.Now()
			for i := range ads {
				addr := make([]byte, 8)
				binary.BigEndian.PutUint64(addr, next.Add(1))
				addr[2] |= 0xC0
				ads[i] = scanned(addr[2:], ruuviDF5, now)
			}
			gw := registration.Office[int(seq)%len(registration.Office)].ID
			if _, err := ingest.Ingest(ctx, connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{GatewayId: gw, Sequence: seq, Advertisements: ads}})); err != nil {
				sendErr <- err
				return
			}
			sent += k
			if tick != nil {
				<-tick
			}
		}
		sendErr <- nil
	}()

	latencies := make([]time.Duration, 0, n)
	for len(latencies) < n {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			b.Fatalf("%d of %d advertisements arrived enriched on the mirror", len(latencies), n)
		}
		arrived := time.Now()
		fetches.EachRecord(func(r *kgo.Record) {
			var e blev1.ReadingEnriched
			if eventbus.Decode(r, &e) != nil {
				return
			}
			for range e.GetReceivers() {
				latencies = append(latencies, arrived.Sub(e.GetReceivedAt().AsTime()))
			}
		})
		select {
		case err := <-sendErr:
			if err != nil {
				b.Fatalf("ingest: %v", err)
			}
		default:
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(latencies)
	return result{
		perSecond: float64(n) / elapsed.Seconds(),
		p50:       latencies[len(latencies)/2],
		p99:       latencies[len(latencies)*99/100],
	}
}

// rawThroughput produces b.N records the size of an AdvertisementReceived to a
// fresh topic on the broker and consumes them back, in records a second.
func rawThroughput(b *testing.B, brokers []string) float64 {
	ctx := b.Context()
	adm, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		b.Fatal(err)
	}
	defer adm.Close()
	name := fmt.Sprintf("bench.raw.%d", time.Now().UnixNano())
	if _, err := kadm.NewClient(adm).CreateTopic(ctx, 3, 1, nil, name); err != nil {
		b.Fatal(err)
	}
	prod, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(name))
	if err != nil {
		b.Fatal(err)
	}
	defer prod.Close()
	cons, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(name), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		b.Fatal(err)
	}
	defer cons.Close()
	value := make([]byte, 120)

	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var produceErr atomic.Value
	for i := range b.N {
		wg.Add(1)
		key := binary.BigEndian.AppendUint64(nil, uint64(i))
		prod.Produce(ctx, &kgo.Record{Key: key, Value: value}, func(_ *kgo.Record, err error) {
			if err != nil {
				produceErr.Store(err)
			}
			wg.Done()
		})
	}
	got := 0
	for got < b.N {
		fetches := cons.PollFetches(ctx)
		if ctx.Err() != nil {
			b.Fatalf("consumed %d of %d", got, b.N)
		}
		got += fetches.NumRecords()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err, ok := produceErr.Load().(error); ok {
		b.Fatal(err)
	}
	return float64(b.N) / elapsed.Seconds()
}
