package forward_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/publish"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/server"
)

var start = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// remote is a real ble-ingest IngestService, mounted as production mounts it,
// publishing to an embedded Kafka cluster, behind a front that can fail
// requests the way a load balancer or a lossy uplink would.
type remote struct {
	*httptest.Server
	cluster *kafkatest.Cluster

	mu sync.Mutex
	// down answers every request with 503 while set.
	down bool
	// loseReplies publishes the next n streams, then resets them, as a
	// connection lost after the work was done.
	loseReplies int
	// refused is signalled (without blocking) at each request turned away.
	refused chan struct{}
	// seen records each request's protocol and client certificate.
	protos   []string
	peerCNs  []string
	requests int
}

func newRemote(t *testing.T, tlsServer func(*httptest.Server)) *remote {
	t.Helper()
	r := &remote{cluster: kafkatest.New(t, "azure", kfake.SeedTopics(3, topic.Advertisements)), refused: make(chan struct{}, 1)}
	tel, err := telemetry.Setup(context.Background(), "ble-ingest-remote", telemetry.WithoutGlobals(), telemetry.WithLogOutput(&strings.Builder{}))
	if err != nil {
		t.Fatal(err)
	}
	client, err := eventbus.NewClient(r.cluster.Config(), tel, "//bluestream/ble-ingest", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	in, err := ingest.New(ingest.Config{}, publish.Kafka{Client: client, Topic: topic.Advertisements})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := rpcserver.New(rpcserver.Config{Addr: "127.0.0.1:0", ShutdownTimeout: time.Second}, tel)
	if err != nil {
		t.Fatal(err)
	}
	srv.Register(ingestv1connect.IngestServiceName)(ingestv1connect.NewIngestServiceHandler(server.New(in), srv.HandlerOptions()...))
	r.Server = httptest.NewUnstartedServer(r.front(srv.Handler()))
	if tlsServer != nil {
		tlsServer(r.Server)
	} else {
		var p http.Protocols
		p.SetHTTP1(true)
		p.SetUnencryptedHTTP2(true)
		r.Config.Protocols = &p
		r.Start()
	}
	t.Cleanup(r.Close)
	return r
}

func (r *remote) front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests++
		r.protos = append(r.protos, req.Proto)
		if req.TLS != nil && len(req.TLS.PeerCertificates) > 0 {
			r.peerCNs = append(r.peerCNs, req.TLS.PeerCertificates[0].Subject.CommonName)
		}
		down := r.down
		lose := r.loseReplies > 0 && req.URL.Path == ingestv1connect.IngestServiceIngestStreamProcedure
		if lose {
			r.loseReplies--
		}
		r.mu.Unlock()
		switch {
		case down:
			select {
			case r.refused <- struct{}{}:
			default:
			}
			http.Error(w, "upstream unavailable", http.StatusServiceUnavailable)
		case lose:
			next.ServeHTTP(httptest.NewRecorder(), req)
			panic(http.ErrAbortHandler) // resets the stream: the client never sees the reply
		default:
			next.ServeHTTP(w, req)
		}
	})
}

func (r *remote) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

// consume reads every event on the topic: the end offsets say how many there
// are, so events the test did not expect are read too.
func (r *remote) consume(t *testing.T) []*blev1.AdvertisementReceived {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(r.cluster.ListenAddrs()...), kgo.ConsumeTopics(topic.Advertisements),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic.Advertisements)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	offs.Each(func(o kadm.ListedOffset) { want += o.Offset })
	var out []*blev1.AdvertisementReceived
	for int64(len(out)) < want {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consumed %d of %d events before the deadline", len(out), want)
		}
		if err := eventbus.FetchErrors(fs); err != nil {
			t.Fatal(err)
		}
		for _, rec := range fs.Records() {
			var e blev1.AdvertisementReceived
			if err := eventbus.Decode(rec, &e); err != nil {
				t.Fatal(err)
			}
			out = append(out, &e)
		}
	}
	return out
}

// ad is device dev's n-th advertisement heard by gateway gw; n is in the
// payload so a test can tell copies apart.
func ad(gw string, dev, n int) advert.Advertisement {
	return advert.Advertisement{
		GatewayID:    gw,
		ReceivedAt:   start.Add(time.Duration(n) * time.Millisecond),
		Address:      advert.Address{0xC0, 0x11, 0x22, 0x33, byte(dev >> 8), byte(dev)},
		AddressType:  advert.AddressRandom,
		RSSI:         int8(-40 - dev%50),
		PHY:          advert.PHY1M,
		Channel:      37,
		ChannelKnown: true,
		EventType:    advert.EventAdvNonconnInd,
		Payload:      []byte{0x02, 0x01, 0x06, 0x05, 0xFF, 0x4C, 0x00, byte(n >> 8), byte(n)},
		Source:       advert.SourceHCI,
	}
}

// batch is gw's batch of ads advertisements numbered from first.
func batch(gw string, first, ads int) ingest.Batch {
	b := ingest.Batch{GatewayID: gw}
	for i := range ads {
		b.Advertisements = append(b.Advertisements, ad(gw, i%7, first+i))
	}
	return b
}
