//go:build kafka

package testkafka

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mirror"
	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// The built-in mirror's flow uses its own alias and topic so it cannot be
// mistaken for MirrorMaker 2's azure->aws flow on the same clusters.
const (
	edgeAlias      = "edge"
	edgeTopic      = "fleet.enriched.v1"
	edgePartitions = 3
	childEnv       = "BLUESTREAM_TESTKAFKA_CHILD"
)

// TestMain lets the test binary double as the built-in mirror process, so
// the test can SIGKILL a real process mid-transaction.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "mirror" {
		os.Exit(runMirrorChild())
	}
	os.Exit(m.Run())
}

func runMirrorChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	m, err := mirror.New(mirror.Config{
		SourceAlias: edgeAlias, TargetAlias: "aws",
		SourceBrokers: strings.Split(os.Getenv("BLUESTREAM_TEST_AZURE_BROKERS"), ","),
		TargetBrokers: strings.Split(os.Getenv("BLUESTREAM_TEST_AWS_BROKERS"), ","),
		Topics:        []string{edgeTopic},
		// Small transactions, so a kill lands between and inside many.
		MaxBatchRecords:   50,
		HeartbeatInterval: 200 * time.Millisecond,
	})
	if err == nil {
		err = m.Run(ctx)
	}
	fmt.Fprintln(os.Stderr, "mirror child:", err)
	return 1
}

// TestBuiltInMirrorKilledMidStreamDeliversEachRecordOnceInOrder kills the
// built-in mirror process twice while it copies a backlog, with the stream
// going on in between, and reads the target with read_committed: every
// record arrives once, in source order per partition.
func TestBuiltInMirrorKilledMidStreamDeliversEachRecordOnceInOrder(t *testing.T) {
	c := env(t)
	t.Setenv(childEnv, "mirror") // inherited by the children only; this process checked it in TestMain
	createTopic(t, c.azure, edgePartitions, edgeTopic)
	remote := mm2.RemoteTopic(edgeAlias, edgeTopic)
	prod := client(t, c.azure, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	awsAdm := kadm.NewClient(client(t, c.aws))
	const perRound = 400
	next := 0
	produceRound := func() {
		var recs []*kgo.Record
		for i := next; i < next+perRound; i++ {
			for p := range int32(edgePartitions) {
				recs = append(recs, &kgo.Record{Topic: edgeTopic, Partition: p, Key: fmt.Appendf(nil, "device-%d", p),
					Value: []byte(strconv.Itoa(i)), Headers: []kgo.RecordHeader{{Key: "ce_id", Value: fmt.Appendf(nil, "%d-%d", p, i)}}})
			}
		}
		if err := prod.ProduceSync(t.Context(), recs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
		next += perRound
	}
	// copied is the remote topic's last stable offset summed over partitions:
	// data and transaction markers of committed transactions.
	copied := func() int64 {
		ends, err := awsAdm.ListCommittedOffsets(withTimeout(t, 5*time.Second), remote)
		if err != nil || ends.Error() != nil {
			return 0
		}
		var n int64
		ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
		return n
	}

	for life := 1; life <= 2; life++ {
		produceRound()
		before := copied()
		child := startExe(t)
		eventually(t, 60*time.Second, 20*time.Millisecond, fmt.Sprintf("mirror life %d copies something", life), func() bool {
			if child.exited() {
				t.Fatalf("mirror life %d exited by itself; see builtin-mirror.log", life)
			}
			return copied() > before+50
		})
		child.kill(t)
		t.Logf("life %d killed with %d offsets committed on %s", life, copied(), remote)
	}
	produceRound()
	startExe(t)

	want := next * edgePartitions
	got := readCommitted(t, c.aws, remote, want)
	byPartition := map[int32][]string{}
	for _, r := range got {
		byPartition[r.Partition] = append(byPartition[r.Partition], string(r.Value))
		if h := r.Headers; len(h) != 1 || string(h[0].Value) != fmt.Sprintf("%d-%s", r.Partition, r.Value) {
			t.Fatalf("record %s/%d@%d lost its header: %v", remote, r.Partition, r.Offset, h)
		}
	}
	for p := range int32(edgePartitions) {
		seq := byPartition[p]
		if len(seq) != next {
			t.Errorf("partition %d: %d records, want %d", p, len(seq), next)
		}
		for i, v := range seq {
			if v != strconv.Itoa(i) {
				t.Fatalf("partition %d: record %d is %s, want %d (lost, duplicated or reordered)", p, i, v, i)
			}
		}
	}
	t.Logf("%d records over %d partitions, each once and in order, after two kills", len(got), edgePartitions)
}

func startExe(t *testing.T) *process {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return start(t, "builtin-mirror.log", exe)
}

// readCommitted reads want records from topic with read_committed. A
// duplicate or a loss shows as a break in a partition's numbering.
func readCommitted(t *testing.T, brokers []string, topic string, want int) []*kgo.Record {
	t.Helper()
	cl := client(t, brokers, kgo.ConsumeTopics(topic), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	ctx := withTimeout(t, 90*time.Second)
	var got []*kgo.Record
	for len(got) < want {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records from %s before the deadline", len(got), want, topic)
		}
		fetches.EachRecord(func(r *kgo.Record) { got = append(got, r) })
	}
	return got
}
