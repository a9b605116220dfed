package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless/azfunc"
	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless/batchtest"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/consumer"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

// TestSameStateAndAlertsOnEveryTarget feeds one recorded batch to the
// service's consumer path, to the built Lambda bootstrap and to the Azure
// custom handler, and requires the same projection (engine dump) and the
// same alert records: key, value bytes, timestamp and CloudEvents headers.
// Only traceparent may differ, since each target's span has its own id.
func TestSameStateAndAlertsOnEveryTarget(t *testing.T) {
	t.Parallel()
	in := batchtest.Enriched(t, 0)

	k8sState, k8sAlerts := consumerPath(t, in)
	if len(k8sAlerts) == 0 {
		t.Fatal("the consumer path raised no alerts: the comparison would prove little")
	}

	lambdaDSN := pg.Database(t)
	_, lambdaBrokers := batchtest.Cluster(t)
	api := startBootstrap(t, lambdaBrokers, lambdaDSN)
	if resp := api.Invoke(t, serverlesstest.LambdaEvent(t, in)).Response(t); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("lambda: batchItemFailures %+v", resp.BatchItemFailures)
	}
	lambdaState, _ := batchtest.State(t, lambdaDSN, defaults.Engine())
	lambdaAlerts := serverlesstest.Read(t, lambdaBrokers, topic.Alerts, len(k8sAlerts))

	azureDSN := pg.Database(t)
	_, azureBrokers := batchtest.Cluster(t)
	postAzure(t, azureBrokers, azureDSN, serverlesstest.AzureInvocation(t, "analyze", "events", in))
	azureState, _ := batchtest.State(t, azureDSN, defaults.Engine())
	azureAlerts := serverlesstest.Read(t, azureBrokers, topic.Alerts, len(k8sAlerts))

	if lambdaState != k8sState {
		t.Errorf("lambda projection differs from the consumer path's:\n got %s\nwant %s", lambdaState, k8sState)
	}
	if azureState != k8sState {
		t.Errorf("azure projection differs from the consumer path's:\n got %s\nwant %s", azureState, k8sState)
	}
	want := strings.Join(serverlesstest.Fingerprints(k8sAlerts), "\n")
	if got := strings.Join(serverlesstest.Fingerprints(lambdaAlerts), "\n"); got != want {
		t.Errorf("lambda alerts differ:\n got %s\nwant %s", got, want)
	}
	if got := strings.Join(serverlesstest.Fingerprints(azureAlerts), "\n"); got != want {
		t.Errorf("azure alerts differ:\n got %s\nwant %s", got, want)
	}
	for _, n := range []int64{serverlesstest.Count(t, lambdaBrokers, topic.Alerts), serverlesstest.Count(t, azureBrokers, topic.Alerts)} {
		if n != int64(len(k8sAlerts)) {
			t.Errorf("a target published %d alerts, the consumer path %d", n, len(k8sAlerts))
		}
	}
}

// consumerPath runs the service's consumer (internal/consumer, as
// cmd/analyzer runs it) over recs produced to an embedded cluster, until it
// has committed them all, and returns the engine's dump and the alerts.
func consumerPath(t *testing.T, recs []*kgo.Record) (string, []*kgo.Record) {
	t.Helper()
	cluster, brokers := batchtest.Cluster(t)
	kafka := eventbus.Config{Brokers: cluster.ListenAddrs()}
	prod, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	for _, r := range recs {
		out := &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value, Headers: r.Headers, Timestamp: r.Timestamp}
		if err := prod.ProduceSync(t.Context(), out).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	tel, err := telemetry.Setup(t.Context(), "analyzer-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	st := &notifyStore{Store: memstore.New(), commits: make(chan map[store.Partition]int64), done: make(chan struct{})}
	eng, err := analyze.Open(t.Context(), st, defaults.Engine())
	if err != nil {
		t.Fatal(err)
	}
	// The wall clock stands at the batch's start: idle ticks change nothing,
	// and the consumer path sees records only, as the functions do.
	cons, err := consumer.New(t.Context(), consumer.Config{Now: func() time.Time { return batchtest.T0 }}, kafka, tel, eng)
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- cons.Run(ctx) }()
	end := store.Partition{Topic: batchtest.Input}
	timeout := time.After(time.Minute)
	for caughtUp := false; !caughtUp; {
		select {
		case offsets := <-st.commits:
			caughtUp = offsets[end] == int64(len(recs))
		case err := <-done:
			t.Fatalf("consumer stopped early: %v", err)
		case <-timeout:
			t.Fatal("the consumer did not commit the batch within a minute")
		}
	}
	close(st.done)
	cancel()
	<-done
	return batchtest.Dump(t, eng), serverlesstest.Read(t, brokers, topic.Alerts, int(serverlesstest.Count(t, brokers, topic.Alerts)))
}

// notifyStore reports the offsets after every commit, so the test waits for
// the consumer's commit rather than polling for it.
type notifyStore struct {
	store.Store
	commits chan map[store.Partition]int64
	done    chan struct{}
}

func (s *notifyStore) Commit(ctx context.Context, b store.Batch) error {
	if err := s.Store.Commit(ctx, b); err != nil {
		return err
	}
	offsets, err := s.Store.Offsets(ctx)
	if err != nil {
		return err
	}
	select {
	case s.commits <- offsets:
	case <-s.done:
	}
	return nil
}

func postAzure(t *testing.T, brokers, dsn string, body []byte) {
	t.Helper()
	cfg := defaults
	cfg.Kafka.Brokers, cfg.StoreDSN = strings.Split(brokers, ","), dsn
	rt, err := serverless.Open(t.Context(), "analyzer-azfunc", cfg, telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close(t.Context())
	srv := httptest.NewServer(&azfunc.Handler{Core: rt.Handler, Logger: rt.Logger, Binding: "events"})
	defer srv.Close()
	if status, out := serverlesstest.PostAzure(t, srv.URL, body); status != http.StatusOK {
		t.Fatalf("azure: status %d, logs %q", status, out.Logs)
	}
}
