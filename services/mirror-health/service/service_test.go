package service_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kfake"

	mirrorv1 "github.com/bluestream/bluestream/gen/bluestream/mirror/v1"
	"github.com/bluestream/bluestream/gen/bluestream/mirror/v1/mirrorv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/mirror-health/service"
)

func noEnv(string) (string, bool) { return "", false }

// TestMirrorModeServesHealthyStatus runs the binary's service with the
// built-in mirror between two embedded clusters and asks it over RPC.
func TestMirrorModeServesHealthyStatus(t *testing.T) {
	t.Parallel()
	src := kafkatest.New(t, "azure", kfake.SeedTopics(2, kafkatest.PrimaryTopics()...))
	tgt := kafkatest.New(t, "aws", kfake.SeedTopics(2, kafkatest.MirrorTopics("azure")...))
	tel, err := telemetry.Setup(t.Context(), "mirror-health", telemetry.WithoutGlobals(), telemetry.WithLogOutput(testWriter{t}))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{
		"--source-kafka-brokers", strings.Join(src.ListenAddrs(), ","),
		"--target-kafka-brokers", strings.Join(tgt.ListenAddrs(), ","),
		"--mirror", "--interval", "100ms", "--window-size", "3",
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	ready := make(chan net.Addr, 1)
	go func() {
		done <- app.Run(ctx, "mirror-health", args, service.New(), app.Options{Listener: ln, Telemetry: tel, Env: noEnv, Ready: func(a net.Addr) { ready <- a }})
	}()
	var addr net.Addr
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	client := mirrorv1connect.NewMirrorHealthServiceClient(http.DefaultClient, "http://"+addr.String())
	deadline := time.Now().Add(30 * time.Second)
	var last *mirrorv1.ReplicationStatus
	for last.GetStatus() != mirrorv1.Status_STATUS_OK || len(last.GetPartitions()) != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no OK status within 30s; last %v", last)
		}
		select {
		case err := <-done:
			t.Fatalf("service stopped: %v", err)
		default:
		}
		res, err := client.GetReplicationStatus(t.Context(), connect.NewRequest(&mirrorv1.GetReplicationStatusRequest{Topics: []string{topic.Enriched}}))
		if err == nil {
			last = res.Msg.GetStatus()
		} else if connect.CodeOf(err) != connect.CodeUnavailable {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestInvalidSettingsNameTheFlag(t *testing.T) {
	t.Parallel()
	args := []string{"--source-kafka-brokers", "nohost", "--target-alias", "azure", "--interval", "0s",
		"--allow-list", "(", "--offset-syncs", "left", "--topics", "ble.advertisements.v1"}
	err := app.Run(t.Context(), "mirror-health", args, service.New(), app.Options{Env: noEnv})
	for _, want := range []string{"--source-kafka-brokers", "--target-alias", "--interval", "--allow-list", "--offset-syncs"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to name %s", err, want)
		}
	}
	err = app.Run(t.Context(), "mirror-health", []string{"--topics", "ble.advertisements.v1"}, service.New(), app.Options{Env: noEnv})
	if err == nil || !strings.Contains(err.Error(), `--topics (BLUESTREAM_TOPICS): "ble.advertisements.v1" is not on --allow-list`) {
		t.Errorf("got %v, want the unlisted topic named", err)
	}
}

// testWriter sends the service's logs to the test log, shown on failure.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
