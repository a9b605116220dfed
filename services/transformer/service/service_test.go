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
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	transformerv1 "github.com/bluestream/bluestream/gen/bluestream/transformer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/transformer/v1/transformerv1connect"
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/transformer/service"
)

func noEnv(string) (string, bool) { return "", false }

func quietTelemetry(t *testing.T) *telemetry.Telemetry {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "transformer-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(&strings.Builder{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return tel
}

func TestInvalidSettingsNameTheFlag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no_brokers", args: []string{"--kafka-brokers", ""}, want: "--kafka-brokers (BLUESTREAM_KAFKA_BROKERS)"},
		{name: "empty_transactional_id", args: []string{"--transactional-id", ""}, want: "--transactional-id (BLUESTREAM_TRANSACTIONAL_ID): must not be empty"},
		{name: "empty_group", args: []string{"--group", ""}, want: "--group"},
		{name: "loop", args: []string{"--output-topic", topic.Advertisements}, want: "--output-topic (BLUESTREAM_OUTPUT_TOPIC): must differ"},
		{name: "missing_plugin_dir", args: []string{"--plugin-dir", "/nonexistent/plugins"}, want: "--plugin-dir (BLUESTREAM_PLUGIN_DIR)"},
		{name: "zero_plugin_timeout", args: []string{"--plugin-timeout", "0s"}, want: "--plugin-timeout"},
		{name: "plugin_memory_too_big", args: []string{"--plugin-memory-mib", "5000"}, want: "--plugin-memory-mib"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := app.Run(t.Context(), "transformer", tt.args, service.New(), app.Options{Env: noEnv})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestServiceDecodesStreamAndServesAPI runs the whole process against an
// embedded cluster: an advertisement in, a reading out, and the API answering
// on the same port.
func TestServiceDecodesStreamAndServesAPI(t *testing.T) {
	t.Parallel()
	tel := quietTelemetry(t)
	cluster := kafkatest.New(t, "azure", kfake.SeedTopics(2, topic.Advertisements, topic.Readings, topic.DLQ(topic.Advertisements)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	args := []string{"--kafka-brokers", strings.Join(cluster.ListenAddrs(), ","), "--transactional-id", "transformer-test"}
	go func() {
		done <- app.Run(ctx, "transformer", args, service.New(), app.Options{Listener: ln, Telemetry: tel, Env: noEnv, Ready: func(a net.Addr) { ready <- a }})
	}()
	var addr net.Addr
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("service stopped before it was ready: %v", err)
	}

	pub, err := eventbus.NewClient(cluster.Config(), tel, "//test/ble-ingest", "")
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	adv := &blev1.AdvertisementReceived{
		GatewayId: "gw-1", ReceivedAt: timestamppb.New(at), Source: blev1.SourceKind_SOURCE_KIND_GATEWAY,
		Advertisement: &blev1.ScannedAdvertisement{
			ScannedAt: timestamppb.New(at), Address: []byte{0xc1, 2, 3, 4, 5, 6}, AddressType: blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
			Rssi: -70, EventType: blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_NONCONN_IND,
			Payload: []byte{0x02, 0x01, 0x06, 0x0a, 0x16, 0xd2, 0xfc, 0x40, 0x02, 0xca, 0x09, 0x03, 0xbf, 0x13},
		},
	}
	if err := pub.Publish(t.Context(), eventbus.Event{Topic: topic.Advertisements, Key: "c1:02:03:04:05:06", Msg: adv}); err != nil {
		t.Fatal(err)
	}

	reader, err := eventbus.NewClient(cluster.Config(), tel, "//test", "", kgo.ConsumeTopics(topic.Readings),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	pctx, pcancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer pcancel()
	var recs []*kgo.Record
	for len(recs) == 0 {
		fs := reader.PollFetches(pctx)
		if pctx.Err() != nil {
			t.Fatal("no reading before the deadline")
		}
		recs = fs.Records()
	}
	var reading blev1.ReadingDecoded
	if err := eventbus.Decode(recs[0], &reading); err != nil {
		t.Fatal(err)
	}
	if len(reading.GetDecoded().GetMeasurements()) != 2 || string(recs[0].Key) != "c1:02:03:04:05:06" {
		t.Errorf("reading %v key %q", &reading, recs[0].Key)
	}

	client := transformerv1connect.NewTransformerServiceClient(http.DefaultClient, "http://"+addr.String())
	res, err := client.Decode(t.Context(), connect.NewRequest(&transformerv1.DecodeRequest{Payload: adv.GetAdvertisement().GetPayload()}))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Msg.GetDecoded().GetFormats(); len(got) != 1 || got[0] != "bthome-v2" {
		t.Errorf("Decode formats %v, want bthome-v2", got)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("service: %v", err)
	}
}
