package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless/awslambda"
	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless"
	"github.com/bluestream/bluestream/services/analyzer/cmd/internal/serverless/batchtest"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/pgstore/pgtest"
)

var (
	// bootstrap is the binary as Lambda runs it, built once by TestMain
	// exactly as deploy/aws/build.sh builds it.
	bootstrap string
	pg        *pgtest.Server
)

// defaults are the function's settings other than brokers and store: the
// SAM template leaves them at their defaults.
var defaults = func() serverless.Config {
	c, err := serverless.Load("test", func(k string) (string, bool) {
		if k == "BLUESTREAM_STORE_DSN" || k == "BLUESTREAM_KAFKA_BROKERS" {
			return "x:1", true
		}
		return "", false
	})
	if err != nil {
		panic(err)
	}
	return c
}()

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	path, remove, err := serverlesstest.BuildBootstrap()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer remove()
	bootstrap = path
	return batchtest.RunWithPostgres(m, &pg)
}

// startBootstrap runs the built bootstrap as the function "analyzer",
// publishing to brokers and keeping state in the database at dsn, and
// returns the Runtime API that drives it.
func startBootstrap(t *testing.T, brokers, dsn string) *serverlesstest.RuntimeAPI {
	t.Helper()
	api := serverlesstest.NewRuntimeAPI(t, "analyzer")
	serverlesstest.StartBootstrap(t, bootstrap, api, "BLUESTREAM_KAFKA_BROKERS="+brokers, "BLUESTREAM_STORE_DSN="+dsn)
	return api
}

// checkBatteryAlert checks that alerts hold the sensor's battery_low, keyed
// by the device, in the lobby and in the inputs' trace.
func checkBatteryAlert(t *testing.T, alerts []*kgo.Record) {
	t.Helper()
	for _, r := range alerts {
		var msg analyzerv1.AlertRaised
		if eventbus.Decode(r, &msg) != nil || msg.GetAlert().GetRule() != "battery_low" {
			continue
		}
		if string(r.Key) != "sensor-0" || msg.GetAlert().GetZone() != "ber/b1/1/lobby" {
			t.Errorf("battery_low keyed %q in zone %q, want sensor-0 in ber/b1/1/lobby", r.Key, msg.GetAlert().GetZone())
		}
		if tp, _ := eventbus.Header(r, "traceparent"); !strings.Contains(tp, batchtest.TraceID) {
			t.Errorf("alert traceparent %q does not continue trace %s", tp, batchtest.TraceID)
		}
		return
	}
	t.Errorf("no battery_low among %d alerts", len(alerts))
}

func TestGoodBatch_redelivered_counts_once(t *testing.T) {
	t.Parallel()
	dsn := pg.Database(t)
	_, brokers := batchtest.Cluster(t)
	api := startBootstrap(t, brokers, dsn)
	in := batchtest.Enriched(t, 0)

	if resp := api.Invoke(t, serverlesstest.LambdaEvent(t, in)).Response(t); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("batchItemFailures %+v, want none", resp.BatchItemFailures)
	}
	alerts := serverlesstest.Count(t, brokers, topic.Alerts)
	if alerts == 0 {
		t.Fatal("the batch raised no alerts")
	}
	checkBatteryAlert(t, serverlesstest.Read(t, brokers, topic.Alerts, int(alerts)))
	want, offsets := batchtest.State(t, dsn, defaults.Engine())
	if p := (store.Partition{Topic: batchtest.Input}); offsets[p] != batchtest.Size {
		t.Fatalf("committed offsets %v, want %s at %d", offsets, p, batchtest.Size)
	}

	// The event source redelivers the batch (say the answer was lost): a
	// warm instance recognises it by the stored offsets.
	if resp := api.Invoke(t, serverlesstest.LambdaEvent(t, in)).Response(t); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("redelivery: batchItemFailures %+v, want none", resp.BatchItemFailures)
	}
	if n := serverlesstest.Count(t, brokers, topic.Alerts); n != alerts {
		t.Errorf("redelivery published %d more alerts", n-alerts)
	}
	if got, _ := batchtest.State(t, dsn, defaults.Engine()); got != want {
		t.Errorf("redelivery changed the projection:\n got %s\nwant %s", got, want)
	}
}

func TestPoisonRecordIsReportedAlone(t *testing.T) {
	t.Parallel()
	dsn := pg.Database(t)
	_, brokers := batchtest.Cluster(t)
	api := startBootstrap(t, brokers, dsn)
	good := batchtest.Enriched(t, 0)
	poison := batchtest.Poison(batchtest.Size)
	badBase64 := batchtest.Poison(batchtest.Size + 1)
	badBase64.Value = []byte("to be replaced in the event")

	ev := serverlesstest.LambdaEvent(t, append(append([]*kgo.Record{}, good...), poison, badBase64))
	enc := base64.StdEncoding.EncodeToString(badBase64.Value)
	ev = bytes.Replace(ev, []byte(`"value":"`+enc+`"`), []byte(`"value":"!!not base64"`), 1)
	if !bytes.Contains(ev, []byte(`"headers":[{"ce_specversion":[49,46,48]}`)) {
		t.Fatalf("event headers are not arrays of signed bytes: %.300s", ev)
	}
	want := fmt.Sprint([]awslambda.ItemIdentifier{{TopicPartition: batchtest.Input + "-0", Offset: batchtest.Size}, {TopicPartition: batchtest.Input + "-0", Offset: batchtest.Size + 1}})

	if got := serverlesstest.Failures(api.Invoke(t, ev).Response(t)); fmt.Sprint(got) != want {
		t.Errorf("batchItemFailures %+v, want %s", got, want)
	}
	alerts := serverlesstest.Count(t, brokers, topic.Alerts)
	checkBatteryAlert(t, serverlesstest.Read(t, brokers, topic.Alerts, int(alerts)))
	state, offsets := batchtest.State(t, dsn, defaults.Engine())
	// The poison record is consumed (as by the service's consumer); the
	// record that is not even base64 never reached the engine.
	if p := (store.Partition{Topic: batchtest.Input}); offsets[p] != batchtest.Size+1 {
		t.Errorf("committed offsets %v, want %s at %d", offsets, p, batchtest.Size+1)
	}

	// The event source retries the failed records: they fail again, so it
	// parks them on the on-failure destination; nothing else repeats.
	if got := serverlesstest.Failures(api.Invoke(t, ev).Response(t)); fmt.Sprint(got) != want {
		t.Errorf("retry: batchItemFailures %+v, want %s", got, want)
	}
	if n := serverlesstest.Count(t, brokers, topic.Alerts); n != alerts {
		t.Errorf("retry published %d more alerts", n-alerts)
	}
	if got, _ := batchtest.State(t, dsn, defaults.Engine()); got != state {
		t.Error("the retry changed the projection")
	}
}

func TestHandlerErrorFailsTheInvocation(t *testing.T) {
	t.Parallel()
	dsn := pg.Database(t)
	cluster, brokers := batchtest.Cluster(t)
	serverlesstest.DenyProduce(cluster)
	api := startBootstrap(t, brokers, dsn)

	msg := api.Invoke(t, serverlesstest.LambdaEvent(t, batchtest.Enriched(t, 0))).ErrorMessage(t)
	if !strings.Contains(msg, "publishing") || !strings.Contains(msg, "TOPIC_AUTHORIZATION_FAILED") {
		t.Errorf("errorMessage %q, want the refused publish", msg)
	}
	if _, offsets := batchtest.State(t, dsn, defaults.Engine()); len(offsets) != 0 {
		t.Errorf("a failed invocation committed offsets %v", offsets)
	}
}

// TestScheduledEventTicksTheEngine: after a batch, EventBridge's scheduled
// event makes the function tick at the wall clock, which stands hours after
// the recorded readings (T0), so the sensors and gateways that sent them
// have fallen silent: their presence ends and silence alerts go out, with
// nothing new on the input.
func TestScheduledEventTicksTheEngine(t *testing.T) {
	t.Parallel()
	dsn := pg.Database(t)
	_, brokers := batchtest.Cluster(t)
	api := startBootstrap(t, brokers, dsn)
	if resp := api.Invoke(t, serverlesstest.LambdaEvent(t, batchtest.Enriched(t, 0))).Response(t); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("batchItemFailures %+v, want none", resp.BatchItemFailures)
	}
	if d, ok := batchtest.Engine(t, dsn, defaults.Engine()).Device("sensor-0"); !ok || !d.Present {
		t.Fatalf("sensor-0 = %+v, %v after the batch, want present: the tick would prove nothing", d, ok)
	}
	before := int(serverlesstest.Count(t, brokers, topic.Alerts))

	var sum serverless.TickSummary
	api.Invoke(t, serverlesstest.ScheduledEvent(t, time.Now())).Decode(t, &sum)
	if sum.Behind || sum.Disappeared == 0 || sum.Alerts == 0 {
		t.Fatalf("tick summary %+v, want devices gone and alerts raised", sum)
	}
	if d, ok := batchtest.Engine(t, dsn, defaults.Engine()).Device("sensor-0"); !ok || d.Present {
		t.Errorf("sensor-0 = %+v, %v after the tick, want known and absent in the committed state", d, ok)
	}
	batchtest.CheckSilenceAlerts(t, serverlesstest.Read(t, brokers, topic.Alerts, before+sum.Alerts)[before:])

	// The next minute's tick finds nothing new to time out.
	var again serverless.TickSummary
	api.Invoke(t, serverlesstest.ScheduledEvent(t, time.Now())).Decode(t, &again)
	if again.Alerts != 0 || again.Disappeared != 0 {
		t.Errorf("second tick %+v, want nothing new", again)
	}
	if n := int(serverlesstest.Count(t, brokers, topic.Alerts)); n != before+sum.Alerts {
		t.Errorf("%d alerts after the second tick, want %d", n, before+sum.Alerts)
	}
}
