package server_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"google.golang.org/grpc"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/rpcserver/rpctest"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/publish"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/server"
)

var receivedAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// harness is one ble-ingest server, as production mounts it, over an embedded
// cluster.
type harness struct {
	addr     string
	cluster  *kafkatest.Cluster
	tel      *telemetry.Telemetry
	ingester *ingest.Ingester
	failing  atomic.Bool // while set, the broker answers every produce with an error
}

func newHarness(t testing.TB, cfg ingest.Config) *harness {
	t.Helper()
	h := &harness{cluster: kafkatest.New(t, "azure", kfake.SeedTopics(3, topic.Advertisements))}
	h.cluster.ControlKey(kmsg.Produce.Int16(), func(req kmsg.Request) (kmsg.Response, error, bool) {
		h.cluster.KeepControl()
		if !h.failing.Load() {
			return nil, nil, false
		}
		return failProduce(req.(*kmsg.ProduceRequest)), nil, true
	})
	tel, err := telemetry.Setup(context.Background(), "ble-ingest-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(&strings.Builder{}))
	if err != nil {
		t.Fatal(err)
	}
	h.tel = tel
	client, err := eventbus.NewClient(h.cluster.Config(), tel, "//bluestream/ble-ingest", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return receivedAt }
	}
	if h.ingester, err = ingest.New(cfg, publish.Kafka{Client: client, Topic: topic.Advertisements}); err != nil {
		t.Fatal(err)
	}
	h.addr = rpctest.Serve(t, tel, func(srv *rpcserver.Server) {
		srv.Register(ingestv1connect.IngestServiceName)(ingestv1connect.NewIngestServiceHandler(server.New(h.ingester), srv.HandlerOptions()...))
	})
	return h
}

// failProduce answers a produce request with a retriable error on every
// partition, as a broker that lost its replicas would.
func failProduce(req *kmsg.ProduceRequest) kmsg.Response {
	resp := req.ResponseKind().(*kmsg.ProduceResponse)
	for _, rt := range req.Topics {
		st := kmsg.NewProduceResponseTopic()
		st.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			sp := kmsg.NewProduceResponseTopicPartition()
			sp.Partition = rp.Partition
			sp.ErrorCode = 19 // NOT_ENOUGH_REPLICAS
			st.Partitions = append(st.Partitions, sp)
		}
		resp.Topics = append(resp.Topics, st)
	}
	return resp
}

func (h *harness) connectClient() ingestv1connect.IngestServiceClient {
	return ingestv1connect.NewIngestServiceClient(http.DefaultClient, "http://"+h.addr)
}

func (h *harness) grpcConn(t testing.TB) *grpc.ClientConn {
	t.Helper()
	return rpctest.GRPCConn(t, h.addr)
}

// published counts the records on the topic from the partitions' end offsets,
// so a test sees records it did not expect too.
func (h *harness) published(t testing.TB) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(h.cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	offs, err := kadm.NewClient(cl).ListEndOffsets(context.Background(), topic.Advertisements)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	offs.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n
}

// consume reads n events from the topic, failing at a deadline, and checks each
// against the contract.
func (h *harness) consume(t testing.TB, n int) ([]*kgo.Record, []*blev1.AdvertisementReceived) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(h.cluster.ListenAddrs()...), kgo.ConsumeTopics(topic.Advertisements),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var recs []*kgo.Record
	var events []*blev1.AdvertisementReceived
	for len(recs) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consumed %d of %d events before the deadline", len(recs), n)
		}
		if err := eventbus.FetchErrors(fs); err != nil {
			t.Fatal(err)
		}
		for _, r := range fs.Records() {
			var e blev1.AdvertisementReceived
			if err := eventbus.Decode(r, &e); err != nil {
				t.Fatalf("record at %s[%d]@%d: %v", r.Topic, r.Partition, r.Offset, err)
			}
			recs, events = append(recs, r), append(events, &e)
		}
	}
	return recs, events
}
