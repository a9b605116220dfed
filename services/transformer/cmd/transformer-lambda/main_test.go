package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/serverless/awslambda"
	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless/batchtest"
)

// bootstrap is the binary as Lambda runs it, built once by TestMain exactly as
// deploy/aws/build.sh builds it.
var bootstrap string

func TestMain(m *testing.M) {
	path, remove, err := serverlesstest.BuildBootstrap()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bootstrap = path
	code := m.Run()
	remove()
	os.Exit(code)
}

// startBootstrap runs the built bootstrap as the function "transformer",
// publishing to brokers, and returns the Runtime API that drives it.
func startBootstrap(t *testing.T, brokers string) *serverlesstest.RuntimeAPI {
	t.Helper()
	api := serverlesstest.NewRuntimeAPI(t, "transformer")
	serverlesstest.StartBootstrap(t, bootstrap, api, "BLUESTREAM_KAFKA_BROKERS="+brokers)
	return api
}

func TestGoodBatch(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	api := startBootstrap(t, brokers)
	in := batchtest.Advertisements(t, 10)

	for round := range 2 { // a warm instance serves the next invocation too
		resp := api.Invoke(t, serverlesstest.LambdaEvent(t, in)).Response(t)
		if len(resp.BatchItemFailures) != 0 {
			t.Fatalf("round %d: batchItemFailures %+v, want none", round, resp.BatchItemFailures)
		}
	}
	got := serverlesstest.Read(t, brokers, topic.Readings, 2*len(in))
	batchtest.CheckReadings(t, in, got[:len(in)])
	for i := range in {
		if !bytes.Equal(got[i].Value, got[len(in)+i].Value) {
			t.Errorf("reading %d: a retried batch published different bytes", i)
		}
	}
}

func TestPoisonRecordIsReportedAlone(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	api := startBootstrap(t, brokers)
	good := batchtest.Advertisements(t, 12)
	poison := batchtest.Poison(15)
	badBase64 := batchtest.Poison(16)

	ev := serverlesstest.LambdaEvent(t, append(append([]*kgo.Record{}, good...), poison, badBase64))
	// Break the last record's value as a broken event would carry it.
	enc := base64.StdEncoding.EncodeToString(badBase64.Value)
	ev = bytes.Replace(ev, []byte(`"value":"`+enc+`"`), []byte(`"value":"!!not base64"`), 1)
	if !bytes.Contains(ev, []byte(`"headers":[{"ce_specversion":[49,46,48]}`)) {
		t.Fatalf("event headers are not arrays of signed bytes: %.300s", ev)
	}

	got := serverlesstest.Failures(api.Invoke(t, ev).Response(t))
	want := []awslambda.ItemIdentifier{{TopicPartition: "ble.advertisements.v1-0", Offset: 15}, {TopicPartition: "ble.advertisements.v1-0", Offset: 16}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("batchItemFailures %+v, want %+v", got, want)
	}
	batchtest.CheckReadings(t, good, serverlesstest.Read(t, brokers, topic.Readings, len(good)))
}

func TestHandlerErrorFailsTheInvocation(t *testing.T) {
	t.Parallel()
	cluster, brokers := batchtest.Cluster(t)
	serverlesstest.DenyProduce(cluster)
	api := startBootstrap(t, brokers)

	msg := api.Invoke(t, serverlesstest.LambdaEvent(t, batchtest.Advertisements(t, 20))).ErrorMessage(t)
	if !strings.Contains(msg, "publishing 3 records") || !strings.Contains(msg, "TOPIC_AUTHORIZATION_FAILED") {
		t.Errorf("errorMessage %q, want the refused publish", msg)
	}
	if n := serverlesstest.Count(t, brokers, topic.Readings); n != 0 {
		t.Errorf("%d readings published by a failed invocation", n)
	}
}
