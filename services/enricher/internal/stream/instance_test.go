package stream_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/platform/telemetry"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
	"github.com/bluestream/bluestream/services/enricher/internal/registrylog"
	"github.com/bluestream/bluestream/services/enricher/internal/server"
	"github.com/bluestream/bluestream/services/enricher/internal/stream"
)

const (
	testGroup = "enricher"
	testTxnID = "enricher-test-0"
	source    = "//bluestream/enricher"
)

// instance is one enricher process as cmd/enricher wires it: a file keystore, the
// registry replayed from registry.events.v1, RegistryService writing to it, and the
// transactional stream.
type instance struct {
	tel    *telemetry.Telemetry
	srv    *server.Server
	stage  *stream.Stage
	sess   *kgo.GroupTransactSession
	cancel context.CancelFunc
	done   chan error
	closed bool
}

// startInstance starts an instance on c; extra options go to its transactional
// session (e.g. hooks). The stream runs until stop or the test ends.
func startInstance(t *testing.T, c *kafkatest.Cluster, keystoreFile string, extra ...kgo.Opt) *instance {
	t.Helper()
	tel, err := telemetry.Setup(t.Context(), "enricher-test", telemetry.WithoutGlobals(), telemetry.WithLogOutput(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := privacy.OpenFileKeystore(keystoreFile)
	if err != nil {
		t.Fatal(err)
	}
	period := privacy.Period{Length: 24 * time.Hour}
	pseudo, err := privacy.NewPseudonymizer(keys, period, privacy.WithCache(1024))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := privacy.NewSealer(keys)
	if err != nil {
		t.Fatal(err)
	}
	events := mapper.Events{Sealer: sealer}
	reg := registry.New(time.Now)
	enricher, err := enrich.New(enrich.Config{}, reg, pseudo)
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := pipelinemetrics.New(tel.MeterProvider)
	if err != nil {
		t.Fatal(err)
	}
	stage := &stream.Stage{Enricher: enricher, Encoder: eventbus.Encoder{Source: source}, Output: topic.Enriched, Period: period, Metrics: metrics}

	tail, err := eventbus.NewClient(c.Config(), tel, source, "", registrylog.ClientOpts(topic.RegistryEvents)...)
	if err != nil {
		t.Fatal(err)
	}
	follower := &registrylog.Follower{Client: tail.Client, Topic: topic.RegistryEvents, Events: events, Registry: reg}
	if err := follower.CatchUp(t.Context()); err != nil {
		t.Fatalf("replaying %s: %v", topic.RegistryEvents, err)
	}
	followCtx, stopFollowing := context.WithCancel(context.Background())
	followed := make(chan error, 1)
	go func() { followed <- follower.Run(followCtx) }()
	writer := &registrylog.Writer{Follower: follower, NewClient: func() (*kgo.Client, error) {
		w, err := eventbus.NewClient(c.Config(), tel, source, "", kgo.TransactionalID("enricher-registry"))
		if err != nil {
			return nil, err
		}
		return w.Client, nil
	}}
	t.Cleanup(func() {
		stopFollowing()
		if err := <-followed; err != nil {
			t.Errorf("registry follower: %v", err)
		}
		tail.Close()
		writer.Close()
	})
	srv := &server.Server{Registry: reg, Events: events, Log: writer, Encoder: eventbus.Encoder{Source: source},
		RegistryTopic: topic.RegistryEvents, EnrichedTopic: topic.Enriched, Pseudonyms: pseudo, Policy: privacy.DefaultPolicy(),
		OnErased: stage.Erased}

	opts, err := c.Config().Opts()
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := eventbus.Instrumentation(tel, testGroup)
	opts = append(opts, hooks, kgo.ConsumerGroup(testGroup), kgo.ConsumeTopics(topic.Readings),
		kgo.TransactionalID(testTxnID), kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.RequireStableFetchOffsets())
	sess, err := kgo.NewGroupTransactSession(append(opts, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{tel: tel, srv: srv, stage: stage, sess: sess, cancel: cancel, done: make(chan error, 1)}
	go func() { in.done <- stream.Run(ctx, sess, stage) }()
	t.Cleanup(func() {
		cancel()
		if !in.closed {
			<-in.done
			sess.Close()
		}
	})
	return in
}

// stop ends the stream as a shutdown does and returns what Run returned.
func (in *instance) stop(t *testing.T) error {
	t.Helper()
	in.cancel()
	err := waitDone(t, in.done)
	in.sess.Close()
	in.closed = true
	return err
}

func waitDone(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("stream.Run did not return within 30s")
		return nil
	}
}

// registerGateway registers a gateway through RegistryService, as an operator does.
func (in *instance) registerGateway(t *testing.T, id string, x float64) {
	t.Helper()
	_, err := in.srv.RegisterGateway(t.Context(), connect.NewRequest(&registryv1.RegisterGatewayRequest{
		GatewayId: id, Tenant: "acme",
		Placement: &registryv1.GatewayPlacement{Site: "fra-1", Building: "A", Floor: "2", Zone: "office",
			Position: &registryv1.GeoPoint{Latitude: 50.11, Longitude: 8.68 + x/71_000}, XM: x, RssiAt_1M: -59},
	}))
	if err != nil {
		t.Fatalf("registering gateway %s: %v", id, err)
	}
}

// advert is one gateway's copy of a device's advertisement, as the transformer
// publishes it: keyed by the address.
func advert(t testing.TB, addr identity.Address, gw string, rssi int32, at time.Time, payload byte) *kgo.Record {
	t.Helper()
	msg := &blev1.ReadingDecoded{
		Received: &blev1.AdvertisementReceived{GatewayId: gw, ReceivedAt: timestamppb.New(at), Source: blev1.SourceKind_SOURCE_KIND_GATEWAY,
			Advertisement: &blev1.ScannedAdvertisement{ScannedAt: timestamppb.New(at), Address: addr[:], AddressType: blev1.AddressType_ADDRESS_TYPE_PUBLIC,
				Rssi: rssi, EventType: blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_IND, Payload: []byte{0x02, 0x01, payload}}},
		Decoded:   &blev1.DecodedPayload{Measurements: []*blev1.Measurement{{Quantity: "battery", Value: 87, Unit: "%"}}},
		DecodedAt: timestamppb.New(at),
	}
	rec, err := eventbus.Encoder{Source: "//bluestream/transformer"}.Record(t.Context(), eventbus.Event{Topic: topic.Readings, Key: addr.String(), Msg: msg, Time: at})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// workload is what the tests feed ble.readings.v1 with.
type workload struct {
	records []*kgo.Record
	// ads maps the first copy's time (the suffix of the enriched ce_id) to the
	// number of gateways that heard the advertisement.
	ads map[int64]int
	// garbage holds the values that must come out on the dead-letter queue.
	garbage map[string]bool
}

// newWorkload has eight devices (spread over the partitions by their address key),
// each sending three advertisements; every other one is heard by two gateways. The
// records are in event-time order, as live traffic is, and the devices' times
// interleave, so a batch spanning partitions holds one partition's later times
// before another's earlier ones. Two records are not valid readings.
func newWorkload(t *testing.T) workload {
	t.Helper()
	base := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	w := workload{ads: make(map[int64]int), garbage: make(map[string]bool)}
	for d := range 8 {
		addr := identity.Address{0xC4, 0x7A, 0x91, 0x3E, 0x55, byte(0x10 + d)}
		for k := range 3 {
			at := base.Add(time.Duration(k)*2*time.Second + time.Duration(d)*150*time.Millisecond)
			w.records = append(w.records, advert(t, addr, "gw-a", -60, at, byte(k)))
			w.ads[at.UnixNano()] = 1
			if (d+k)%2 == 0 {
				w.records = append(w.records, advert(t, addr, "gw-b", -72, at.Add(20*time.Millisecond), byte(k)))
				w.ads[at.UnixNano()] = 2
			}
		}
	}
	// Live traffic: each partition in event-time order.
	slices.SortStableFunc(w.records, func(a, b *kgo.Record) int { return a.Timestamp.Compare(b.Timestamp) })
	unknown := advert(t, identity.Address{0xC4, 0x7A, 0x91, 0x3E, 0x55, 0xFF}, "gw-unknown", -60, base, 9)
	notProto := &kgo.Record{Topic: topic.Readings, Key: []byte("garbage"), Value: []byte("not protobuf"), Headers: unknown.Headers}
	w.records = append(w.records, unknown, notProto)
	w.garbage[string(unknown.Value)] = true
	w.garbage[string(notProto.Value)] = true
	return w
}

func (w workload) valid() int { return len(w.records) - len(w.garbage) }

// publish appends the workload to ble.readings.v1, not transactionally, as the
// transformer's idempotent producer would.
func publish(t *testing.T, c *kafkatest.Cluster, recs []*kgo.Record) {
	t.Helper()
	cl := newClient(t, c)
	if err := cl.ProduceSync(t.Context(), recs...).FirstErr(); err != nil {
		t.Fatalf("publishing readings: %v", err)
	}
}

func newClient(t *testing.T, c *kafkatest.Cluster, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// waitConsumed waits until the group has committed ble.readings.v1 up to its end:
// every input is processed and its transaction committed.
func waitConsumed(t *testing.T, c *kafkatest.Cluster, done <-chan error) {
	t.Helper()
	adm := kadm.NewClient(newClient(t, c))
	ends, err := adm.ListEndOffsets(t.Context(), topic.Readings)
	if err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	var behind string
	for {
		committed, err := adm.FetchOffsets(t.Context(), testGroup)
		if err == nil {
			behind = ""
			ends.Each(func(o kadm.ListedOffset) {
				if got, _ := committed.Lookup(o.Topic, o.Partition); got.At != o.Offset {
					behind += fmt.Sprintf(" %s[%d] committed %d of %d", o.Topic, o.Partition, got.At, o.Offset)
				}
			})
			if behind == "" {
				return
			}
		}
		select {
		case <-tick.C:
		case err := <-done:
			t.Fatalf("stream.Run returned before consuming everything (%s): %v", behind, err)
		case <-deadline:
			t.Fatalf("group %s did not commit the readings within 30s:%s (last fetch error %v)", testGroup, behind, err)
		}
	}
}

// offsets sums the high watermarks and last stable offsets of a topic.
func offsets(t *testing.T, c *kafkatest.Cluster, tp string) (end, stable int64) {
	t.Helper()
	adm := kadm.NewClient(newClient(t, c))
	ends, err := adm.ListEndOffsets(t.Context(), tp)
	if err != nil {
		t.Fatal(err)
	}
	lsos, err := adm.ListCommittedOffsets(t.Context(), tp)
	if err != nil {
		t.Fatal(err)
	}
	ends.Each(func(o kadm.ListedOffset) { end += o.Offset })
	lsos.Each(func(o kadm.ListedOffset) { stable += o.Offset })
	return end, stable
}

const sentinelHeader = "test-sentinel"

// readAll reads every record of the topics with the isolation level. It appends a
// sentinel to every partition first and reads until it has seen them all, so the
// result is complete without waiting for quiet; the sentinels are left out.
func readAll(t *testing.T, c *kafkatest.Cluster, isolation kgo.IsolationLevel, topics ...string) []*kgo.Record {
	t.Helper()
	mark := strconv.FormatInt(time.Now().UnixNano(), 10)
	prod := newClient(t, c, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	want := make(map[string]bool)
	for _, tp := range topics {
		for p := range int32(3) {
			r := &kgo.Record{Topic: tp, Partition: p, Headers: []kgo.RecordHeader{{Key: sentinelHeader, Value: []byte(mark)}}}
			if err := prod.ProduceSync(t.Context(), r).FirstErr(); err != nil {
				t.Fatal(err)
			}
			want[fmt.Sprintf("%s/%d", tp, p)] = true
		}
	}
	cons := newClient(t, c, kgo.ConsumeTopics(topics...), kgo.FetchIsolationLevel(isolation),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(want) > 0 {
		fs := cons.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("reading %v: sentinels of %v not reached within 30s", topics, want)
		}
		if err := eventbus.FetchErrors(fs); err != nil {
			t.Fatal(err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if v, ok := eventbus.Header(r, sentinelHeader); ok {
				if v == mark {
					delete(want, fmt.Sprintf("%s/%d", r.Topic, r.Partition))
				}
				return
			}
			out = append(out, r)
		})
	}
	return out
}

// enrichedIDs counts the enriched outputs per ce_id time suffix and checks each is a
// ReadingEnriched with the expected number of receivers.
func enrichedIDs(t *testing.T, w workload, recs []*kgo.Record) map[int64]int {
	t.Helper()
	got := make(map[int64]int)
	for _, r := range recs {
		var e blev1.ReadingEnriched
		if err := eventbus.Decode(r, &e); err != nil {
			t.Fatalf("%s@%d: %v", r.Topic, r.Offset, err)
		}
		id, _ := eventbus.Header(r, eventbus.HeaderID)
		ns, _ := strconv.ParseInt(id[strings.LastIndex(id, "/")+1:], 10, 64)
		if want, ok := w.ads[ns]; ok && len(e.GetReceivers()) != want {
			t.Errorf("enriched %s has %d receivers, want %d", id, len(e.GetReceivers()), want)
		}
		got[ns]++
	}
	return got
}

// checkExactlyOnce compares the committed outputs with the workload: one enriched
// reading per advertisement, one dead letter with a reason per invalid input.
func checkExactlyOnce(t *testing.T, c *kafkatest.Cluster, w workload) {
	t.Helper()
	got := enrichedIDs(t, w, readAll(t, c, kgo.ReadCommitted(), topic.Enriched))
	for ns := range w.ads {
		if got[ns] != 1 {
			t.Errorf("advertisement at %s enriched %d times, want once", time.Unix(0, ns).UTC().Format(time.StampMilli), got[ns])
		}
	}
	for ns, n := range got {
		if _, ok := w.ads[ns]; !ok {
			t.Errorf("%d enriched readings at %s, which is no advertisement's first copy", n, time.Unix(0, ns).UTC().Format(time.StampMilli))
		}
	}
	dead := readAll(t, c, kgo.ReadCommitted(), topic.DLQ(topic.Readings))
	seen := make(map[string]int)
	for _, r := range dead {
		reason, _ := eventbus.Header(r, eventbus.HeaderDLQReason)
		if reason == "" {
			t.Errorf("dead letter %q without %s", r.Value, eventbus.HeaderDLQReason)
		}
		seen[string(r.Value)]++
	}
	for v := range w.garbage {
		if seen[v] != 1 {
			t.Errorf("invalid input %.20q dead-lettered %d times, want once", v, seen[v])
		}
	}
	if len(dead) != len(w.garbage) {
		t.Errorf("%d dead letters, want %d", len(dead), len(w.garbage))
	}
}
