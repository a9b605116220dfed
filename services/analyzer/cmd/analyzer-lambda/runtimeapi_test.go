package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// runtimeAPI is a local server speaking the Lambda Runtime API
// (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) the way the
// Lambda service does to a provided.al2023 bootstrap: the runtime long-polls
// /next for an event and posts the answer to /response or /error.
type runtimeAPI struct {
	srv     *httptest.Server
	events  chan []byte
	results chan result
	done    chan struct{}
	seq     atomic.Int64
}

// result is what the runtime posted for one invocation.
type result struct {
	requestID string
	kind      string // "response", "error" or "init-error"
	body      []byte
	errorType string
}

const functionARN = "arn:aws:lambda:eu-central-1:123456789012:function:analyzer"

func newRuntimeAPI(t *testing.T) *runtimeAPI {
	t.Helper()
	api := &runtimeAPI{events: make(chan []byte), results: make(chan result, 4), done: make(chan struct{})}
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
		_, _ = w.Write([]byte(`{"functionName":"analyzer","functionVersion":"$LATEST","handler":"bootstrap"}`))
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

// addr is the AWS_LAMBDA_RUNTIME_API value: host:port, no scheme.
func (api *runtimeAPI) addr() string { return strings.TrimPrefix(api.srv.URL, "http://") }

func (api *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	select {
	case ev := <-api.events:
		id := fmt.Sprintf("req-%d", api.seq.Add(1))
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", functionARN)
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
		h.Set("Content-Type", "application/json")
		_, _ = w.Write(ev)
	case <-api.done:
		http.Error(w, "shutting down", http.StatusGone)
	case <-r.Context().Done():
	}
}

func (api *runtimeAPI) post(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		api.results <- result{
			requestID: r.PathValue("id"),
			kind:      kind,
			body:      body,
			errorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"),
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

// invoke hands the runtime one event and waits for its answer.
func (api *runtimeAPI) invoke(t *testing.T, event []byte) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	select {
	case api.events <- event:
	case res := <-api.results:
		t.Fatalf("runtime answered %s before any invocation: %s", res.kind, res.body)
	case <-ctx.Done():
		t.Fatal("the runtime never asked for an invocation")
	}
	select {
	case res := <-api.results:
		return res
	case <-ctx.Done():
		t.Fatal("the runtime never answered the invocation")
	}
	return result{}
}
