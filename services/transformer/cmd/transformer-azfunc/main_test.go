package main

import (
	"bytes"
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
	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless/batchtest"
)

var deadLetteredAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// server is the custom handler as the Functions host reaches it.
func server(t *testing.T, brokers string) *httptest.Server {
	t.Helper()
	cfg := serverless.Config{Output: topic.Readings}
	cfg.Kafka.Brokers = strings.Split(brokers, ",")
	rt, err := serverless.Open(t.Context(), "transformer-azfunc", cfg, telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(t.Context()) })
	rt.Handler.Now = func() time.Time { return deadLetteredAt }
	srv := httptest.NewServer(routes(rt))
	t.Cleanup(srv.Close)
	return srv
}

// post invokes the function as the host does, with recs as its batch.
func post(t *testing.T, srv *httptest.Server, recs []*kgo.Record) (int, azfunc.Response) {
	t.Helper()
	return serverlesstest.PostAzure(t, srv.URL+"/"+function, serverlesstest.AzureInvocation(t, function, binding, recs))
}

func summary(t *testing.T, out azfunc.Response) serverless.Summary {
	t.Helper()
	var s serverless.Summary
	serverlesstest.ReturnValue(t, out, &s)
	return s
}

func TestGoodBatch(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	srv := server(t, brokers)
	in := batchtest.Advertisements(t, 40)

	status, out := post(t, srv, in)
	if status != http.StatusOK {
		t.Fatalf("status %d, logs %q", status, out.Logs)
	}
	if s := summary(t, out); s != (serverless.Summary{Records: 3, Readings: 3}) {
		t.Errorf("return value %+v, want 3 records, 3 readings", s)
	}
	batchtest.CheckReadings(t, in, serverlesstest.Read(t, brokers, topic.Readings, len(in)))
	if n := serverlesstest.Count(t, brokers, topic.DLQ(topic.Advertisements)); n != 0 {
		t.Errorf("%d dead letters from a good batch", n)
	}
}

func TestPoisonRecordGoesToTheDLQ(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	srv := server(t, brokers)
	good := batchtest.Advertisements(t, 50)
	poison := batchtest.Poison(53)

	status, out := post(t, srv, append(append([]*kgo.Record{}, good...), poison))
	if status != http.StatusOK {
		t.Fatalf("status %d, logs %q: a poison record must not fail the batch, or it is redelivered forever", status, out.Logs)
	}
	if s := summary(t, out); s != (serverless.Summary{Records: 4, Readings: 3, DeadLettered: 1}) {
		t.Errorf("return value %+v", s)
	}
	if len(out.Logs) == 0 || !strings.Contains(out.Logs[0], "@53") {
		t.Errorf("logs %q do not name the dead-lettered offset", out.Logs)
	}
	batchtest.CheckReadings(t, good, serverlesstest.Read(t, brokers, topic.Readings, len(good)))
	dl := serverlesstest.Read(t, brokers, topic.DLQ(topic.Advertisements), 1)[0]
	if !bytes.Equal(dl.Value, poison.Value) || !bytes.Equal(dl.Key, poison.Key) {
		t.Errorf("dead letter %q=%x, want the record unchanged", dl.Key, dl.Value)
	}
	for k, want := range map[string]string{
		eventbus.HeaderDLQReason: "unmarshal", eventbus.HeaderDLQOffset: "53",
		eventbus.HeaderDLQTopic: topic.Advertisements, eventbus.HeaderDLQTime: "2026-11-23T10:00:00Z",
	} {
		if got, _ := eventbus.Header(dl, k); got != want {
			t.Errorf("dead letter header %s = %q, want %q", k, got, want)
		}
	}
}

func TestHandlerErrorFailsTheInvocation(t *testing.T) {
	t.Parallel()
	cluster, brokers := batchtest.Cluster(t)
	serverlesstest.DenyProduce(cluster)
	srv := server(t, brokers)

	status, out := post(t, srv, batchtest.Advertisements(t, 60))
	if status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500 so the extension redelivers without committing", status)
	}
	if len(out.Logs) != 1 || !strings.Contains(out.Logs[0], "TOPIC_AUTHORIZATION_FAILED") {
		t.Errorf("logs %q, want the refused publish", out.Logs)
	}

}
