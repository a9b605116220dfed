package consumer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

var (
	t0    = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	input = topic.Remote("azure", topic.Enriched)
)

// env is one embedded cluster holding the analyzer's topics.
type env struct {
	t       *testing.T
	cluster *kafkatest.Cluster
	tel     *telemetry.Telemetry
	prod    *eventbus.Client
	// ends is the next offset of every input partition after the records
	// produced so far: the analyzer is caught up when it has committed them.
	ends map[store.Partition]int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := kafkatest.New(t, "aws", kfake.SeedTopics(3, input, topic.DLQ(input), topic.Alerts))
	tel, err := telemetry.Setup(t.Context(), "analyzer-test", telemetry.WithoutGlobals())
	if err != nil {
		t.Fatal(err)
	}
	prod, err := eventbus.NewClient(c.Config(), tel, "//bluestream/enricher", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(prod.Close)
	return &env{t: t, cluster: c, tel: tel, prod: prod, ends: make(map[store.Partition]int64)}
}

// produce writes records in order and notes the end offsets.
func (e *env) produce(recs ...*kgo.Record) {
	e.t.Helper()
	res := e.prod.ProduceSync(e.t.Context(), recs...)
	if err := res.FirstErr(); err != nil {
		e.t.Fatal(err)
	}
	for _, r := range res {
		p := store.Partition{Topic: r.Record.Topic, Partition: r.Record.Partition}
		e.ends[p] = max(e.ends[p], r.Record.Offset+1)
	}
}

// event encodes msg for the input topic, keyed by device as the enricher does.
func (e *env) event(key string, msg proto.Message, at time.Time) *kgo.Record {
	e.t.Helper()
	r, err := e.prod.Encoder.Record(e.t.Context(), eventbus.Event{Topic: input, Key: key, Msg: msg, Time: at})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// analyzer is one process's worth of engine, store and consumer.
type analyzer struct {
	store    store.Store
	engine   *analyze.Engine
	consumer *Consumer
	done     chan error
	cancel   context.CancelFunc
}

// clock is a settable wall clock for ticks.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) set(t time.Time)  { c.ns.Store(t.UnixNano()) }
func (c *clock) now() time.Time   { return time.Unix(0, c.ns.Load()).UTC() }

// start runs an analyzer on the embedded store in dir.
func (e *env) start(dir string, now func() time.Time, crash func() error) *analyzer {
	e.t.Helper()
	return e.startOn(openBolt(e.t, dir), now, crash)
}

// startOn runs an analyzer on st; stop closes st.
func (e *env) startOn(st store.Store, now func() time.Time, crash func() error) *analyzer {
	e.t.Helper()
	eng, err := analyze.Open(e.t.Context(), st, analyze.Config{})
	if err != nil {
		e.t.Fatal(err)
	}
	cons, err := New(e.t.Context(), Config{MaxPollRecords: 40, IdleAfter: 50 * time.Millisecond, Now: now},
		e.cluster.Config(), e.tel, eng)
	if err != nil {
		e.t.Fatal(err)
	}
	cons.crashBeforeCommit = crash
	ctx, cancel := context.WithCancel(e.t.Context())
	a := &analyzer{store: st, engine: eng, consumer: cons, done: make(chan error, 1), cancel: cancel}
	go func() { a.done <- cons.Run(ctx) }()
	return a
}

// stop ends the analyzer as a graceful shutdown would and returns Run's error.
func (a *analyzer) stop() error {
	a.cancel()
	err := <-a.done
	a.consumer.Close()
	return errors.Join(err, a.store.Close())
}

// waitCommitted polls the store until it holds the env's end offsets.
func (e *env) waitCommitted(a *analyzer) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := a.store.Offsets(e.t.Context())
		if err != nil {
			e.t.Fatal(err)
		}
		if maps.Equal(got, e.ends) {
			return
		}
		select {
		case err := <-a.done:
			e.t.Fatalf("consumer stopped early: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("committed offsets %v, want %v", got, e.ends)
		}
	}
}

// dump is the engine's whole state as text, for comparing runs.
func dump(t *testing.T, e *analyze.Engine) string {
	t.Helper()
	var b bytes.Buffer
	err := e.Dump(func(key string, value []byte) error {
		fmt.Fprintf(&b, "%s=%s\n", key, value)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
