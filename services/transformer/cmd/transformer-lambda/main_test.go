package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless/awslambda"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless/batchtest"
)

// bootstrap is the binary as Lambda runs it, built once by TestMain exactly as
// build.sh builds it.
var bootstrap string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "transformer-lambda")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bootstrap = filepath.Join(dir, "bootstrap")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "lambda.norpc", "-trimpath", "-o", bootstrap, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building bootstrap: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startBootstrap runs the built bootstrap against api, publishing to brokers,
// with the environment Lambda gives a function.
func startBootstrap(t *testing.T, api *runtimeAPI, brokers string) *bytes.Buffer {
	t.Helper()
	var logs bytes.Buffer
	cmd := exec.Command(bootstrap)
	cmd.Env = []string{
		"AWS_LAMBDA_RUNTIME_API=" + api.addr(),
		"AWS_LAMBDA_FUNCTION_NAME=transformer",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_REGION=eu-central-1",
		"BLUESTREAM_KAFKA_BROKERS=" + brokers,
	}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("bootstrap output:\n%s", logs.String())
		}
	})
	return &logs
}

func decodeResponse(t *testing.T, res result) awslambda.Response {
	t.Helper()
	if res.kind != "response" {
		t.Fatalf("runtime posted %s (%s): %s, want a response", res.kind, res.errorType, res.body)
	}
	var resp awslambda.Response
	if err := json.Unmarshal(res.body, &resp); err != nil {
		t.Fatalf("response %s: %v", res.body, err)
	}
	return resp
}

// checkReadings checks that readings are the decoded inputs, in order, keyed
// and identified as the Kubernetes stage does, and in the inputs' trace.
func checkReadings(t *testing.T, inputs, readings []*kgo.Record) {
	t.Helper()
	if len(readings) != len(inputs) {
		t.Fatalf("%d readings, want %d", len(readings), len(inputs))
	}
	for i, r := range readings {
		in := inputs[i]
		var got blev1.ReadingDecoded
		if err := eventbus.Decode(r, &got); err != nil {
			t.Errorf("reading %d: %v", i, err)
			continue
		}
		if !bytes.Equal(r.Key, in.Key) {
			t.Errorf("reading %d key %q, want the input's %q", i, r.Key, in.Key)
		}
		if id, _ := eventbus.Header(r, eventbus.HeaderID); id != pipeline.EventID(in) {
			t.Errorf("reading %d ce_id %q, want %q", i, id, pipeline.EventID(in))
		}
		if tp, _ := eventbus.Header(r, "traceparent"); !strings.Contains(tp, batchtest.TraceID) {
			t.Errorf("reading %d traceparent %q does not continue trace %s", i, tp, batchtest.TraceID)
		}
		if len(got.GetDecoded().GetFormats()) == 0 {
			t.Errorf("reading %d decoded nothing: %v", i, got.GetDecoded())
		}
	}
}

func TestGoodBatch(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	api := newRuntimeAPI(t)
	startBootstrap(t, api, brokers)
	in := batchtest.Advertisements(t, 10)

	for round := range 2 { // a warm instance serves the next invocation too
		resp := decodeResponse(t, api.invoke(t, batchtest.LambdaEvent(t, in)))
		if len(resp.BatchItemFailures) != 0 {
			t.Fatalf("round %d: batchItemFailures %+v, want none", round, resp.BatchItemFailures)
		}
	}
	got := batchtest.Read(t, brokers, topic.Readings, 2*len(in))
	checkReadings(t, in, got[:len(in)])
	for i := range in {
		if !bytes.Equal(got[i].Value, got[len(in)+i].Value) {
			t.Errorf("reading %d: a retried batch published different bytes", i)
		}
	}
}

func TestPoisonRecordIsReportedAlone(t *testing.T) {
	t.Parallel()
	_, brokers := batchtest.Cluster(t)
	api := newRuntimeAPI(t)
	startBootstrap(t, api, brokers)
	good := batchtest.Advertisements(t, 12)
	poison := batchtest.Poison(15)
	badBase64 := batchtest.Poison(16)

	ev := batchtest.LambdaEvent(t, append(append([]*kgo.Record{}, good...), poison, badBase64))
	// Break the last record's value as a broken event would carry it.
	enc := base64.StdEncoding.EncodeToString(badBase64.Value)
	ev = bytes.Replace(ev, []byte(`"value":"`+enc+`"`), []byte(`"value":"!!not base64"`), 1)
	if !bytes.Contains(ev, []byte(`"headers":[{"ce_specversion":[49,46,48]}`)) {
		t.Fatalf("event headers are not arrays of signed bytes: %.300s", ev)
	}

	resp := decodeResponse(t, api.invoke(t, ev))
	want := []awslambda.ItemIdentifier{{TopicPartition: "ble.advertisements.v1-0", Offset: 15}, {TopicPartition: "ble.advertisements.v1-0", Offset: 16}}
	var got []awslambda.ItemIdentifier
	for _, f := range resp.BatchItemFailures {
		got = append(got, f.ItemIdentifier)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("batchItemFailures %+v, want %+v", got, want)
	}
	checkReadings(t, good, batchtest.Read(t, brokers, topic.Readings, len(good)))
}

func TestHandlerErrorFailsTheInvocation(t *testing.T) {
	t.Parallel()
	cluster, brokers := batchtest.Cluster(t)
	batchtest.DenyProduce(cluster)
	api := newRuntimeAPI(t)
	startBootstrap(t, api, brokers)

	res := api.invoke(t, batchtest.LambdaEvent(t, batchtest.Advertisements(t, 20)))
	if res.kind != "error" {
		t.Fatalf("runtime posted %s: %s, want an error", res.kind, res.body)
	}
	var body struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil {
		t.Fatalf("error body %s: %v", res.body, err)
	}
	if !strings.Contains(body.ErrorMessage, "publishing 3 records") || !strings.Contains(body.ErrorMessage, "TOPIC_AUTHORIZATION_FAILED") {
		t.Errorf("errorMessage %q, want the refused publish", body.ErrorMessage)
	}
	if n := batchtest.Count(t, brokers, topic.Readings); n != 0 {
		t.Errorf("%d readings published by a failed invocation", n)
	}
}
