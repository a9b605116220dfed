package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless/batchtest"
)

// anHourLater is the wall clock of the tick tests: an hour after the
// recorded batch, every sensor and gateway in it has fallen silent.
var anHourLater = batchtest.T0.Add(time.Hour)

// tick invokes the timer-triggered function as the host does when the
// schedule fires.
func tick(t *testing.T, srv *httptest.Server) serverless.TickSummary {
	t.Helper()
	status, out := serverlesstest.PostAzure(t, srv.URL+"/"+tickFunction, serverlesstest.TimerInvocation(t, tickFunction, tickBinding, anHourLater))
	if status != http.StatusOK {
		t.Fatalf("tick: status %d, logs %q", status, out.Logs)
	}
	var sum serverless.TickSummary
	serverlesstest.ReturnValue(t, out, &sum)
	return sum
}

func TestTimerTicksTheEngine(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	dsn := pg.Database(t)
	srv, cfg := server(t, brokers, dsn, anHourLater)
	if status, out, _ := post(t, srv, invocation(t, batchtest.Enriched(t, 0))); status != http.StatusOK {
		t.Fatalf("batch: status %d, logs %q", status, out.Logs)
	}
	if d, ok := batchtest.Engine(t, dsn, cfg.Engine()).Device("sensor-0"); !ok || !d.Present {
		t.Fatalf("sensor-0 = %+v, %v after the batch, want present: the tick would prove nothing", d, ok)
	}
	before := int(serverlesstest.Count(t, brokers, topic.Alerts))

	sum := tick(t, srv)
	if want := anHourLater.Add(-cfg.Lateness); sum.Behind || !sum.At.Equal(want) || sum.Disappeared != 2 {
		t.Errorf("tick summary %+v, want event time at %s and the two sensors gone (the badge is restricted)", sum, want)
	}
	if d, ok := batchtest.Engine(t, dsn, cfg.Engine()).Device("sensor-0"); !ok || d.Present {
		t.Errorf("sensor-0 = %+v, %v after the tick, want known and absent in the committed state", d, ok)
	}
	batchtest.CheckSilenceAlerts(t, serverlesstest.Read(t, brokers, topic.Alerts, before+sum.Alerts)[before:])
	if again := tick(t, srv); again.Alerts != 0 || again.Disappeared != 0 {
		t.Errorf("second tick %+v, want nothing new", again)
	}
}

// TestTimerWaitsForTheBacklog: while the input holds records no batch has
// committed, they may be the silent devices' reports, so the tick must not
// time anybody out.
func TestTimerWaitsForTheBacklog(t *testing.T) {
	t.Parallel()
	cluster, brokers := batchtest.Cluster(t)
	dsn := pg.Database(t)
	srv, cfg := server(t, brokers, dsn, anHourLater)
	in := batchtest.Enriched(t, 0)
	if status, out, _ := post(t, srv, invocation(t, in[:batchtest.Size-1])); status != http.StatusOK {
		t.Fatalf("batch: status %d, logs %q", status, out.Logs)
	}
	// The log holds the whole batch; the trigger has delivered all but one.
	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, r := range in {
		if err := cl.ProduceSync(t.Context(), &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value, Headers: r.Headers}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}

	if sum := tick(t, srv); !sum.Behind || sum.Alerts != 0 {
		t.Errorf("tick summary %+v, want it held back by the backlog", sum)
	}
	if d, ok := batchtest.Engine(t, dsn, cfg.Engine()).Device("sensor-0"); !ok || !d.Present {
		t.Errorf("sensor-0 = %+v, %v, want still present", d, ok)
	}

	// Delivered and committed, the backlog no longer holds the tick back.
	if status, out, _ := post(t, srv, invocation(t, in)); status != http.StatusOK {
		t.Fatalf("redelivery: status %d, logs %q", status, out.Logs)
	}
	if sum := tick(t, srv); sum.Behind || sum.Disappeared != 2 {
		t.Errorf("tick summary %+v after the backlog, want the two sensors gone", sum)
	}
}
