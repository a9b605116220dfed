package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless"
	"github.com/bluestream/bluestream/services/transformer/internal/serverless/azfunc"
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
	api := newRuntimeAPI(t)
	startBootstrap(t, api, lambdaBrokers)
	if resp := decodeResponse(t, api.invoke(t, batchtest.LambdaEvent(t, in))); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("lambda: batchItemFailures %+v", resp.BatchItemFailures)
	}
	lambdaOut := batchtest.Read(t, lambdaBrokers, topic.Readings, len(in))

	_, azureBrokers := batchtest.Cluster(t)
	postAzure(t, azureBrokers, batchtest.AzureInvocation(t, in))
	azureOut := batchtest.Read(t, azureBrokers, topic.Readings, len(in))

	want := fingerprints(k8s)
	if got := fingerprints(lambdaOut); !equal(got, want) {
		t.Errorf("lambda readings differ from the kubernetes stage's:\n%s", diff(got, want))
	}
	if got := fingerprints(azureOut); !equal(got, want) {
		t.Errorf("azure readings differ from the kubernetes stage's:\n%s", diff(got, want))
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
	srv := httptest.NewServer(&azfunc.Handler{Core: rt.Handler, Client: rt.Client.Client, Logger: rt.Logger, Binding: "events"})
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/transform", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("azure: status %d: %s", resp.StatusCode, b)
	}
}

// fingerprints renders what must match byte for byte, one string per
// reading, in order.
func fingerprints(recs []*kgo.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		var b strings.Builder
		fmt.Fprintf(&b, "key=%q ts=%d value=%x", r.Key, r.Timestamp.UnixMilli(), r.Value)
		for _, h := range r.Headers {
			if h.Key == "traceparent" || h.Key == "tracestate" {
				continue
			}
			fmt.Fprintf(&b, " %s=%q", h.Key, h.Value)
		}
		out[i] = b.String()
	}
	return out
}

func equal(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

func diff(got, want []string) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "reading %d\n got  %s\n want %s\n", i, g, w)
		}
	}
	return b.String()
}
