package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
)

var scannedAt = time.Date(2026, 11, 23, 9, 59, 0, 0, time.UTC)

// scan is one advertisement of device dev (0-based) at step ms.
func scan(dev, ms int) *blev1.ScannedAdvertisement {
	return &blev1.ScannedAdvertisement{
		ScannedAt:   timestamppb.New(scannedAt.Add(time.Duration(ms) * time.Millisecond)),
		Address:     []byte{0xC0, 0x11, 0x22, 0x33, 0x44, byte(dev)},
		AddressType: blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
		Rssi:        int32(-50 - dev%40),
		PrimaryPhy:  blev1.Phy_PHY_LE_1M,
		Channel:     proto.Uint32(37),
		EventType:   blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_NONCONN_IND,
		Payload:     []byte{0x02, 0x01, 0x06, 0x03, 0xFF, 0x4C, byte(ms)},
	}
}

func batch(gw string, seq uint64, devices, ms int) *ingestv1.Batch {
	b := &ingestv1.Batch{GatewayId: gw, Sequence: seq}
	for d := range devices {
		b.Advertisements = append(b.Advertisements, scan(d, ms))
	}
	return b
}

// ingestFunc sends one unary Ingest through a particular client.
type ingestFunc func(ctx context.Context, b *ingestv1.Batch) (*ingestv1.IngestResponse, error)

func clients(t *testing.T, h *harness) map[string]ingestFunc {
	conn := h.grpcConn(t)
	cc := h.connectClient()
	return map[string]ingestFunc{
		"connect_client": func(ctx context.Context, b *ingestv1.Batch) (*ingestv1.IngestResponse, error) {
			res, err := cc.Ingest(ctx, connect.NewRequest(&ingestv1.IngestRequest{Batch: b}))
			if err != nil {
				return nil, err
			}
			return res.Msg, nil
		},
		"grpc_client": func(ctx context.Context, b *ingestv1.Batch) (*ingestv1.IngestResponse, error) {
			var res ingestv1.IngestResponse
			err := conn.Invoke(ctx, ingestv1connect.IngestServiceIngestProcedure, &ingestv1.IngestRequest{Batch: b}, &res)
			return &res, err
		},
	}
}

func forEachClient(t *testing.T, cfg ingest.Config, test func(t *testing.T, h *harness, send ingestFunc)) {
	for _, name := range []string{"connect_client", "grpc_client"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, cfg)
			test(t, h, clients(t, h)[name])
		})
	}
}

func TestIngestPublishesABatchOnceAfterKafkaAcknowledged(t *testing.T) {
	t.Parallel()
	forEachClient(t, ingest.Config{}, func(t *testing.T, h *harness, send ingestFunc) {
		sent := batch("gw-7", 41, 3, 0)
		res, err := send(t.Context(), sent)
		if err != nil {
			t.Fatal(err)
		}
		if res.GetAccepted() != 3 || res.GetDuplicate() {
			t.Fatalf("first send: %v", res)
		}
		// The reply came after the broker acknowledged: the records are there now.
		if n := h.published(t); n != 3 {
			t.Fatalf("topic holds %d records right after the reply, want 3", n)
		}
		res, err = send(t.Context(), sent)
		if err != nil || !res.GetDuplicate() || res.GetAccepted() != 3 {
			t.Fatalf("retry: %v, %v; want a duplicate", res, err)
		}
		recs, events := h.consume(t, 3)
		if n := h.published(t); n != 3 {
			t.Fatalf("topic holds %d records after the retry, want 3", n)
		}
		byID := map[string]int{}
		for i, r := range recs {
			id, _ := eventbus.Header(r, eventbus.HeaderID)
			var idx int
			if _, err := fmt.Sscanf(id, "gw-7/41/%d", &idx); err != nil {
				t.Fatalf("ce_id %q is not gateway/sequence/index", id)
			}
			byID[id]++
			e, want := events[i], sent.GetAdvertisements()[idx]
			if got := string(r.Key); got != fmt.Sprintf("C0:11:22:33:44:%02X", idx) {
				t.Errorf("key %q, want the device address", got)
			}
			if !proto.Equal(e.GetAdvertisement(), want) {
				t.Errorf("event %s carries\n%v\nwant it unchanged:\n%v", id, e.GetAdvertisement(), want)
			}
			if e.GetGatewayId() != "gw-7" || e.GetBatchSequence() != 41 || e.GetSource() != blev1.SourceKind_SOURCE_KIND_GATEWAY || !e.GetReceivedAt().AsTime().Equal(receivedAt) {
				t.Errorf("event %s stamped %v", id, e)
			}
		}
		if len(byID) != 3 {
			t.Fatalf("ce_ids %v, want three distinct", byID)
		}
	})
}

func TestIngestStreamKeepsOrderAndSkipsRetries(t *testing.T) {
	t.Parallel()
	batches := []*ingestv1.Batch{batch("gw-s", 1, 4, 1), batch("gw-s", 2, 4, 2), batch("gw-s", 1, 4, 1), batch("gw-s", 3, 4, 3)}
	want := &ingestv1.IngestStreamResponse{Batches: 4, Advertisements: 16, DuplicateBatches: 1}
	streams := map[string]func(t *testing.T, h *harness) *ingestv1.IngestStreamResponse{
		"connect_client": func(t *testing.T, h *harness) *ingestv1.IngestStreamResponse {
			stream := h.connectClient().IngestStream(t.Context())
			for _, b := range batches {
				if err := stream.Send(&ingestv1.IngestStreamRequest{Batch: b}); err != nil {
					t.Fatal(err)
				}
			}
			res, err := stream.CloseAndReceive()
			if err != nil {
				t.Fatal(err)
			}
			return res.Msg
		},
		"grpc_client": func(t *testing.T, h *harness) *ingestv1.IngestStreamResponse {
			stream, err := h.grpcConn(t).NewStream(t.Context(), &grpc.StreamDesc{ClientStreams: true}, ingestv1connect.IngestServiceIngestStreamProcedure)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range batches {
				if err := stream.SendMsg(&ingestv1.IngestStreamRequest{Batch: b}); err != nil {
					t.Fatal(err)
				}
			}
			if err := stream.CloseSend(); err != nil {
				t.Fatal(err)
			}
			var res ingestv1.IngestStreamResponse
			if err := stream.RecvMsg(&res); err != nil {
				t.Fatal(err)
			}
			return &res
		},
	}
	for name, run := range streams {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, ingest.Config{})
			if got := run(t, h); !proto.Equal(got, want) {
				t.Fatalf("response %v, want %v", got, want)
			}
			_, events := h.consume(t, 12)
			if n := h.published(t); n != 12 {
				t.Fatalf("topic holds %d records, want 12 (the retried batch once)", n)
			}
			// Each device's events arrive in the order the gateway scanned them.
			last := map[string]time.Time{}
			for _, e := range events {
				dev := string(e.GetAdvertisement().GetAddress())
				at := e.GetAdvertisement().GetScannedAt().AsTime()
				if at.Before(last[dev]) || at.Equal(last[dev]) {
					t.Fatalf("device % x: event at %v after %v", dev, at, last[dev])
				}
				last[dev] = at
			}
		})
	}
}

func TestListGateways(t *testing.T) {
	t.Parallel()
	h := newHarness(t, ingest.Config{})
	send := clients(t, h)["connect_client"]
	for _, b := range []*ingestv1.Batch{batch("gw-b", 5, 2, 0), batch("gw-a", 9, 1, 0), batch("gw-b", 6, 3, 0)} {
		if _, err := send(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	want := &ingestv1.ListGatewaysResponse{Gateways: []*ingestv1.Gateway{
		{GatewayId: "gw-a", LastSeen: timestamppb.New(receivedAt), Advertisements: 1, LastSequence: 9},
		{GatewayId: "gw-b", LastSeen: timestamppb.New(receivedAt), Advertisements: 5, LastSequence: 6},
	}}
	res, err := h.connectClient().ListGateways(t.Context(), connect.NewRequest(&ingestv1.ListGatewaysRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(res.Msg, want) {
		t.Fatalf("connect: %v\nwant %v", res.Msg, want)
	}
	var gres ingestv1.ListGatewaysResponse
	if err := h.grpcConn(t).Invoke(t.Context(), ingestv1connect.IngestServiceListGatewaysProcedure, &ingestv1.ListGatewaysRequest{}, &gres); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(&gres, want) {
		t.Fatalf("grpc: %v\nwant %v", &gres, want)
	}
}

func TestBadRequestsNameTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*ingestv1.Batch)
		names []string
	}{
		{"empty_gateway_id", func(b *ingestv1.Batch) { b.GatewayId = "" }, []string{"batch.gateway_id"}},
		{"legacy_payload_32_bytes", func(b *ingestv1.Batch) { b.Advertisements[1].Payload = make([]byte, 32) }, []string{"batch.advertisements[1]", "31 bytes"}},
		{"extended_payload_1651_bytes", func(b *ingestv1.Batch) {
			b.Advertisements[0].EventType = blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_EXTENDED
			b.Advertisements[0].Payload = make([]byte, 1651)
		}, []string{"batch.advertisements[0].payload"}},
		{"unknown_address_type", func(b *ingestv1.Batch) { b.Advertisements[0].AddressType = 9 }, []string{"batch.advertisements[0].address_type"}},
		{"address_type_against_top_bits", func(b *ingestv1.Batch) {
			b.Advertisements[1].AddressType = blev1.AddressType_ADDRESS_TYPE_RANDOM_RESOLVABLE
		}, []string{"batch.advertisements[1].address_type", "static"}},
	}
	h := newHarness(t, ingest.Config{})
	for name, send := range clients(t, h) {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				b := batch("gw-bad", 1, 2, 0)
				tt.edit(b)
				_, err := send(t.Context(), b)
				code := connect.CodeOf(err)
				if s, ok := status.FromError(err); ok && name == "grpc_client" {
					code = connect.Code(s.Code())
				}
				if code != connect.CodeInvalidArgument {
					t.Fatalf("got %v, want invalid_argument", err)
				}
				for _, want := range tt.names {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not name %q", err, want)
					}
				}
			})
		}
	}
	t.Cleanup(func() {
		if n := h.published(t); n != 0 {
			t.Errorf("bad requests published %d records", n)
		}
	})
}

func TestBrokerDownAnswersUnavailableAndAcknowledgesNothing(t *testing.T) {
	t.Parallel()
	forEachClient(t, ingest.Config{PublishTimeout: time.Second}, func(t *testing.T, h *harness, send ingestFunc) {
		h.failing.Store(true)
		sent := batch("gw-down", 3, 5, 0)
		_, err := send(t.Context(), sent)
		if code := codeOf(err); code != codes.Unavailable {
			t.Fatalf("broker down: got %v, want unavailable", err)
		}
		if gws := h.ingester.Gateways(); len(gws) != 0 {
			t.Fatalf("a batch Kafka never acknowledged is recorded: %+v", gws)
		}
		if n := h.published(t); n != 0 {
			t.Fatalf("topic holds %d records while the broker refused them", n)
		}
		h.failing.Store(false)
		// The client retries with the same sequence until the broker, which
		// backs off after the failures, acknowledges. The first attempt's
		// records were already with the producer, so they may be the ones that
		// land: then the retry is answered as a duplicate. Either way the
		// batch is on the topic exactly once.
		deadline := time.Now().Add(20 * time.Second)
		res, err := send(t.Context(), sent)
		for codeOf(err) == codes.Unavailable && time.Now().Before(deadline) {
			res, err = send(t.Context(), sent)
		}
		if err != nil || res.GetAccepted() != 5 {
			t.Fatalf("retry after recovery: %v, %v; want it published", res, err)
		}
		h.consume(t, 5)
		if n := h.published(t); n != 5 {
			t.Fatalf("topic holds %d records, want 5", n)
		}
	})
}

func TestOverloadAnswersResourceExhausted(t *testing.T) {
	t.Parallel()
	forEachClient(t, ingest.Config{MaxInFlightAdvertisements: ingest.MaxBatch, PublishTimeout: 20 * time.Second}, func(t *testing.T, h *harness, send ingestFunc) {
		h.failing.Store(true)
		first := make(chan error, 1)
		go func() {
			_, err := send(context.Background(), batch("gw-busy", 1, ingest.MaxBatch, 0))
			first <- err
		}()
		deadline := time.Now().Add(10 * time.Second)
		for ads, _ := h.ingester.InFlight(); ads < ingest.MaxBatch; ads, _ = h.ingester.InFlight() {
			if time.Now().After(deadline) {
				t.Fatal("first batch never went in flight")
			}
			time.Sleep(time.Millisecond) // polling a real condition with a deadline
		}
		_, err := send(t.Context(), batch("gw-busy", 2, 1, 0))
		if code := codeOf(err); code != codes.ResourceExhausted {
			t.Fatalf("over the limit: got %v, want resource_exhausted", err)
		}
		// The held batch is not lost: once the broker recovers it is acknowledged.
		h.failing.Store(false)
		if err := <-first; err != nil {
			t.Fatalf("held batch: %v", err)
		}
		if n := h.published(t); n != ingest.MaxBatch {
			t.Fatalf("topic holds %d records, want %d", n, ingest.MaxBatch)
		}
	})
}

// codeOf reads the code of an error from either client as a gRPC code.
func codeOf(err error) codes.Code {
	if s, ok := status.FromError(err); ok {
		return s.Code()
	}
	return codes.Code(connect.CodeOf(err))
}
