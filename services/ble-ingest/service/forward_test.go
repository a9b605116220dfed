package service_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/logbuf"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/service"
)

// serve runs one ble-ingest until the returned stop is called, which returns
// Run's error.
func serve(t *testing.T, args []string, logs *logbuf.Buffer) (addr string, stop func() error) {
	t.Helper()
	tel, err := telemetry.Setup(context.Background(), "ble-ingest", telemetry.WithoutGlobals(), telemetry.WithLogOutput(logs))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, "ble-ingest", append([]string{"--listen-addr=127.0.0.1:0"}, args...), service.New(), app.Options{
			Env: noEnv, Telemetry: tel, Ready: func(a net.Addr) { ready <- a.String() },
		})
	}()
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("ble-ingest %v: %v", args, err)
	}
	var once sync.Once
	var result error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("ble-ingest %v did not stop", args)
			}
		})
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return addr, stop
}

// A gateway ble-ingest, given no Kafka at all, forwards its simulated fleet
// to a primary ble-ingest, which publishes it; on shutdown the gateway
// delivers what it still held.
func TestGatewayForwardsItsSourcesToTheRemoteIngestService(t *testing.T) {
	t.Parallel()
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(3, topic.Advertisements))
	primary, _ := serve(t, []string{"--kafka-brokers=" + strings.Join(cluster.ListenAddrs(), ",")}, &logbuf.Buffer{})

	var gwLogs logbuf.Buffer
	_, stopGateway := serve(t, []string{
		"--ingest-endpoint=http://" + primary, "--kafka-brokers=",
		"--simulate", "--simulate-speed=0", "--simulate-for=30s", "--simulate-fleet=10",
	}, &gwLogs)

	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ConsumeTopics(topic.Advertisements),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	gateways := map[string]bool{}
	for len(gateways) < 4 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("events from gateways %v before the deadline; gateway log:\n%s", gateways, gwLogs.String())
		}
		if err := eventbus.FetchErrors(fs); err != nil {
			t.Fatal(err)
		}
		for _, r := range fs.Records() {
			var e blev1.AdvertisementReceived
			if err := eventbus.Decode(r, &e); err != nil {
				t.Fatal(err)
			}
			gateways[e.GetGatewayId()] = true
		}
	}
	if err := stopGateway(); err != nil {
		t.Fatalf("gateway: %v\n%s", err, gwLogs.String())
	}
	if logs := gwLogs.String(); !strings.Contains(logs, `"msg":"forwarding stopped"`) || !strings.Contains(logs, `"unsent":0`) {
		t.Errorf("gateway log lacks a clean forwarding stop:\n%s", logs)
	}
}

func TestGatewaySettingsNameTheFlag(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		flag string
	}{
		{[]string{"--ingest-endpoint=http://primary:8080"}, "ingest-endpoint"},
		{[]string{"--ingest-endpoint=ftp://primary", "--simulate"}, "ingest-endpoint"},
		{[]string{"--ingest-endpoint=https://primary", "--simulate", "--ingest-buffer=10"}, "ingest-buffer"},
		{[]string{"--ingest-endpoint=https://primary", "--simulate", "--ingest-tls-cert=/nonexistent/client.crt", "--ingest-tls-key=/nonexistent/client.key"}, "ingest-tls-cert"},
	} {
		err := app.Run(t.Context(), "ble-ingest", tt.args, service.New(), app.Options{Env: noEnv})
		if err == nil || !strings.Contains(err.Error(), "--"+tt.flag) {
			t.Errorf("%v: %v, want an error naming --%s", tt.args, err, tt.flag)
		}
	}
}
