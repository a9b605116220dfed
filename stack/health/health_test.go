package health_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"connectrpc.com/grpchealth"

	"github.com/bluestream/bluestream/stack/h2c"
	"github.com/bluestream/bluestream/stack/health"
)

func server(t *testing.T, checker grpchealth.Checker) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(grpchealth.NewHandler(checker))
	srv := httptest.NewUnstartedServer(mux)
	srv.EnableHTTP2 = true
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestWaitReturnsOnceServing(t *testing.T) {
	t.Parallel()
	checker := grpchealth.NewStaticChecker()
	checker.SetStatus("", grpchealth.StatusNotServing)
	url := server(t, checker)
	if status, err := health.Check(t.Context(), h2c.Client(), url, ""); err != nil || status.String() != "NOT_SERVING" {
		t.Fatalf("Check = %v, %v; want NOT_SERVING", status, err)
	}
	done := make(chan error, 1)
	go func() { done <- health.Wait(t.Context(), h2c.Client(), url) }()
	checker.SetStatus("", grpchealth.StatusServing)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestWaitGivesUpWithTheLastReason(t *testing.T) {
	t.Parallel()
	checker := grpchealth.NewStaticChecker()
	checker.SetStatus("", grpchealth.StatusNotServing)
	url := server(t, checker)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	err := health.Wait(ctx, h2c.Client(), url)
	if err == nil {
		t.Fatal("Wait returned nil for a server that never serves")
	}
	if got := err.Error(); !strings.Contains(got, "NOT_SERVING") {
		t.Fatalf("error %q does not say why", got)
	}
}
