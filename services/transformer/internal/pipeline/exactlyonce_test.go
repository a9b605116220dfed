package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/pipelinemetrics/pipelinemetricstest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

const partitions = 3

func quietTelemetry(t *testing.T) *telemetry.Telemetry {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "transformer-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(&strings.Builder{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return tel
}

// TestKilledBetweenConsumeAndCommitDecodesEachInputOnce runs the stage in
// Kafka transactions, kills the first instance in the middle of a batch after
// part of its output reached the broker, and restarts it under the same
// transactional id and group. A read_committed reader must then see every
// valid input decoded exactly once and every garbage input dead-lettered
// exactly once, although the log holds the killed instance's partial output.
func TestKilledBetweenConsumeAndCommitDecodesEachInputOnce(t *testing.T) {
	t.Parallel()
	const valid, garbage, killAt = 40, 6, 15
	tel := quietTelemetry(t)
	in := topic.Advertisements
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(partitions, in, topic.Readings, topic.DLQ(in)))
	pub, err := eventbus.NewClient(cluster.Config(), tel, "//test/ble-ingest", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)
	for i := range valid {
		adv := advertisement(t, bthomeExample, "")
		adv.BatchSequence = uint64(i)
		if i%4 == 0 { // partly decodable: a cut structure after the readings
			adv.Advertisement.Payload = append(adv.Advertisement.Payload, 0x09, 0xff)
		}
		ev := eventbus.Event{Topic: in, Key: fmt.Sprintf("dev-%d", i%7), Msg: adv, ID: fmt.Sprintf("adv-%d", i)}
		if err := pub.Publish(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
		if i%(valid/garbage) == 0 && i/(valid/garbage) < garbage {
			junk := &kgo.Record{Topic: in, Key: []byte(fmt.Sprintf("junk-%d", i)), Value: []byte("\xff\xffnot protobuf"),
				Headers: []kgo.RecordHeader{{Key: eventbus.HeaderType, Value: []byte(eventbus.TypeOf(adv))}}}
			if err := pub.ProduceSync(t.Context(), junk).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
	}

	started := time.Now()
	cfg := eventbus.TransactConfig{Kafka: cluster.Config(), Group: "transformer", TransactionalID: "transformer-0", Topics: []string{in}, Source: "//bluestream/transformer"}
	newTx := func() *eventbus.Transactor {
		tx, err := eventbus.NewTransactor(cfg, tel, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(200*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		return tx
	}

	// First instance: dies at its killAt-th record, after flushing what it
	// produced so far, so the broker holds output of a transaction that will
	// never commit.
	tx1 := newTx()
	stage1 := &pipeline.Stage{Decoder: &pipeline.Decoder{}, Encoder: tx1.Encoder, Output: topic.Readings}
	var seen atomic.Int32
	err = tx1.Run(t.Context(), func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
		if seen.Add(1) == killAt {
			if err := tx1.Client().Flush(ctx); err != nil {
				t.Errorf("flushing before the kill: %v", err)
			}
			tx1.Close()
			return nil, eventbus.Retry(errors.New("killed"))
		}
		return stage1.Transform(ctx, r)
	})
	if err == nil {
		t.Fatal("killed instance's Run returned nil; it must fail, not commit")
	}
	t.Logf("killed instance stopped: %v", err)

	// Second instance, same transactional id and group: fences the first,
	// aborts its open transaction, and resumes from the committed offsets.
	tx2 := newTx()
	stage2 := &pipeline.Stage{Decoder: &pipeline.Decoder{}, Encoder: tx2.Encoder, Output: topic.Readings}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- tx2.Run(ctx, stage2.Transform) }()
	waitForCommitted(t, cluster.Config(), tel, valid, topic.Readings)
	waitForCommitted(t, cluster.Config(), tel, garbage, topic.DLQ(in))
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("restarted instance: %v", err)
	}
	tx2.Close()
	checkCountedOnce(t, tel, valid, garbage, started, time.Now())

	readings := readToEnd(t, cluster.Config(), tel, kgo.ReadCommitted(), topic.Readings)
	dlq := readToEnd(t, cluster.Config(), tel, kgo.ReadCommitted(), topic.DLQ(in))
	everything := readToEnd(t, cluster.Config(), tel, kgo.ReadUncommitted(), topic.Readings)

	perInput := map[uint64]int{}
	partial := 0
	for _, r := range readings {
		var reading blev1.ReadingDecoded
		if err := eventbus.Decode(r, &reading); err != nil {
			t.Fatalf("reading does not decode: %v", err)
		}
		perInput[reading.GetReceived().GetBatchSequence()]++
		if len(reading.GetDecoded().GetProblems()) > 0 && len(reading.GetDecoded().GetMeasurements()) == 2 {
			partial++
		}
	}
	for i := range uint64(valid) {
		if perInput[i] != 1 {
			t.Errorf("input %d decoded %d times, want exactly once", i, perInput[i])
		}
	}
	if len(readings) != valid || len(dlq) != garbage {
		t.Errorf("read_committed: %d readings and %d dead letters, want %d and %d", len(readings), len(dlq), valid, garbage)
	}
	if partial != valid/4 {
		t.Errorf("%d partly decoded readings with their problems, want %d", partial, valid/4)
	}
	for _, r := range dlq {
		if reason, _ := eventbus.Header(r, eventbus.HeaderDLQReason); reason != "unmarshal" || !strings.HasPrefix(string(r.Key), "junk-") {
			t.Errorf("dead letter key %q reason %q", r.Key, reason)
		}
	}
	// The kill is only a test if it left uncommitted output on the log.
	if len(everything) <= valid {
		t.Errorf("read_uncommitted sees %d readings; the killed transaction left none behind, so the test proved nothing", len(everything))
	}
	t.Logf("inputs %d valid + %d garbage; killed after %d records; log holds %d readings, read_committed sees %d readings and %d dead letters",
		valid, garbage, killAt, len(everything), len(readings), len(dlq))
}

// checkCountedOnce: the pipeline metrics count every input once although the
// killed instance had consumed some of them in a transaction that never
// committed, the garbage as dead letters with its reason, and each valid
// input's reading once, aged from its receive time to a commit between
// started and stopped.
func checkCountedOnce(t *testing.T, tel *telemetry.Telemetry, valid, garbage int, started, stopped time.Time) {
	t.Helper()
	m := pipelinemetricstest.Scrape(t, tel.Metrics)
	in := topic.Advertisements
	if m.In[in] != float64(valid+garbage) || len(m.In) != 1 {
		t.Errorf("records_in %v, want %d from %s", m.In, valid+garbage, in)
	}
	dl := pipelinemetricstest.DeadLetter{Topic: in, Reason: "unmarshal"}
	if m.DLQ[dl] != float64(garbage) || len(m.DLQ) != 1 {
		t.Errorf("records_dlq %v, want %d of %+v", m.DLQ, garbage, dl)
	}
	lo, hi := float64(valid)*started.Sub(receivedAt).Seconds(), float64(valid)*stopped.Sub(receivedAt).Seconds()
	if m.Latency.Count != float64(valid) || m.Latency.Sum < lo || m.Latency.Sum > hi {
		t.Errorf("latency count %v sum %v s, want %d readings summing to %v..%v s", m.Latency.Count, m.Latency.Sum, valid, lo, hi)
	}
}

// waitForCommitted polls a read_committed reader until n records are visible.
func waitForCommitted(t *testing.T, cfg eventbus.Config, tel *telemetry.Telemetry, n int, topicName string) {
	t.Helper()
	cl, err := eventbus.NewClient(cfg, tel, "//test", "", kgo.ConsumeTopics(topicName),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for got := 0; got < n; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: %d of %d committed records before the deadline", topicName, got, n)
		}
		if err := eventbus.FetchErrors(fs); err != nil {
			t.Fatal(err)
		}
		got += fs.NumRecords()
	}
}

// readToEnd reads a topic completely: it first appends a marker record to
// every partition (after all writers stopped), then consumes until each
// partition's marker, so records hidden or duplicated anywhere are counted.
func readToEnd(t *testing.T, cfg eventbus.Config, tel *telemetry.Telemetry, iso kgo.IsolationLevel, topicName string) []*kgo.Record {
	t.Helper()
	const marker = "end-of-test-marker"
	cl, err := eventbus.NewClient(cfg, tel, "//test", "", kgo.ConsumeTopics(topicName),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(iso),
		kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for p := range int32(partitions) {
		if err := cl.ProduceSync(t.Context(), &kgo.Record{Topic: topicName, Partition: p, Key: []byte(marker)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var got []*kgo.Record
	for markers := 0; markers < partitions; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: saw %d of %d end markers before the deadline", topicName, markers, partitions)
		}
		if err := eventbus.FetchErrors(fs); err != nil {
			t.Fatal(err)
		}
		for _, r := range fs.Records() {
			if string(r.Key) == marker {
				markers++
				continue
			}
			got = append(got, r)
		}
	}
	return got
}
