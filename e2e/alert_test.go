package e2e_test

import (
	"bytes"
	"testing"
	"time"

	"connectrpc.com/connect"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/h2c"
)

// bthomeLowBattery is a BTHome v2 sensor (service data 0xFCD2, unencrypted)
// reporting packet 9, battery 4 %, 21.50 °C and 45.00 % humidity: a drained
// battery, the incident the analyzer's battery_low rule is for.
var bthomeLowBattery = []byte{0x02, 0x01, 0x06, 0x0e, 0x16, 0xd2, 0xfc, 0x40, 0x00, 0x09, 0x01, 0x04, 0x02, 0x66, 0x08, 0x03, 0x94, 0x11}

// TestDrainedBatteryRaisesAnAlert injects an incident, a sensor whose battery
// is nearly empty, and expects the analyzer on the mirror side to raise
// battery_low for that device's pseudonym.
func TestDrainedBatteryRaisesAnAlert(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	if _, ok := st.URLs["analyzer"]; !ok {
		t.Skip("analyzer not in this checkout")
	}
	addr := newAddress(t)
	at := time.Now().UTC().Truncate(time.Microsecond)
	if _, err := ingestClient(st).Ingest(t.Context(), connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{
		GatewayId: "gw-open-space", Sequence: uint64(at.UnixMicro()),
		Advertisements: []*blev1.ScannedAdvertisement{scanned(addr, bthomeLowBattery, at)}}})); err != nil {
		t.Fatal(err)
	}
	var rd blev1.ReadingDecoded
	findRecord(t, st.Clusters.Primary.ListenAddrs(), topic.Readings, decoded(&rd, func(r *blev1.ReadingDecoded) bool {
		return bytes.Equal(r.GetReceived().GetAdvertisement().GetAddress(), addr)
	}))
	if pct, ok := measurement(rd.GetDecoded().GetMeasurements(), "battery"); !ok || pct != 4 {
		t.Fatalf("decoded battery %v (found %v), want 4 %%; decoded %v", pct, ok, rd.GetDecoded())
	}
	receivedAt := rd.GetReceived().GetReceivedAt().AsTime()
	var e blev1.ReadingEnriched
	findRecord(t, st.Clusters.Mirror.ListenAddrs(), topic.Remote(stack.PrimaryAlias, topic.Enriched), decoded(&e, func(e *blev1.ReadingEnriched) bool {
		return e.GetReceivedAt().AsTime().Equal(receivedAt) && e.GetPlace().GetZone() == "open-space"
	}))

	analyzer := analyzerv1connect.NewAnalyzerServiceClient(h2c.Client(), st.URLs["analyzer"])
	var alert *analyzerv1.Alert
	waitUntil(t, "battery_low alert for "+e.GetDevicePseudonym(), func() bool {
		res, err := analyzer.ListAlerts(t.Context(), connect.NewRequest(&analyzerv1.ListAlertsRequest{DevicePseudonym: e.GetDevicePseudonym()}))
		if err != nil {
			t.Fatalf("ListAlerts: %v", err)
		}
		for _, a := range res.Msg.GetAlerts() {
			if a.GetRule() == "battery_low" {
				alert = a
				return true
			}
		}
		return false
	})
	if alert.GetValue() != 4 || alert.GetDevicePseudonym() != e.GetDevicePseudonym() {
		t.Errorf("alert %v, want battery 4 for %s", alert, e.GetDevicePseudonym())
	}
}
