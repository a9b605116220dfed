package e2e_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/h2c"
	"github.com/bluestream/bluestream/stack/registration"
)

// BenchmarkPipeline drives ble-ingest over RPC at increasing rates and measures
// what reaches the analyzer: sustained advertisements a second end to end, and
// p50/p99 latency from ingest (the advertisement's receive time) to the
// analyzer's committed projection. The analyzer itself observes that latency
// for every reading it commits (the histogram on its /metrics), so the figures
// are what an SRE sees in production, not what a test client next to the
// broker sees. It first measures the same embedded broker's raw
// produce-consume throughput, and reports each rate's cost as the ratio of the
// two. Run with a fixed count per rate: go test -run '^$' -bench Pipeline
// -benchtime 5000x.
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

// freshnessMetric is the analyzer's histogram of each committed reading's
// age since its advertisement was received (OpenTelemetry name
// bluestream.pipeline.end_to_end_latency, the one the canary analysis reads).
const freshnessMetric = "bluestream_pipeline_end_to_end_latency_seconds"

// scrapeInterval bounds how late the benchmark notices the last reading
// committed, which counts in the measured time: a few percent of a run of a
// second or more. A scrape costs the analyzer about a millisecond of CPU, so
// polling takes a few percent of a core from the stack it measures.
const scrapeInterval = 25 * time.Millisecond

type result struct {
	perSecond float64
	p50, p99  time.Duration
}

// drive sends n advertisements at rate a second (0: as fast as ble-ingest
// takes them) and waits until the analyzer has committed all of them.
// Every advertisement comes from a device never seen before, so each yields
// one reading and the analyzer's histogram grows by exactly n.
func drive(b *testing.B, s *stack.Stack, rate, n int, next *atomic.Uint64) result {
	const batch = 100
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	metrics := s.URLs["analyzer"] + "/metrics"
	hc := h2c.Client()
	before := scrapeHistogram(ctx, b, hc, metrics, freshnessMetric)
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

	poll := time.NewTicker(scrapeInterval)
	defer poll.Stop()
	var arrived histogram
	for {
		arrived = scrapeHistogram(ctx, b, hc, metrics, freshnessMetric).minus(before)
		if arrived.count >= float64(n) {
			break
		}
		select {
		case err := <-sendErr:
			if err != nil {
				b.Fatalf("ingest: %v", err)
			}
			sendErr = nil // all sent; a nil channel is never ready again
		case <-poll.C:
		case <-ctx.Done():
			b.Fatalf("%v of %d advertisements reached the analyzer's projection", arrived.count, n)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	return result{
		perSecond: float64(n) / elapsed.Seconds(),
		p50:       arrived.quantile(0.50),
		p99:       arrived.quantile(0.99),
	}
}

// histogram is a Prometheus histogram as scraped: cumulative counts by
// upper bound, +Inf included.
type histogram struct {
	count   float64
	buckets map[float64]float64
}

// scrapeHistogram reads a histogram from a /metrics endpoint, summing its
// series as the canary analysis's sum by (le) does; before the first
// observation it is absent and reads as empty.
func scrapeHistogram(ctx context.Context, b *testing.B, hc *http.Client, url, name string) histogram {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatalf("scraping %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("scraping %s: %s", url, resp.Status)
	}
	h := histogram{buckets: map[float64]float64{}}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		series, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || !strings.HasPrefix(series, name+"_") {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			b.Fatalf("%s: %v", sc.Text(), err)
		}
		metric, labels, _ := strings.Cut(series, "{")
		switch metric {
		case name + "_count":
			h.count += v
		case name + "_bucket":
			_, le, _ := strings.Cut(labels, `le="`)
			le, _, _ = strings.Cut(le, `"`)
			bound, err := strconv.ParseFloat(le, 64) // "+Inf" parses too
			if err != nil {
				b.Fatalf("%s: le: %v", sc.Text(), err)
			}
			h.buckets[bound] += v
		}
	}
	if err := sc.Err(); err != nil {
		b.Fatalf("scraping %s: %v", url, err)
	}
	return h
}

// minus is what was observed between an earlier scrape and this one.
func (h histogram) minus(earlier histogram) histogram {
	d := histogram{count: h.count - earlier.count, buckets: make(map[float64]float64, len(h.buckets))}
	for le, c := range h.buckets {
		d.buckets[le] = c - earlier.buckets[le]
	}
	return d
}

// quantile estimates the q-quantile as Prometheus's histogram_quantile does:
// it finds the bucket holding the rank and interpolates linearly within it.
// The figures are bucket estimates, not exact order statistics: at the
// analyzer's bucket spacing they can be off by up to a bucket's width, about
// 9%. A rank beyond the last finite bound reads as that bound.
func (h histogram) quantile(q float64) time.Duration {
	bounds := slices.Sorted(maps.Keys(h.buckets))
	rank := q * h.count
	lower, below := 0.0, 0.0
	for _, le := range bounds {
		if math.IsInf(le, 1) {
			break
		}
		c := h.buckets[le]
		if c >= rank && c > below {
			return time.Duration((lower + (le-lower)*(rank-below)/(c-below)) * float64(time.Second))
		}
		lower, below = le, c
	}
	return time.Duration(lower * float64(time.Second))
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
