package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
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
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore/pgtest"
)

var (
	pg             *pgtest.Server
	deadLetteredAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
)

func TestMain(m *testing.M) { os.Exit(batchtest.RunWithPostgres(m, &pg)) }

// server is the custom handler as the Functions host reaches it, with now
// as its wall clock, and its settings.
func server(t *testing.T, brokers, dsn string, now time.Time) (*httptest.Server, serverless.Config) {
	t.Helper()
	cfg, err := serverless.Load("analyzer-azfunc", func(k string) (string, bool) {
		v, ok := map[string]string{"BLUESTREAM_KAFKA_BROKERS": brokers, "BLUESTREAM_STORE_DSN": dsn}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	rt, err := serverless.Open(t.Context(), "analyzer-azfunc", cfg, telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(t.Context()) })
	rt.Handler.Now = func() time.Time { return now }
	srv := httptest.NewServer(routes(rt))
	t.Cleanup(srv.Close)
	return srv, cfg
}

// post invokes the Kafka-triggered function as the host does.
func post(t *testing.T, srv *httptest.Server, body []byte) (int, azfunc.Response, serverless.Summary) {
	t.Helper()
	status, out := serverlesstest.PostAzure(t, srv.URL+"/"+function, body)
	var s serverless.Summary
	if status == http.StatusOK {
		serverlesstest.ReturnValue(t, out, &s)
	}
	return status, out, s
}

// invocation is recs as the host posts them to the Kafka-triggered function.
func invocation(t *testing.T, recs []*kgo.Record) []byte {
	t.Helper()
	return serverlesstest.AzureInvocation(t, function, binding, recs)
}

func TestGoodBatch_redelivered_counts_once(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	dsn := pg.Database(t)
	srv, cfg := server(t, brokers, dsn, deadLetteredAt)
	in := batchtest.Enriched(t, 0)

	status, out, sum := post(t, srv, invocation(t, in))
	if status != http.StatusOK {
		t.Fatalf("status %d, logs %q", status, out.Logs)
	}
	if want := (serverless.Summary{Records: batchtest.Size, Applied: batchtest.Size, Alerts: 1}); sum != want {
		t.Errorf("return value %+v, want %+v", sum, want)
	}
	alert := serverlesstest.Read(t, brokers, topic.Alerts, 1)[0]
	if string(alert.Key) != "sensor-0" {
		t.Errorf("alert keyed %q, want sensor-0", alert.Key)
	}
	want, offsets := batchtest.State(t, dsn, cfg.Engine())
	if p := (store.Partition{Topic: batchtest.Input}); offsets[p] != batchtest.Size {
		t.Errorf("committed offsets %v, want %s at %d", offsets, p, batchtest.Size)
	}

	// The host redelivers (the answer was lost): nothing counts twice.
	status, out, sum = post(t, srv, invocation(t, in))
	if status != http.StatusOK || sum != (serverless.Summary{Records: batchtest.Size, Duplicates: batchtest.Size}) {
		t.Errorf("redelivery: status %d, return value %+v, logs %q", status, sum, out.Logs)
	}
	if n := serverlesstest.Count(t, brokers, topic.Alerts); n != 1 {
		t.Errorf("%d alerts after the redelivery, want 1", n)
	}
	if got, _ := batchtest.State(t, dsn, cfg.Engine()); got != want {
		t.Error("the redelivery changed the projection")
	}
}

func TestPoisonRecordGoesToTheDLQ(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	srv, _ := server(t, brokers, pg.Database(t), deadLetteredAt)
	good := batchtest.Enriched(t, 0)
	poison := batchtest.Poison(batchtest.Size)
	body := invocation(t, append(append([]*kgo.Record{}, good...), poison))

	status, out, sum := post(t, srv, body)
	if status != http.StatusOK {
		t.Fatalf("status %d, logs %q: a poison record must not fail the batch, or it is redelivered forever", status, out.Logs)
	}
	if want := (serverless.Summary{Records: batchtest.Size + 1, Applied: batchtest.Size, Alerts: 1, DeadLettered: 1}); sum != want {
		t.Errorf("return value %+v, want %+v", sum, want)
	}
	if len(out.Logs) == 0 || !strings.Contains(out.Logs[0], fmt.Sprintf("@%d", batchtest.Size)) {
		t.Errorf("logs %q do not name the dead-lettered offset", out.Logs)
	}
	dl := serverlesstest.Read(t, brokers, topic.DLQ(batchtest.Input), 1)[0]
	if !bytes.Equal(dl.Value, poison.Value) || !bytes.Equal(dl.Key, poison.Key) {
		t.Errorf("dead letter %q=%x, want the record unchanged", dl.Key, dl.Value)
	}
	for k, want := range map[string]string{
		eventbus.HeaderDLQReason: "unmarshal", eventbus.HeaderDLQOffset: fmt.Sprint(batchtest.Size),
		eventbus.HeaderDLQTopic: batchtest.Input, eventbus.HeaderDLQTime: "2026-11-23T10:00:00Z",
	} {
		if got, _ := eventbus.Header(dl, k); got != want {
			t.Errorf("dead letter header %s = %q, want %q", k, got, want)
		}
	}

	// Redelivered, the poison record is not dead-lettered a second time.
	if status, out, sum = post(t, srv, body); status != http.StatusOK || sum.DeadLettered != 0 {
		t.Errorf("redelivery: status %d, return value %+v, logs %q", status, sum, out.Logs)
	}
	if n := serverlesstest.Count(t, brokers, topic.DLQ(batchtest.Input)); n != 1 {
		t.Errorf("%d dead letters after the redelivery, want 1", n)
	}
}

func TestHandlerErrorFailsTheInvocation(t *testing.T) {
	t.Parallel()
	cluster, brokers := batchtest.Cluster(t)
	dsn := pg.Database(t)
	srv, cfg := server(t, brokers, dsn, deadLetteredAt)
	serverlesstest.DenyProduce(cluster)

	status, out, _ := post(t, srv, invocation(t, batchtest.Enriched(t, 0)))
	if status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500 so the extension redelivers without committing", status)
	}
	if len(out.Logs) != 1 || !strings.Contains(out.Logs[0], "TOPIC_AUTHORIZATION_FAILED") {
		t.Errorf("logs %q, want the refused publish", out.Logs)
	}
	if _, offsets := batchtest.State(t, dsn, cfg.Engine()); len(offsets) != 0 {
		t.Errorf("a failed invocation committed offsets %v", offsets)
	}
}
