package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/serverless/azfunc"
	"github.com/bluestream/bluestream/platform/serverless/serverlesstest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless/batchtest"
)

// TestSameReadingsOnEveryTarget feeds one recorded batch to the Kubernetes
// service's stage, to the built Lambda bootstrap and to the Azure custom
// handler, and requires the same readings from all three: key, value bytes,
// timestamp and CloudEvents headers. Only traceparent may differ, because
// each target's process span has its own span id (the trace id is checked to
// be the input's by the target tests).
func TestSameReadingsOnEveryTarget(t *testing.T) {
	t.Parallel()
	in := batchtest.Advertisements(t, 100)

	stage := &pipeline.Stage{Decoder: &pipeline.Decoder{}, Encoder: eventbus.Encoder{Source: serverless.Source}, Output: topic.Readings}
	var k8s []*kgo.Record
	for _, r := range in {
		out, err := stage.Transform(t.Context(), r)
		if err != nil {
			t.Fatalf("kubernetes stage: %v", err)
		}
		k8s = append(k8s, out...)
	}

	_, lambdaBrokers := batchtest.Cluster(t)
	api := startBootstrap(t, lambdaBrokers)
	if resp := api.Invoke(t, serverlesstest.LambdaEvent(t, in)).Response(t); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("lambda: batchItemFailures %+v", resp.BatchItemFailures)
	}
	lambdaOut := serverlesstest.Read(t, lambdaBrokers, topic.Readings, len(in))

	_, azureBrokers := batchtest.Cluster(t)
	postAzure(t, azureBrokers, serverlesstest.AzureInvocation(t, "transform", "events", in))
	azureOut := serverlesstest.Read(t, azureBrokers, topic.Readings, len(in))

	want := serverlesstest.Fingerprints(k8s)
	if d := serverlesstest.DiffFingerprints(serverlesstest.Fingerprints(lambdaOut), want); d != "" {
		t.Errorf("lambda readings differ from the kubernetes stage's:\n%s", d)
	}
	if d := serverlesstest.DiffFingerprints(serverlesstest.Fingerprints(azureOut), want); d != "" {
		t.Errorf("azure readings differ from the kubernetes stage's:\n%s", d)
	}
}

func postAzure(t *testing.T, brokers string, body []byte) {
	t.Helper()
	cfg := serverless.Config{Output: topic.Readings}
	cfg.Kafka.Brokers = strings.Split(brokers, ",")
	rt, err := serverless.Open(t.Context(), "transformer-azfunc", cfg, telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
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
