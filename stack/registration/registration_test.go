package registration_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/gen/bluestream/registry/v1/registryv1connect"
	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
	"github.com/bluestream/bluestream/stack/registration"
)

func TestCategory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		formats []string
		want    blev1.SubjectCategory
	}{
		{name: "ibeacon_badge", formats: []string{"ibeacon"}, want: blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE},
		{name: "eddystone_tag", formats: []string{"eddystone-uid"}, want: blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET},
		{name: "ruuvi_sensor", formats: []string{"ruuvi-rawv2"}, want: blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR},
		{name: "bthome_sensor", formats: []string{"bthome-v2"}, want: blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR},
		{name: "phone", formats: []string{"apple-continuity"}, want: blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR},
		{name: "nothing_decoded", formats: nil, want: blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := registration.Category(tt.formats); got != tt.want {
				t.Errorf("Category(%v) = %v, want %v", tt.formats, got, tt.want)
			}
		})
	}
}

// TestPlacementKeepsTheFloorPlanDistances: the enricher ranges devices by
// geography, so two gateways 15 m apart on the plan must be about 15 m apart
// on the map too.
func TestPlacementKeepsTheFloorPlanDistances(t *testing.T) {
	t.Parallel()
	a, b := registration.Office[0].Placement(), registration.Office[1].Placement()
	const earthRadius = 6_371_000.0
	rad := func(d float64) float64 { return d * math.Pi / 180 }
	dLat := rad(b.GetPosition().GetLatitude() - a.GetPosition().GetLatitude())
	dLon := rad(b.GetPosition().GetLongitude() - a.GetPosition().GetLongitude())
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(rad(a.GetPosition().GetLatitude()))*math.Cos(rad(b.GetPosition().GetLatitude()))*math.Sin(dLon/2)*math.Sin(dLon/2)
	got := 2 * earthRadius * math.Asin(math.Sqrt(h))
	want := registration.Office[1].Pos.Distance(registration.Office[0].Pos)
	if math.Abs(got-want) > 0.05 {
		t.Fatalf("gateways %.2f m apart on the map, %.2f m on the plan", got, want)
	}
	if a.GetZone() != "lobby" || a.GetSite() != registration.Site {
		t.Errorf("placement %v", a)
	}
}

// TestOfficeIsTheSimulatorsPlan: the stack registers exactly the gateways
// the simulator hears devices at, each under the zone it stands in.
func TestOfficeIsTheSimulatorsPlan(t *testing.T) {
	t.Parallel()
	plan := floorplan.Office()
	if len(registration.Office) != len(plan.Gateways) {
		t.Fatalf("%d gateways registered, the plan has %d", len(registration.Office), len(plan.Gateways))
	}
	for i, g := range registration.Office {
		if g.Gateway != plan.Gateways[i] {
			t.Errorf("gateway %d: %+v, plan has %+v", i, g.Gateway, plan.Gateways[i])
		}
		if z, _ := plan.ZoneOf(g.Pos); g.Zone != z.ID || g.Zone == "" {
			t.Errorf("%s filed under %q, stands in %q", g.ID, g.Zone, z.ID)
		}
	}
}

func TestGatewayOutsideEveryZoneIsAnError(t *testing.T) {
	t.Parallel()
	plan := floorplan.Office()
	plan.Gateways[2].Pos = floorplan.Point{X: -1, Y: -1}
	if _, err := registration.Gateways(plan); err == nil || !strings.Contains(err.Error(), plan.Gateways[2].ID) {
		t.Errorf("got %v, want an error naming %s", err, plan.Gateways[2].ID)
	}
}

// registry records gateways and answers already_exists for a repeat, as the
// enricher does after a restart over a kept data directory.
type registry struct {
	registryv1connect.UnimplementedRegistryServiceHandler
	mu         sync.Mutex
	gateways   map[string]*registryv1.GatewayPlacement
	agreements map[string]bool
	down       bool
}

func (r *registry) RegisterGateway(_ context.Context, req *connect.Request[registryv1.RegisterGatewayRequest]) (*connect.Response[registryv1.RegisterGatewayResponse], error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.gateways[req.Msg.GetGatewayId()]; ok {
		return nil, connect.NewError(connect.CodeAlreadyExists, nil)
	}
	r.gateways[req.Msg.GetGatewayId()] = req.Msg.GetPlacement()
	return connect.NewResponse(&registryv1.RegisterGatewayResponse{Version: 1}), nil
}

func (r *registry) RecordAgreement(_ context.Context, req *connect.Request[registryv1.RecordAgreementRequest]) (*connect.Response[registryv1.RecordAgreementResponse], error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		return nil, connect.NewError(connect.CodeUnavailable, nil)
	}
	if r.agreements[req.Msg.GetAgreementId()] {
		return nil, connect.NewError(connect.CodeAborted, errors.New("expected version 0, current version is 1"))
	}
	r.agreements[req.Msg.GetAgreementId()] = true
	return connect.NewResponse(&registryv1.RecordAgreementResponse{Version: 1}), nil
}

func TestRegistrarIsIdempotentButReportsRealFailures(t *testing.T) {
	t.Parallel()
	reg := &registry{gateways: map[string]*registryv1.GatewayPlacement{}, agreements: map[string]bool{}}
	mux := http.NewServeMux()
	mux.Handle(registryv1connect.NewRegistryServiceHandler(reg))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	r := registration.Registrar{Client: registryv1connect.NewRegistryServiceClient(srv.Client(), srv.URL)}

	for range 2 { // the second round is a restart: everything already exists
		if err := r.Gateways(t.Context(), registration.Office); err != nil {
			t.Fatal(err)
		}
		if err := r.Agreement(t.Context(), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if len(reg.gateways) != len(registration.Office) {
		t.Fatalf("registered %d gateways, want %d", len(reg.gateways), len(registration.Office))
	}
	if got := reg.gateways["gw-warehouse"].GetZone(); got != "warehouse" {
		t.Errorf("gw-warehouse in zone %q", got)
	}
	reg.mu.Lock()
	reg.down = true
	reg.mu.Unlock()
	err := r.Agreement(t.Context(), time.Now())
	if connect.CodeOf(err) != connect.CodeUnavailable {
		t.Fatalf("Agreement = %v, want the registry's unavailable passed on", err)
	}
}
