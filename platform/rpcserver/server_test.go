package rpcserver_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/rpcserver/rpctest"
)

// countingIngest answers how many advertisements a batch carried.
type countingIngest struct {
	ingestv1connect.UnimplementedIngestServiceHandler
}

func (countingIngest) Ingest(_ context.Context, req *connect.Request[ingestv1.IngestRequest]) (*connect.Response[ingestv1.IngestResponse], error) {
	return connect.NewResponse(&ingestv1.IngestResponse{Accepted: uint32(len(req.Msg.GetBatch().GetAdvertisements()))}), nil
}

func startServer(t *testing.T) string {
	t.Helper()
	return rpctest.Serve(t, rpctest.Telemetry(t, "rpcserver-test"), func(srv *rpcserver.Server) {
		srv.Register(ingestv1connect.IngestServiceName)(ingestv1connect.NewIngestServiceHandler(countingIngest{}, srv.HandlerOptions()...))
	})
}

func validBatch(n int) *ingestv1.IngestRequest {
	b := &ingestv1.Batch{GatewayId: "gw-1", Sequence: 1}
	for range n {
		b.Advertisements = append(b.Advertisements, &blev1.ScannedAdvertisement{
			ScannedAt:   timestamppb.Now(),
			Address:     []byte{0xc0, 1, 2, 3, 4, 5},
			AddressType: blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
			Rssi:        -60,
			EventType:   blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_NONCONN_IND,
			Payload:     []byte{0x02, 0x01, 0x06},
		})
	}
	return &ingestv1.IngestRequest{Batch: b}
}

func TestSameHandlerAnswersConnectAndGRPC(t *testing.T) {
	t.Parallel()
	addr := startServer(t)

	t.Run("connect_client", func(t *testing.T) {
		client := ingestv1connect.NewIngestServiceClient(http.DefaultClient, "http://"+addr)
		res, err := client.Ingest(t.Context(), connect.NewRequest(validBatch(3)))
		if err != nil {
			t.Fatal(err)
		}
		if res.Msg.GetAccepted() != 3 {
			t.Errorf("accepted = %d, want 3", res.Msg.GetAccepted())
		}
	})
	t.Run("grpc_client", func(t *testing.T) {
		var res ingestv1.IngestResponse
		err := rpctest.GRPCConn(t, addr).Invoke(t.Context(), ingestv1connect.IngestServiceIngestProcedure, validBatch(2), &res)
		if err != nil {
			t.Fatal(err)
		}
		if res.GetAccepted() != 2 {
			t.Errorf("accepted = %d, want 2", res.GetAccepted())
		}
	})
	t.Run("grpc_web_client", func(t *testing.T) {
		client := ingestv1connect.NewIngestServiceClient(http.DefaultClient, "http://"+addr, connect.WithGRPCWeb())
		res, err := client.Ingest(t.Context(), connect.NewRequest(validBatch(1)))
		if err != nil {
			t.Fatal(err)
		}
		if res.Msg.GetAccepted() != 1 {
			t.Errorf("accepted = %d, want 1", res.Msg.GetAccepted())
		}
	})
}

func TestInvalidRequestNamesTheField(t *testing.T) {
	t.Parallel()
	addr := startServer(t)
	bad := validBatch(1)
	bad.Batch.GatewayId = ""
	bad.Batch.Advertisements[0].Payload = make([]byte, 40) // legacy: at most 31

	client := ingestv1connect.NewIngestServiceClient(http.DefaultClient, "http://"+addr)
	_, err := client.Ingest(t.Context(), connect.NewRequest(bad))
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("connect: got %v, want invalid_argument", err)
	}
	for _, field := range []string{"batch.gateway_id", "batch.advertisements[0]", "at most 31 bytes"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("connect error %q does not name %s", err, field)
		}
	}

	var res ingestv1.IngestResponse
	err = rpctest.GRPCConn(t, addr).Invoke(t.Context(), ingestv1connect.IngestServiceIngestProcedure, bad, &res)
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "batch.gateway_id") {
		t.Fatalf("grpc: got %v, want InvalidArgument naming batch.gateway_id", err)
	}
}

func TestHealthAndReflectionAnswer(t *testing.T) {
	t.Parallel()
	addr := startServer(t)
	conn := rpctest.GRPCConn(t, addr)

	hc, err := healthpb.NewHealthClient(conn).Check(t.Context(), &healthpb.HealthCheckRequest{Service: ingestv1connect.IngestServiceName})
	if err != nil {
		t.Fatal(err)
	}
	if hc.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health = %v, want SERVING", hc.GetStatus())
	}
	_, err = healthpb.NewHealthClient(conn).Check(t.Context(), &healthpb.HealthCheckRequest{Service: "no.such.Service"})
	if status.Code(err) != codes.NotFound {
		t.Errorf("health of unknown service: got %v, want NotFound", err)
	}

	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatal(err)
	}
	resp, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	if !strings.Contains(strings.Join(names, ","), ingestv1connect.IngestServiceName) {
		t.Errorf("reflection lists %v, want %s", names, ingestv1connect.IngestServiceName)
	}
	_ = stream.CloseSend()
}

func TestConfigValidateNamesTheSetting(t *testing.T) {
	t.Parallel()
	err := rpcserver.Config{Addr: "8080", ShutdownTimeout: time.Second}.Validate()
	if err == nil || !strings.Contains(err.Error(), "--listen-addr (BLUESTREAM_LISTEN_ADDR)") {
		t.Fatalf("got %v, want the listen address named", err)
	}
}

// TestShutdownEndsWithinTheBudget: a connection that never sends a request
// must not hold the server past its shutdown timeout.
func TestShutdownEndsWithinTheBudget(t *testing.T) {
	t.Parallel()
	srv, err := rpcserver.New(rpcserver.Config{Addr: "127.0.0.1:0", ShutdownTimeout: 100 * time.Millisecond}, rpctest.Telemetry(t, "rpcserver-test"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	silent, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	// A request on another connection proves the server is serving before
	// the shutdown starts.
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("server still running 4 s after shutdown began with a 100 ms budget")
	}
}
