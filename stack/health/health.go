// Package health waits for a service to answer the standard gRPC health check
// (grpc.health.v1) as SERVING, the same check Kubernetes probes make.
package health

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"connectrpc.com/connect"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// CheckProcedure is the gRPC health check's full method name.
const CheckProcedure = "/grpc.health.v1.Health/Check"

// Check asks baseURL once whether service ("" for the whole server) is serving.
func Check(ctx context.Context, hc *http.Client, baseURL, service string) (healthpb.HealthCheckResponse_ServingStatus, error) {
	client := connect.NewClient[healthpb.HealthCheckRequest, healthpb.HealthCheckResponse](hc, baseURL+CheckProcedure, connect.WithGRPC())
	res, err := client.CallUnary(ctx, connect.NewRequest(&healthpb.HealthCheckRequest{Service: service}))
	if err != nil {
		return healthpb.HealthCheckResponse_UNKNOWN, err
	}
	return res.Msg.GetStatus(), nil
}

// Wait polls until the server is SERVING or ctx ends, returning the last reason
// it was not.
func Wait(ctx context.Context, hc *http.Client, baseURL string) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		status, err := Check(ctx, hc, baseURL, "")
		if err == nil && status == healthpb.HealthCheckResponse_SERVING {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("status %s", status)
		}
		if last == nil || !cutShort(err) {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s to be healthy: %w (last: %v)", baseURL, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// cutShort reports an error that only says the caller's time ran out (the server
// may answer deadline_exceeded a moment before the local context expires), which
// says nothing about the server's health.
func cutShort(err error) bool {
	code := connect.CodeOf(err)
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		code == connect.CodeDeadlineExceeded || code == connect.CodeCanceled
}
