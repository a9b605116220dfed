package serverlesstest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluestream/bluestream/platform/serverless/awslambda"
)

// RuntimeAPI is a local server speaking the Lambda Runtime API
// (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) the way the
// Lambda service does to a provided.al2023 bootstrap: the runtime long-polls
// /next for an event and posts the answer to /response or /error.
type RuntimeAPI struct {
	function string
	srv      *httptest.Server
	events   chan []byte
	results  chan Result
	done     chan struct{}
	seq      atomic.Int64
}

// Result is what the runtime posted for one invocation.
type Result struct {
	RequestID string
	Kind      string // "response", "error" or "init-error"
	Body      []byte
	ErrorType string
}

// NewRuntimeAPI serves the Runtime API for the function named function
// until the test ends.
func NewRuntimeAPI(t testing.TB, function string) *RuntimeAPI {
	t.Helper()
	api := &RuntimeAPI{function: function, events: make(chan []byte), results: make(chan Result, 4), done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", api.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", api.post("response"))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", api.post("error"))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", api.post("init-error"))
	// The Extensions API: aws-lambda-go registers an internal extension to
	// hear of SIGTERM (lambda.WithEnableSIGTERM); shutdown events never come.
	mux.HandleFunc("POST /2020-01-01/extension/register", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Lambda-Extension-Identifier", "ext-"+r.Header.Get("Lambda-Extension-Name"))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"functionName": function, "functionVersion": "$LATEST", "handler": "bootstrap"})
	})
	mux.HandleFunc("GET /2020-01-01/extension/event/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-api.done:
		case <-r.Context().Done():
		}
		http.Error(w, "shutting down", http.StatusGone)
	})
	api.srv = httptest.NewServer(mux)
	t.Cleanup(api.srv.Close)
	// Registered after Close, so it runs first: a runtime still waiting in
	// /next is released before the server waits for its handlers.
	t.Cleanup(func() { close(api.done) })
	return api
}

// Addr is the AWS_LAMBDA_RUNTIME_API value: host:port, no scheme.
func (api *RuntimeAPI) Addr() string { return strings.TrimPrefix(api.srv.URL, "http://") }

func (api *RuntimeAPI) next(w http.ResponseWriter, r *http.Request) {
	select {
	case ev := <-api.events:
		id := fmt.Sprintf("req-%d", api.seq.Add(1))
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-central-1:123456789012:function:"+api.function)
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
		h.Set("Content-Type", "application/json")
		_, _ = w.Write(ev)
	case <-api.done:
		http.Error(w, "shutting down", http.StatusGone)
	case <-r.Context().Done():
	}
}

func (api *RuntimeAPI) post(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		api.results <- Result{
			RequestID: r.PathValue("id"),
			Kind:      kind,
			Body:      body,
			ErrorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"),
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

// Invoke hands the runtime one event and waits for its answer.
func (api *RuntimeAPI) Invoke(t testing.TB, event []byte) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	select {
	case api.events <- event:
	case res := <-api.results:
		t.Fatalf("runtime answered %s before any invocation: %s", res.Kind, res.Body)
	case <-ctx.Done():
		t.Fatal("the runtime never asked for an invocation")
	}
	select {
	case res := <-api.results:
		return res
	case <-ctx.Done():
		t.Fatal("the runtime never answered the invocation")
	}
	return Result{}
}

// Response decodes a Kafka event's answer; any other kind of result fails
// the test.
func (res Result) Response(t testing.TB) awslambda.Response {
	t.Helper()
	var resp awslambda.Response
	res.Decode(t, &resp)
	return resp
}

// Decode unmarshals a successful invocation's answer into v; any other
// kind of result fails the test.
func (res Result) Decode(t testing.TB, v any) {
	t.Helper()
	if res.Kind != "response" {
		t.Fatalf("runtime posted %s (%s): %s, want a response", res.Kind, res.ErrorType, res.Body)
	}
	if err := json.Unmarshal(res.Body, v); err != nil {
		t.Fatalf("response %s: %v", res.Body, err)
	}
}

// ErrorMessage is a failed invocation's errorMessage; any other kind of
// result fails the test.
func (res Result) ErrorMessage(t testing.TB) string {
	t.Helper()
	if res.Kind != "error" {
		t.Fatalf("runtime posted %s: %s, want an error", res.Kind, res.Body)
	}
	var body struct {
		ErrorMessage string `json:"errorMessage"`
	}
	if err := json.Unmarshal(res.Body, &body); err != nil {
		t.Fatalf("error body %s: %v", res.Body, err)
	}
	return body.ErrorMessage
}

// Failures lists a response's batch item failures.
func Failures(resp awslambda.Response) []awslambda.ItemIdentifier {
	var out []awslambda.ItemIdentifier
	for _, f := range resp.BatchItemFailures {
		out = append(out, f.ItemIdentifier)
	}
	return out
}
