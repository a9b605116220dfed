package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/rpcserver"
	"github.com/bluestream/bluestream/platform/rpcserver/rpctest"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/server"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

var (
	t0   = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	lab  = enriched.Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "lab"}
	hall = enriched.Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "hall"}
	part = store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
)

// feeder applies readings at consecutive offsets.
type feeder struct {
	t      *testing.T
	engine *analyze.Engine
	next   int64
}

func (f *feeder) reading(id string, cat enriched.Category, z enriched.Zone, minute int, battery float64) {
	f.t.Helper()
	r := enriched.Reading{DeviceID: id, GatewayID: "gw-" + z.Zone, EventTime: t0.Add(time.Duration(minute) * time.Minute),
		Zone: z, Category: cat, Battery: enriched.Battery{Known: true, Percent: battery},
		Measurements: []enriched.Measurement{{Quantity: "temperature", Value: 21.5, Unit: "Cel"}}}
	if _, err := f.engine.ApplyReading(analyze.Offset{Partition: part, Offset: f.next}, r); err != nil {
		f.t.Fatal(err)
	}
	f.next++
}

// start serves an engine holding: two sensors in the lab (one with a low
// battery), a visitor in the hall, and one employee badge in the lab
// without an agreement, which must never show individually.
func start(t *testing.T) (addr string, f *feeder) {
	t.Helper()
	e, err := analyze.Open(t.Context(), memstore.New(), analyze.Config{})
	if err != nil {
		t.Fatal(err)
	}
	f = &feeder{t: t, engine: e}
	f.reading("sensor-a", enriched.CategorySensor, lab, 0, 80)
	f.reading("sensor-b", enriched.CategorySensor, lab, 0, 9)
	f.reading("visitor-1", enriched.CategoryVisitor, hall, 1, 50)
	f.reading("badge-1", enriched.CategoryEmployee, lab, 1, 50)

	addr = rpctest.Serve(t, rpctest.Telemetry(t, "analyzer-server-test"), func(srv *rpcserver.Server) {
		srv.Register(analyzerv1connect.AnalyzerServiceName)(analyzerv1connect.NewAnalyzerServiceHandler(&server.Server{Engine: e}, srv.HandlerOptions()...))
	})
	return addr, f
}

func connectClient(addr string) analyzerv1connect.AnalyzerServiceClient {
	return analyzerv1connect.NewAnalyzerServiceClient(http.DefaultClient, "http://"+addr)
}

func TestGetDevice(t *testing.T) {
	t.Parallel()
	addr, _ := start(t)
	t.Run("connect_client", func(t *testing.T) {
		res, err := connectClient(addr).GetDevice(t.Context(), connect.NewRequest(&analyzerv1.GetDeviceRequest{DevicePseudonym: "sensor-b"}))
		if err != nil {
			t.Fatal(err)
		}
		d := res.Msg.GetDevice()
		if d.GetZone() != "ber/b1/2/lab" || d.GetBatteryPercent() != 9 || !d.GetPresent() || d.GetReadings() != 1 ||
			d.GetCategory() != blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR || len(d.GetMeasurements()) != 1 {
			t.Errorf("device = %v", d)
		}
	})
	t.Run("grpc_client", func(t *testing.T) {
		var res analyzerv1.GetDeviceResponse
		err := rpctest.GRPCConn(t, addr).Invoke(t.Context(), analyzerv1connect.AnalyzerServiceGetDeviceProcedure,
			&analyzerv1.GetDeviceRequest{DevicePseudonym: "visitor-1"}, &res)
		if err != nil {
			t.Fatal(err)
		}
		if res.GetDevice().GetZone() != "ber/b1/2/hall" {
			t.Errorf("device = %v", res.GetDevice())
		}
	})
	t.Run("restricted_badge_is_not_found", func(t *testing.T) {
		_, err := connectClient(addr).GetDevice(t.Context(), connect.NewRequest(&analyzerv1.GetDeviceRequest{DevicePseudonym: "badge-1"}))
		if connect.CodeOf(err) != connect.CodeNotFound {
			t.Errorf("err = %v, want not_found", err)
		}
	})
	t.Run("empty_id_names_the_field", func(t *testing.T) {
		var res analyzerv1.GetDeviceResponse
		err := rpctest.GRPCConn(t, addr).Invoke(t.Context(), analyzerv1connect.AnalyzerServiceGetDeviceProcedure, &analyzerv1.GetDeviceRequest{}, &res)
		if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "device_pseudonym") {
			t.Errorf("err = %v, want invalid_argument naming device_pseudonym", err)
		}
	})
}

func TestListDevices_filters_and_pages(t *testing.T) {
	t.Parallel()
	addr, _ := start(t)
	c := connectClient(addr)
	var ids []string
	token := ""
	for range 5 {
		res, err := c.ListDevices(t.Context(), connect.NewRequest(&analyzerv1.ListDevicesRequest{PageSize: 1, PageToken: token}))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Msg.GetDevices() {
			ids = append(ids, d.GetDevicePseudonym())
		}
		if token = res.Msg.GetNextPageToken(); token == "" {
			break
		}
	}
	if want := []string{"sensor-a", "sensor-b", "visitor-1"}; !slices.Equal(ids, want) {
		t.Errorf("paged ids = %v, want %v (the badge never listed)", ids, want)
	}

	var res analyzerv1.ListDevicesResponse
	err := rpctest.GRPCConn(t, addr).Invoke(t.Context(), analyzerv1connect.AnalyzerServiceListDevicesProcedure,
		&analyzerv1.ListDevicesRequest{Zone: "ber/b1/2/hall", Category: blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR}, &res)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.GetDevices()) != 1 || res.GetDevices()[0].GetDevicePseudonym() != "visitor-1" {
		t.Errorf("hall visitors = %v", res.GetDevices())
	}

	_, err = c.ListDevices(t.Context(), connect.NewRequest(&analyzerv1.ListDevicesRequest{PageToken: "%%%"}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "page_token") {
		t.Errorf("bad token: %v", err)
	}
	_, err = c.ListDevices(t.Context(), connect.NewRequest(&analyzerv1.ListDevicesRequest{PageSize: 5000}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "page_size") {
		t.Errorf("page size 5000: %v", err)
	}
}

func TestGetZoneOccupancy_counts_and_withholds(t *testing.T) {
	t.Parallel()
	addr, _ := start(t)
	res, err := connectClient(addr).GetZoneOccupancy(t.Context(), connect.NewRequest(&analyzerv1.GetZoneOccupancyRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*analyzerv1.ZoneOccupancy{}
	for _, z := range res.Msg.GetZones() {
		got[z.GetZone()] = z
	}
	if l := got["ber/b1/2/lab"]; l.GetPresent() != 2 || !l.GetEmployeesWithheld() {
		t.Errorf("lab = %v, want 2 present and the lone badge withheld", l)
	}
	// The default window is five one-minute buckets, the newest starting
	// at minute 1, the newest event time: it spans minutes -3 to 1, and the
	// two sensors were in the lab for the last of those four minutes.
	if l := got["ber/b1/2/lab"]; l.GetPeak() != 2 || l.GetMean() != 0.5 {
		t.Errorf("lab peak %d mean %v, want 2 and 0.5", l.GetPeak(), l.GetMean())
	}
	if h := got["ber/b1/2/hall"]; h.GetPresent() != 1 || h.GetEmployeesWithheld() {
		t.Errorf("hall = %v, want 1 present", h)
	}
	if !res.Msg.GetAsOf().AsTime().Equal(t0.Add(time.Minute)) {
		t.Errorf("as_of = %v, want the newest event time", res.Msg.GetAsOf().AsTime())
	}

	var one analyzerv1.GetZoneOccupancyResponse
	err = rpctest.GRPCConn(t, addr).Invoke(t.Context(), analyzerv1connect.AnalyzerServiceGetZoneOccupancyProcedure,
		&analyzerv1.GetZoneOccupancyRequest{Zone: "ber/b1/2/hall", WindowSeconds: 60}, &one)
	if err != nil || len(one.GetZones()) != 1 || one.GetZones()[0].GetPresent() != 1 {
		t.Errorf("hall only = %v, %v", one.GetZones(), err)
	}
	for _, bad := range []struct {
		req   *analyzerv1.GetZoneOccupancyRequest
		field string
	}{
		{&analyzerv1.GetZoneOccupancyRequest{Zone: "lab"}, "zone"},
		{&analyzerv1.GetZoneOccupancyRequest{WindowSeconds: 7200}, "window_seconds"},
	} {
		_, err := connectClient(addr).GetZoneOccupancy(t.Context(), connect.NewRequest(bad.req))
		if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), bad.field) {
			t.Errorf("%v: %v, want invalid_argument naming %s", bad.req, err, bad.field)
		}
	}
}

func TestListAlerts(t *testing.T) {
	t.Parallel()
	addr, f := start(t)
	f.reading("sensor-a", enriched.CategorySensor, lab, 2, 5)  // raises a second battery alert
	f.reading("sensor-b", enriched.CategorySensor, lab, 3, 95) // resolves sensor-b's
	res, err := connectClient(addr).ListAlerts(t.Context(), connect.NewRequest(&analyzerv1.ListAlertsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Msg.GetAlerts(); len(a) != 1 || a[0].GetDevicePseudonym() != "sensor-a" || a[0].GetZone() != "ber/b1/2/lab" {
		t.Fatalf("open alerts = %v, want sensor-a's", a)
	}
	var all []string
	token := ""
	for range 4 {
		var page analyzerv1.ListAlertsResponse
		err := rpctest.GRPCConn(t, addr).Invoke(t.Context(), analyzerv1connect.AnalyzerServiceListAlertsProcedure,
			&analyzerv1.ListAlertsRequest{IncludeResolved: true, PageSize: 1, PageToken: token}, &page)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.GetAlerts() {
			all = append(all, a.GetDevicePseudonym()+":"+resolvedWord(a))
		}
		if token = page.GetNextPageToken(); token == "" {
			break
		}
	}
	if want := []string{"sensor-a:open", "sensor-b:resolved"}; !slices.Equal(all, want) {
		t.Errorf("all alerts newest first = %v, want %v", all, want)
	}
}

func resolvedWord(a *analyzerv1.Alert) string {
	if a.GetResolvedAt() != nil {
		return "resolved"
	}
	return "open"
}

func TestWatchAlerts_streams_and_resumes(t *testing.T) {
	t.Parallel()
	addr, f := start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	stream, err := connectClient(addr).WatchAlerts(ctx, connect.NewRequest(&analyzerv1.WatchAlertsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if !stream.Receive() {
		t.Fatalf("no snapshot: %v", stream.Err())
	}
	first := stream.Msg().GetAlert()
	if first.GetDevicePseudonym() != "sensor-b" || stream.Msg().GetResolved() {
		t.Fatalf("snapshot = %v, want sensor-b's open battery alert", stream.Msg())
	}
	f.reading("sensor-b", enriched.CategorySensor, lab, 3, 95) // resolves it while we watch
	if !stream.Receive() {
		t.Fatalf("no live event: %v", stream.Err())
	}
	if !stream.Msg().GetResolved() || stream.Msg().GetAlert().GetAlertId() != first.GetAlertId() {
		t.Errorf("live event = %v, want the resolution of %s", stream.Msg(), first.GetAlertId())
	}
	_ = stream.Close()

	// Meanwhile sensor-a's battery fails; a gRPC client resumes after the
	// alert it saw and gets its resolution again, then the new alert.
	f.reading("sensor-a", enriched.CategorySensor, lab, 3, 4)
	desc := &grpc.StreamDesc{StreamName: "WatchAlerts", ServerStreams: true}
	gs, err := rpctest.GRPCConn(t, addr).NewStream(ctx, desc, analyzerv1connect.AnalyzerServiceWatchAlertsProcedure)
	if err != nil {
		t.Fatal(err)
	}
	if err := gs.SendMsg(&analyzerv1.WatchAlertsRequest{AfterAlertId: first.GetAlertId()}); err != nil {
		t.Fatal(err)
	}
	if err := gs.CloseSend(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 2 {
		var msg analyzerv1.WatchAlertsResponse
		if err := gs.RecvMsg(&msg); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatal(err)
		}
		got = append(got, msg.GetAlert().GetDevicePseudonym()+":"+resolvedWord(msg.GetAlert()))
	}
	if want := []string{"sensor-b:resolved", "sensor-a:open"}; !slices.Equal(got, want) {
		t.Errorf("resumed stream = %v, want %v", got, want)
	}
}
