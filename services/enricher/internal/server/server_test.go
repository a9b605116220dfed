package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/kafkatest"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/rpcserver/rpctest"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/enricher/internal/mapper"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
	"github.com/bluestream/bluestream/services/enricher/internal/registrylog"
	"github.com/bluestream/bluestream/services/enricher/internal/server"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type fixture struct {
	addr     string
	cluster  *kafkatest.Cluster
	follower *registrylog.Follower
	keys     privacy.Keystore
	live     *registry.Registry
	events   mapper.Events
}

func start(t *testing.T) *fixture {
	t.Helper()
	return startOn(t, kafkatest.New(t, "azure", kfake.SeedTopics(2, topic.RegistryEvents, topic.Enriched)))
}

// startOn starts one enricher instance's registry API on cluster: the
// projection, its follower, the writer and the RPC server.
func startOn(t *testing.T, cluster *kafkatest.Cluster, tailOpts ...kgo.Opt) *fixture {
	t.Helper()
	keys := privacy.NewMemoryKeystore()
	sealer, _ := privacy.NewSealer(keys)
	pseudo, err := privacy.NewPseudonymizer(keys, privacy.Period{Length: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return t0 }
	f := &fixture{cluster: cluster, keys: keys, live: registry.New(clock), events: mapper.Events{Sealer: sealer}}
	writer := f.follow(t, tailOpts...)
	srv := &server.Server{
		Registry: f.live, Events: f.events, Log: writer,
		Encoder:       eventbus.Encoder{Source: "//bluestream/enricher", Now: clock},
		RegistryTopic: topic.RegistryEvents, EnrichedTopic: topic.Enriched,
		Pseudonyms: pseudo, Policy: privacy.DefaultPolicy(), Now: clock,
	}
	f.addr = rpctest.Serve(t, rpctest.Telemetry(t, "enricher-test"), func(rpc *rpcserver.Server) {
		rpc.Register(registryv1connect.RegistryServiceName)(registryv1connect.NewRegistryServiceHandler(srv, rpc.HandlerOptions()...))
	})
	return f
}

// follow replays the registry topic into f.live, keeps following it, and
// returns the writer that appends to it.
func (f *fixture) follow(t *testing.T, tailOpts ...kgo.Opt) *registrylog.Writer {
	t.Helper()
	seeds := kgo.SeedBrokers(f.cluster.ListenAddrs()...)
	tail, err := kgo.NewClient(append(registrylog.ClientOpts(topic.RegistryEvents), append(tailOpts, seeds)...)...)
	if err != nil {
		t.Fatal(err)
	}
	f.follower = &registrylog.Follower{Client: tail, Topic: topic.RegistryEvents, Events: f.events, Registry: f.live}
	if err := f.follower.CatchUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.follower.Run(ctx) }()
	w := &registrylog.Writer{Follower: f.follower, NewClient: func() (*kgo.Client, error) {
		return kgo.NewClient(seeds, kgo.TransactionalID("enricher-registry"))
	}}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("registry follower: %v", err)
		}
		tail.Close()
		w.Close()
	})
	return w
}

func (f *fixture) connect() registryv1connect.RegistryServiceClient {
	return registryv1connect.NewRegistryServiceClient(http.DefaultClient, "http://"+f.addr)
}

func (f *fixture) grpc(t *testing.T) *grpc.ClientConn {
	t.Helper()
	return rpctest.GRPCConn(t, f.addr)
}

// appended replays the registry topic into a fresh projection and returns how
// many events it holds: what was committed, aborted transactions left out.
func (f *fixture) appended(t *testing.T) int64 {
	t.Helper()
	cl, err := kgo.NewClient(append(registrylog.ClientOpts(topic.RegistryEvents), kgo.SeedBrokers(f.cluster.ListenAddrs()...))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	replay := &registrylog.Follower{Client: cl, Topic: topic.RegistryEvents, Events: f.events, Registry: registry.New(time.Now)}
	if err := replay.CatchUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	return replay.Applied()
}

func placement(zone string, x float64) *registryv1.GatewayPlacement {
	return &registryv1.GatewayPlacement{Site: "fra-1", Building: "A", Floor: "2", Zone: zone,
		Position: &registryv1.GeoPoint{Latitude: 50.1109, Longitude: 8.6821}, XM: x, RssiAt_1M: -59}
}

var phone = []byte{0xc0, 0x11, 0x22, 0x33, 0x44, 0x55}

func TestCommandsThroughConnectAndGRPC(t *testing.T) {
	t.Parallel()
	f := start(t)
	client := f.connect()
	ctx := t.Context()
	res, err := client.RegisterGateway(ctx, connect.NewRequest(&registryv1.RegisterGatewayRequest{GatewayId: "gw-1", Tenant: "acme", Placement: placement("lobby", 0)}))
	if err != nil || res.Msg.GetVersion() != 1 {
		t.Fatalf("register gateway over connect: %v, %v", res, err)
	}
	var moved registryv1.MoveGatewayResponse
	err = f.grpc(t).Invoke(ctx, registryv1connect.RegistryServiceMoveGatewayProcedure,
		&registryv1.MoveGatewayRequest{GatewayId: "gw-1", Placement: placement("kitchen", 5), ExpectedVersion: 1}, &moved)
	if err != nil || moved.GetVersion() != 2 {
		t.Fatalf("move gateway over grpc: %v, %v", &moved, err)
	}
	var got registryv1.GetGatewayResponse
	if err := f.grpc(t).Invoke(ctx, registryv1connect.RegistryServiceGetGatewayProcedure, &registryv1.GetGatewayRequest{GatewayId: "gw-1"}, &got); err != nil {
		t.Fatal(err)
	}
	if got.GetPlacement().GetZone() != "kitchen" || got.GetVersion() != 2 {
		t.Errorf("get gateway over grpc: %v, want zone kitchen at version 2", &got)
	}
	if n := f.appended(t); n != 2 {
		t.Errorf("registry topic holds %d records, want 2", n)
	}
}

// TestRejectedCommandsAppendNothing checks each rejection's code over both
// protocols and that the topic's end offsets did not move.
func TestRejectedCommandsAppendNothing(t *testing.T) {
	t.Parallel()
	f := start(t)
	ctx := t.Context()
	if _, err := f.connect().RegisterGateway(ctx, connect.NewRequest(&registryv1.RegisterGatewayRequest{GatewayId: "gw-1", Tenant: "acme", Placement: placement("lobby", 0)})); err != nil {
		t.Fatal(err)
	}
	before := f.appended(t)
	tests := []struct {
		name      string
		procedure string
		req, res  any
		call      func() error
		code      connect.Code
		mention   string
	}{
		{name: "version_conflict", code: connect.CodeAborted, mention: "expected version 7",
			procedure: registryv1connect.RegistryServiceMoveGatewayProcedure,
			req:       &registryv1.MoveGatewayRequest{GatewayId: "gw-1", Placement: placement("lab", 1), ExpectedVersion: 7}, res: &registryv1.MoveGatewayResponse{}},
		{name: "duplicate_gateway", code: connect.CodeAlreadyExists, mention: "gw-1",
			procedure: registryv1connect.RegistryServiceRegisterGatewayProcedure,
			req:       &registryv1.RegisterGatewayRequest{GatewayId: "gw-1", Tenant: "acme", Placement: placement("lobby", 0)}, res: &registryv1.RegisterGatewayResponse{}},
		{name: "unknown_gateway", code: connect.CodeNotFound, mention: "gw-9",
			procedure: registryv1connect.RegistryServiceRetireGatewayProcedure,
			req:       &registryv1.RetireGatewayRequest{GatewayId: "gw-9", ExpectedVersion: 1}, res: &registryv1.RetireGatewayResponse{}},
		{name: "floor_not_a_number", code: connect.CodeInvalidArgument, mention: "placement.floor",
			procedure: registryv1connect.RegistryServiceRegisterGatewayProcedure,
			req: &registryv1.RegisterGatewayRequest{GatewayId: "gw-2", Tenant: "acme", Placement: func() *registryv1.GatewayPlacement {
				p := placement("lobby", 0)
				p.Floor = "ground"
				return p
			}()}, res: &registryv1.RegisterGatewayResponse{}},
		{name: "unknown_category", code: connect.CodeInvalidArgument, mention: "category",
			procedure: registryv1connect.RegistryServiceRegisterDeviceProcedure,
			req: &registryv1.RegisterDeviceRequest{DeviceId: "d", Tenant: "acme", Category: blev1.SubjectCategory_SUBJECT_CATEGORY_UNKNOWN,
				Identity: &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_Address{Address: phone}}}, res: &registryv1.RegisterDeviceResponse{}},
		{name: "missing_tenant", code: connect.CodeInvalidArgument, mention: "tenant",
			procedure: registryv1connect.RegistryServiceRegisterDeviceProcedure,
			req: &registryv1.RegisterDeviceRequest{DeviceId: "d", Category: blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR,
				Identity: &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_Address{Address: phone}}}, res: &registryv1.RegisterDeviceResponse{}},
	}
	conn := f.grpc(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := conn.Invoke(ctx, tt.procedure, tt.req, tt.res)
			if got := status.Code(err); got != codes.Code(tt.code) || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("grpc: %v, want %v mentioning %q", err, tt.code, tt.mention)
			}
		})
	}
	_, err := f.connect().MoveGateway(ctx, connect.NewRequest(&registryv1.MoveGatewayRequest{GatewayId: "gw-1", Placement: placement("lab", 1), ExpectedVersion: 7}))
	if connect.CodeOf(err) != connect.CodeAborted {
		t.Errorf("connect: %v, want aborted", err)
	}
	if after := f.appended(t); after != before {
		t.Errorf("rejected commands appended %d records", after-before)
	}
}

// TestReplayGivesTheLiveProjection replays the topic into a fresh registry and
// compares it with the one the server kept, erasure and reassignment included.
func TestReplayGivesTheLiveProjection(t *testing.T) {
	t.Parallel()
	f := start(t)
	ctx := t.Context()
	c := f.connect()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.RegisterGateway(ctx, connect.NewRequest(&registryv1.RegisterGatewayRequest{GatewayId: "gw-1", Tenant: "acme", Placement: placement("lobby", 0)})))
	must(c.RegisterGateway(ctx, connect.NewRequest(&registryv1.RegisterGatewayRequest{GatewayId: "gw-2", Tenant: "acme", Placement: placement("lab", 9)})))
	must(c.RetireGateway(ctx, connect.NewRequest(&registryv1.RetireGatewayRequest{GatewayId: "gw-2", ExpectedVersion: 1})))
	must(c.RegisterDevice(ctx, connect.NewRequest(&registryv1.RegisterDeviceRequest{DeviceId: "dev-phone", Tenant: "acme",
		Category: blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE, OwnerRef: "E-1001",
		Identity: &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_Address{Address: phone}, AddressType: blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC}})))
	must(c.RegisterDevice(ctx, connect.NewRequest(&registryv1.RegisterDeviceRequest{DeviceId: "dev-badge", Tenant: "acme",
		Category: blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE, OwnerRef: "E-1001", Irks: [][]byte{make16(7)},
		Identity: &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_Ibeacon{Ibeacon: &blev1.IBeacon{Uuid: make16(1), Major: 1, Minor: 2}}}})))
	must(c.RegisterDevice(ctx, connect.NewRequest(&registryv1.RegisterDeviceRequest{DeviceId: "dev-tag", Tenant: "acme",
		Category: blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET, OwnerRef: "E-1001",
		Identity: &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_EddystoneUid{EddystoneUid: &blev1.EddystoneUid{Namespace: make([]byte, 10), Instance: []byte{0, 0, 0, 0, 0, 7}}}}})))
	// The tag changes hands before its first owner is erased: it must survive both
	// live and in the replay, whose first registration can no longer be opened.
	must(c.AssignDevice(ctx, connect.NewRequest(&registryv1.AssignDeviceRequest{DeviceId: "dev-tag", OwnerRef: "A-55",
		Category: blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET, ExpectedVersion: 1})))
	must(c.RecordAgreement(ctx, connect.NewRequest(&registryv1.RecordAgreementRequest{AgreementId: "BV-7", Tenant: "acme", ValidFrom: timestamppb.New(t0)})))
	erased, err := c.RequestErasure(ctx, connect.NewRequest(&registryv1.RequestErasureRequest{DeviceId: "dev-phone", RequestId: "req-1"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := erased.Msg.GetErasedDeviceIds(); !cmp.Equal(got, []string{"dev-phone", "dev-badge"}) {
		t.Errorf("erased %v, want the phone and the badge of the same owner", got)
	}

	cl, err := kgo.NewClient(append(registrylog.ClientOpts(topic.RegistryEvents), kgo.SeedBrokers(f.cluster.ListenAddrs()...))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	replayed := registry.New(func() time.Time { return t0 })
	follower := &registrylog.Follower{Client: cl, Topic: topic.RegistryEvents, Events: f.events, Registry: replayed}
	if err := follower.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if follower.Applied() != 10 {
		t.Errorf("replayed %d events, want 10", follower.Applied())
	}
	if diff := cmp.Diff(f.live.Snapshot(), replayed.Snapshot()); diff != "" {
		t.Errorf("replayed projection differs from the live one (-live +replayed):\n%s", diff)
	}
	tag, err := replayed.Device("dev-tag")
	if err != nil || tag.Identity.Eddystone == nil || tag.OwnerRef != "A-55" {
		t.Errorf("reassigned tag after replay: %+v, %v", tag, err)
	}
}

func make16(b byte) []byte {
	out := make([]byte, 16)
	for i := range out {
		out[i] = b + byte(i)
	}
	return out
}
