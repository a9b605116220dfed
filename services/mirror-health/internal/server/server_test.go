package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	grpcstatus "google.golang.org/grpc/status"

	mirrorv1 "github.com/bluestream/bluestream/gen/bluestream/mirror/v1"
	"github.com/bluestream/bluestream/gen/bluestream/mirror/v1/mirrorv1connect"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/rpcserver/rpctest"
	"github.com/bluestream/bluestream/services/mirror-health/internal/server"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

const (
	enriched = "ble.enriched.v1"
	other    = "other.v1"
)

var (
	flow = server.Flow{SourceAlias: "azure", TargetAlias: "aws"}
	t0   = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
)

// evaluations runs a real evaluator over three rounds in which enriched keeps
// up and other stalls, and returns the reports of the rounds.
func evaluations(t *testing.T) []status.Report {
	t.Helper()
	cfg := status.DefaultConfig()
	cfg.WindowSize = 3
	allow, err := status.NewAllowList(`ble\.enriched\.v1`, `other\.v1`)
	if err != nil {
		t.Fatal(err)
	}
	eval, err := status.NewEvaluator(cfg, status.Guard{SourceAlias: "azure", Allow: allow})
	if err != nil {
		t.Fatal(err)
	}
	var out []status.Report
	for i := range int64(3) {
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		for _, o := range []struct {
			topic           string
			end, replicated int64
		}{{enriched, 100 + 10*i, 100 + 10*i}, {other, 50 + 10*i, 40}} {
			if err := eval.Observe(status.PartitionKey{Topic: o.topic}, status.Observation{At: at, SourceEnd: o.end, Replicated: o.replicated, TargetEnd: o.replicated}); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, eval.Evaluate(status.Flow{At: at, LatestHeartbeat: at, ReplicationLatency: 1500 * time.Millisecond, HasReplicationLatency: true}))
	}
	return out
}

func start(t *testing.T, hub *server.Hub) string {
	t.Helper()
	return rpctest.Serve(t, rpctest.Telemetry(t, "mirror-health-test"), func(srv *rpcserver.Server) {
		impl := server.New(flow, []string{enriched, other}, hub)
		srv.Register(mirrorv1connect.MirrorHealthServiceName)(mirrorv1connect.NewMirrorHealthServiceHandler(impl, srv.HandlerOptions()...))
	})
}

func TestGetReplicationStatus(t *testing.T) {
	t.Parallel()
	hub := server.NewHub()
	addr := start(t, hub)
	client := mirrorv1connect.NewMirrorHealthServiceClient(http.DefaultClient, "http://"+addr)
	conn := rpctest.GRPCConn(t, addr)

	t.Run("before_first_evaluation", func(t *testing.T) {
		_, err := client.GetReplicationStatus(t.Context(), connect.NewRequest(&mirrorv1.GetReplicationStatusRequest{}))
		if connect.CodeOf(err) != connect.CodeUnavailable {
			t.Errorf("connect: %v, want unavailable", err)
		}
		var res mirrorv1.GetReplicationStatusResponse
		err = conn.Invoke(t.Context(), mirrorv1connect.MirrorHealthServiceGetReplicationStatusProcedure, &mirrorv1.GetReplicationStatusRequest{}, &res)
		if grpcstatus.Code(err) != codes.Unavailable {
			t.Errorf("grpc: %v, want Unavailable", err)
		}
	})

	reports := evaluations(t)
	hub.Publish(reports[len(reports)-1])

	t.Run("connect_client_whole_flow", func(t *testing.T) {
		res, err := client.GetReplicationStatus(t.Context(), connect.NewRequest(&mirrorv1.GetReplicationStatusRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		st := res.Msg.GetStatus()
		if st.GetStatus() != mirrorv1.Status_STATUS_ERR || st.GetRule() != string(status.RuleStalled) {
			t.Errorf("status %v/%s, want ERR/%s", st.GetStatus(), st.GetRule(), status.RuleStalled)
		}
		if st.GetSourceCluster() != "azure" || st.GetTargetCluster() != "aws" || !st.GetObservedAt().AsTime().Equal(t0.Add(20*time.Second)) {
			t.Errorf("flow %s->%s at %v", st.GetSourceCluster(), st.GetTargetCluster(), st.GetObservedAt().AsTime())
		}
		if st.GetHeartbeatLatencySeconds() != 1.5 {
			t.Errorf("heartbeat latency %v, want 1.5", st.GetHeartbeatLatencySeconds())
		}
		if len(st.GetPartitions()) != 2 {
			t.Fatalf("partitions %v, want 2", st.GetPartitions())
		}
		p := st.GetPartitions()[1] // sorted by topic: other.v1 second
		if p.GetSourceTopic() != other || p.GetTargetTopic() != "azure.other.v1" || p.GetStatus() != mirrorv1.Status_STATUS_STALL ||
			p.GetRule() != string(status.RuleStalled) || p.GetLagRecords() != 30 || p.GetSourceEndOffset() != 70 {
			t.Errorf("stalled partition = %v", p)
		}
	})
	t.Run("grpc_client_one_topic", func(t *testing.T) {
		var res mirrorv1.GetReplicationStatusResponse
		req := &mirrorv1.GetReplicationStatusRequest{Topics: []string{enriched}}
		if err := conn.Invoke(t.Context(), mirrorv1connect.MirrorHealthServiceGetReplicationStatusProcedure, req, &res); err != nil {
			t.Fatal(err)
		}
		st := res.GetStatus()
		if st.GetStatus() != mirrorv1.Status_STATUS_OK || len(st.GetPartitions()) != 1 || st.GetPartitions()[0].GetSourceTopic() != enriched {
			t.Errorf("ble.enriched.v1 alone: %v", st)
		}
	})
	t.Run("unknown_topic_is_named", func(t *testing.T) {
		req := &mirrorv1.GetReplicationStatusRequest{Topics: []string{enriched, "ble.advertisments.v1"}}
		_, err := client.GetReplicationStatus(t.Context(), connect.NewRequest(req))
		if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), `topics[1]: "ble.advertisments.v1"`) {
			t.Errorf("connect: %v, want invalid_argument naming topics[1]", err)
		}
		var res mirrorv1.GetReplicationStatusResponse
		err = conn.Invoke(t.Context(), mirrorv1connect.MirrorHealthServiceGetReplicationStatusProcedure, req, &res)
		if grpcstatus.Code(err) != codes.InvalidArgument {
			t.Errorf("grpc: %v, want InvalidArgument", err)
		}
	})
}

func TestWatchReplicationStatusStreamsEachEvaluation(t *testing.T) {
	t.Parallel()
	hub := server.NewHub()
	addr := start(t, hub)
	reports := evaluations(t)
	hub.Publish(reports[0])

	t.Run("connect_client", func(t *testing.T) {
		client := mirrorv1connect.NewMirrorHealthServiceClient(http.DefaultClient, "http://"+addr)
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.WatchReplicationStatus(ctx, connect.NewRequest(&mirrorv1.WatchReplicationStatusRequest{Topics: []string{other}}))
		if err != nil {
			t.Fatal(err)
		}
		defer stream.Close()
		var got []*mirrorv1.ReplicationStatus
		for len(got) < len(reports) && stream.Receive() {
			got = append(got, stream.Msg().GetStatus())
			// Publish the next round only once this one arrived, so none is
			// skipped as stale.
			if len(got) < len(reports) {
				hub.Publish(reports[len(got)])
			}
		}
		if len(got) != len(reports) {
			t.Fatalf("received %d statuses (%v), want %d", len(got), stream.Err(), len(reports))
		}
		// other.v1 is OK while its window fills, then stalls.
		if got[0].GetStatus() != mirrorv1.Status_STATUS_OK || got[2].GetStatus() != mirrorv1.Status_STATUS_ERR || got[2].GetRule() != string(status.RuleStalled) {
			t.Errorf("statuses %v/%v, want OK then ERR/%s", got[0].GetStatus(), got[2].GetStatus(), status.RuleStalled)
		}
	})
	t.Run("grpc_client", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		desc := &grpc.StreamDesc{StreamName: "WatchReplicationStatus", ServerStreams: true}
		stream, err := rpctest.GRPCConn(t, addr).NewStream(ctx, desc, mirrorv1connect.MirrorHealthServiceWatchReplicationStatusProcedure)
		if err != nil {
			t.Fatal(err)
		}
		if err := stream.SendMsg(&mirrorv1.WatchReplicationStatusRequest{}); err != nil {
			t.Fatal(err)
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatal(err)
		}
		// The newest evaluation comes at once.
		var res mirrorv1.WatchReplicationStatusResponse
		if err := stream.RecvMsg(&res); err != nil {
			t.Fatal(err)
		}
		if len(res.GetStatus().GetPartitions()) != 2 || res.GetStatus().GetObservedAt() == nil {
			t.Errorf("first streamed status = %v", res.GetStatus())
		}
	})
}
