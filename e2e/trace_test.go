package e2e_test

import (
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	collectortracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/stack"
)

// collector is an OTLP/HTTP trace receiver keeping spans by trace id, with the
// name of the service that sent them.
type collector struct {
	mu    sync.Mutex
	spans map[string][]span
}

type span struct {
	service string
	s       *tracepb.Span
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body := io.Reader(r.Body)
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = gz
	}
	raw, err := io.ReadAll(body)
	var req collectortracepb.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(raw, &req)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	for _, rs := range req.GetResourceSpans() {
		service := ""
		for _, kv := range rs.GetResource().GetAttributes() {
			if kv.GetKey() == "service.name" {
				service = kv.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				id := hex.EncodeToString(s.GetTraceId())
				c.spans[id] = append(c.spans[id], span{service: service, s: s})
			}
		}
	}
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&collectortracepb.ExportTraceServiceResponse{})
	_, _ = w.Write(out)
}

func (c *collector) trace(id string) []span {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.spans[id])
}

func services(spans []span) []string {
	seen := map[string]bool{}
	for _, s := range spans {
		seen[s.service] = true
	}
	var out []string
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func hasAttr(spans []span, key string) bool {
	for _, s := range spans {
		for _, kv := range s.s.GetAttributes() {
			if kv.GetKey() == key {
				return true
			}
		}
	}
	return false
}

// TestOneAdvertisementIsOneTrace starts a trace at the caller, sends one
// advertisement with it, and expects the services of the pipeline to add spans
// to that same trace, joined through the Kafka headers, with the RPC and
// messaging semantic-convention attributes.
func TestOneAdvertisementIsOneTrace(t *testing.T) {
	t.Parallel()
	col := &collector{spans: map[string][]span{}}
	otlp := httptest.NewServer(col)
	t.Cleanup(otlp.Close)
	ctx := t.Context()
	s, err := stack.Start(ctx, stack.Config{
		Clusters: stack.ClusterConfig{DataDir: t.TempDir()},
		Root:     repoRoot, Binaries: binaries, Log: sharedLog,
		Env: []string{
			"OTEL_TRACES_EXPORTER=otlp", "OTEL_METRICS_EXPORTER=none", "OTEL_LOGS_EXPORTER=none",
			"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf",
			"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=" + otlp.URL + "/v1/traces",
			"OTEL_BSP_SCHEDULE_DELAY=100",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})

	traceID, parent := make([]byte, 16), make([]byte, 8)
	_, _ = rand.Read(traceID)
	_, _ = rand.Read(parent)
	id := hex.EncodeToString(traceID)
	req := connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{
		GatewayId: "gw-lobby", Sequence: 1,
		Advertisements: []*blev1.ScannedAdvertisement{scanned(newAddress(t), ruuviDF5, time.Now())}}})
	req.Header().Set("traceparent", "00-"+id+"-"+hex.EncodeToString(parent)+"-01")
	if _, err := ingestClient(s).Ingest(ctx, req); err != nil {
		t.Fatal(err)
	}

	var want []string
	for _, n := range []string{"ble-ingest", "transformer", "enricher", "mirror-health", "analyzer"} {
		if _, running := s.URLs[n]; running {
			want = append(want, n)
		}
	}
	sort.Strings(want)
	deadline := time.Now().Add(waitFor)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		got := services(col.trace(id))
		if !slices.ContainsFunc(want, func(n string) bool { return !slices.Contains(got, n) }) {
			t.Logf("trace %s has spans from %v", id, got)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("trace %s has spans from %v, want %v", id, got, want)
		}
		<-tick.C
	}
	spans := col.trace(id)
	if !hasAttr(spans, "rpc.system") && !hasAttr(spans, "rpc.system.name") {
		t.Error("no span of the trace carries rpc.system: the RPC semantic conventions are missing")
	}
	if !hasAttr(spans, "messaging.system") && !hasAttr(spans, "messaging.system.name") {
		t.Error("no span of the trace carries messaging.system: the Kafka hops are not instrumented")
	}
}
