package e2e_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/h2c"
)

// TestBadInputIsRejectedAndTheRestFlows sends what a broken gateway, a broken
// producer and a broken admin tool would, then a good advertisement, and checks
// each bad one got a clear answer while the good one went all the way.
func TestBadInputIsRejectedAndTheRestFlows(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	ctx := t.Context()
	ingest := ingestClient(st)
	now := time.Now().UTC().Truncate(time.Microsecond)

	t.Run("oversize_batch", func(t *testing.T) {
		ads := make([]*blev1.ScannedAdvertisement, 1001)
		for i := range ads {
			ads[i] = scanned(newAddress(t), ruuviDF5, now)
		}
		_, err := ingest.Ingest(ctx, connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{GatewayId: "gw-lab", Sequence: 1, Advertisements: ads}}))
		wantInvalid(t, err, "advertisements")
	})
	t.Run("advertisement_without_address_type", func(t *testing.T) {
		ad := scanned(newAddress(t), ruuviDF5, now)
		ad.AddressType = blev1.AddressType_ADDRESS_TYPE_UNSPECIFIED
		_, err := ingest.Ingest(ctx, connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{GatewayId: "gw-lab", Sequence: 2, Advertisements: []*blev1.ScannedAdvertisement{ad}}}))
		wantInvalid(t, err, "address_type")
	})
	t.Run("gateway_without_placement", func(t *testing.T) {
		reg := registryv1connect.NewRegistryServiceClient(h2c.Client(), st.URLs["enricher"])
		_, err := reg.RegisterGateway(ctx, connect.NewRequest(&registryv1.RegisterGatewayRequest{GatewayId: "gw-nowhere", Tenant: "bluestream-dev"}))
		wantInvalid(t, err, "placement")
	})

	garbage := newAddress(t)
	t.Run("garbage_payload_decodes_with_problems", func(t *testing.T) {
		// Well-formed as an advertisement, nonsense as AD structures: a length
		// byte that runs past the end.
		payload := []byte{0x1e, 0xff, 0x99, 0x04, 0x05, 0x01}
		_, err := ingest.Ingest(ctx, connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{
			GatewayId: "gw-lab", Sequence: uint64(now.UnixMicro()), Advertisements: []*blev1.ScannedAdvertisement{scanned(garbage, payload, now)}}}))
		if err != nil {
			t.Fatal(err)
		}
		var rd blev1.ReadingDecoded
		findRecord(t, st.Clusters.Primary.ListenAddrs(), topic.Readings, decoded(&rd, func(r *blev1.ReadingDecoded) bool {
			return bytes.Equal(r.GetReceived().GetAdvertisement().GetAddress(), garbage)
		}))
		if len(rd.GetDecoded().GetProblems()) == 0 || len(rd.GetDecoded().GetMeasurements()) != 0 {
			t.Errorf("garbage decoded to %v, want problems and no measurements", rd.GetDecoded())
		}
	})
	t.Run("garbage_record_goes_to_the_dlq", func(t *testing.T) {
		cl, err := kgo.NewClient(kgo.SeedBrokers(st.Clusters.Primary.ListenAddrs()...))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		key := []byte("e2e-garbage-" + now.Format(time.RFC3339Nano))
		rec := &kgo.Record{Topic: topic.Advertisements, Key: key, Value: []byte("definitely not protobuf"), Headers: []kgo.RecordHeader{
			{Key: eventbus.HeaderType, Value: []byte("bluestream.ble.v1.AdvertisementReceived")},
			{Key: eventbus.HeaderContentType, Value: []byte(eventbus.ContentTypeProtobuf)},
		}}
		if err := cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
			t.Fatal(err)
		}
		dead := findRecord(t, st.Clusters.Primary.ListenAddrs(), topic.DLQ(topic.Advertisements), func(r *kgo.Record) bool {
			return bytes.Equal(r.Key, key)
		})
		if reason, ok := eventbus.Header(dead, "dlq_reason"); !ok || reason == "" {
			t.Errorf("dead letter has no dlq_reason header: %v", dead.Headers)
		}
		if !bytes.Equal(dead.Value, rec.Value) {
			t.Errorf("dead letter value %q, want the record unchanged", dead.Value)
		}
	})

	t.Run("good_advertisement_still_flows", func(t *testing.T) {
		good := newAddress(t)
		at := time.Now().UTC().Truncate(time.Microsecond)
		if _, err := ingest.Ingest(ctx, connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{
			GatewayId: "gw-warehouse", Sequence: uint64(at.UnixMicro()), Advertisements: []*blev1.ScannedAdvertisement{scanned(good, ruuviDF5, at)}}})); err != nil {
			t.Fatal(err)
		}
		var rd blev1.ReadingDecoded
		findRecord(t, st.Clusters.Primary.ListenAddrs(), topic.Readings, decoded(&rd, func(r *blev1.ReadingDecoded) bool {
			return bytes.Equal(r.GetReceived().GetAdvertisement().GetAddress(), good)
		}))
		receivedAt := rd.GetReceived().GetReceivedAt().AsTime()
		var e blev1.ReadingEnriched
		findRecord(t, st.Clusters.Mirror.ListenAddrs(), topic.Remote(stack.PrimaryAlias, topic.Enriched), decoded(&e, func(e *blev1.ReadingEnriched) bool {
			return e.GetReceivedAt().AsTime().Equal(receivedAt) && e.GetPlace().GetZone() == "warehouse"
		}))
	})
}

func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("got %v, want invalid_argument", err)
	}
	if !strings.Contains(err.Error(), field) {
		t.Errorf("error %q does not name %s", err, field)
	}
}
