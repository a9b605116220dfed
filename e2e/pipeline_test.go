package e2e_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"math"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/gen/bluestream/analyzer/v1/analyzerv1connect"
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/stack"
	"github.com/bluestream/bluestream/stack/h2c"
)

// ruuviDF5 is the RuuviTag data format 5 example from Ruuvi's specification
// (24.3 °C, 53.49 %, 1000.44 hPa, 2.977 V), behind a flags AD structure.
var ruuviDF5 = mustHex("020106" + "1bff9904" + "0512fc5394c37c0004fffc040cac364200cdcbb8334c884f")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// newAddress returns a random static address no simulated device has.
func newAddress(t *testing.T) []byte {
	t.Helper()
	a := make([]byte, 6)
	if _, err := rand.Read(a); err != nil {
		t.Fatal(err)
	}
	a[0] |= 0xC0
	return a
}

func scanned(addr, payload []byte, at time.Time) *blev1.ScannedAdvertisement {
	ch := uint32(37)
	return &blev1.ScannedAdvertisement{
		ScannedAt: timestamppb.New(at), Address: addr, AddressType: blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC,
		Rssi: -61, PrimaryPhy: blev1.Phy_PHY_LE_1M, Channel: &ch,
		EventType: blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_ADV_NONCONN_IND, Payload: payload,
	}
}

func ingestClient(st *stack.Stack) ingestv1connect.IngestServiceClient {
	return ingestv1connect.NewIngestServiceClient(h2c.Client(), st.URLs["ble-ingest"])
}

func measurement(ms []*blev1.Measurement, quantity string) (float64, bool) {
	for _, m := range ms {
		if m.GetQuantity() == quantity {
			return m.GetValue(), true
		}
	}
	return 0, false
}

// TestAdvertisementTravelsEveryStage follows one RuuviTag advertisement sent to
// ble-ingest over RPC: decoded on the primary, enriched with the gateway's zone
// and a pseudonym, mirrored to the aws cluster and projected by the analyzer.
func TestAdvertisementTravelsEveryStage(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	addr := newAddress(t)
	at := time.Now().UTC().Truncate(time.Microsecond)
	res, err := ingestClient(st).Ingest(t.Context(), connect.NewRequest(&ingestv1.IngestRequest{Batch: &ingestv1.Batch{
		GatewayId: "gw-lab", Sequence: uint64(at.UnixMicro()),
		Advertisements: []*blev1.ScannedAdvertisement{scanned(addr, ruuviDF5, at)},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetAccepted() != 1 {
		t.Fatalf("accepted %d advertisements, want 1", res.Msg.GetAccepted())
	}

	var reading blev1.ReadingDecoded
	findRecord(t, st.Clusters.Primary.ListenAddrs(), topic.Readings, decoded(&reading, func(r *blev1.ReadingDecoded) bool {
		return bytes.Equal(r.GetReceived().GetAdvertisement().GetAddress(), addr)
	}))
	if got := reading.GetReceived().GetGatewayId(); got != "gw-lab" {
		t.Errorf("reading from gateway %q, want gw-lab", got)
	}
	if c, ok := measurement(reading.GetDecoded().GetMeasurements(), "temperature"); !ok || math.Abs(c-24.3) > 1e-9 {
		t.Errorf("decoded temperature %v (found %v), want 24.3 from the Ruuvi spec example; formats %v",
			c, ok, reading.GetDecoded().GetFormats())
	}

	// On the mirror the address is gone: the test recognises its reading by the
	// time ble-ingest received it and the measurement it carries.
	receivedAt := reading.GetReceived().GetReceivedAt().AsTime()
	var enriched blev1.ReadingEnriched
	findRecord(t, st.Clusters.Mirror.ListenAddrs(), topic.Remote(stack.PrimaryAlias, topic.Enriched), decoded(&enriched, func(e *blev1.ReadingEnriched) bool {
		p, ok := measurement(e.GetMeasurements(), "pressure")
		return e.GetReceivedAt().AsTime().Equal(receivedAt) && ok && math.Abs(p-1000.44) < 1e-9
	}))
	if got := enriched.GetPlace().GetZone(); got != "lab" {
		t.Errorf("enriched zone %q, want lab (gw-lab's zone)", got)
	}
	if len(enriched.GetReceivers()) != 1 || enriched.GetReceivers()[0].GetGatewayId() != "gw-lab" {
		t.Errorf("receivers %v, want gw-lab alone", enriched.GetReceivers())
	}
	pseudonym := enriched.GetDevicePseudonym()
	for _, form := range []string{hex.EncodeToString(addr), strings.ToUpper(hex.EncodeToString(addr))} {
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(pseudonym, ":", ""), "-", ""), form) {
			t.Errorf("pseudonym %q reveals the address %s", pseudonym, form)
		}
	}
	if enriched.GetDataProtection().GetSubjectCategory() == blev1.SubjectCategory_SUBJECT_CATEGORY_UNSPECIFIED {
		t.Error("enriched reading carries no data-protection category")
	}

	if _, ok := st.URLs["analyzer"]; !ok {
		t.Log("analyzer not in this checkout: the analyzer leg is not checked")
		return
	}
	analyzer := analyzerv1connect.NewAnalyzerServiceClient(h2c.Client(), st.URLs["analyzer"])
	device := pollAnalyzerDevice(t, analyzer, pseudonym)
	// The analyzer names a zone by its full place, site/building/floor/zone.
	if z := device.GetZone(); z != "lab" && !strings.HasSuffix(z, "/lab") {
		t.Errorf("analyzer has the device in zone %q, want the lab", z)
	}
	if c, ok := measurement(device.GetMeasurements(), "temperature"); !ok || math.Abs(c-24.3) > 1e-9 {
		t.Errorf("analyzer's device temperature %v (found %v), want 24.3", c, ok)
	}
}

// pollAnalyzerDevice asks the analyzer for the device until its projection has
// it, which happens once the analyzer consumed the mirrored reading.
func pollAnalyzerDevice(t *testing.T, c analyzerv1connect.AnalyzerServiceClient, pseudonym string) *analyzerv1.Device {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := c.GetDevice(t.Context(), connect.NewRequest(&analyzerv1.GetDeviceRequest{DevicePseudonym: pseudonym}))
		if err == nil && res.Msg.GetDevice() != nil {
			return res.Msg.GetDevice()
		}
		if err != nil && connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("analyzer GetDevice: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("analyzer did not project device %s within %s (last: %v)", pseudonym, waitFor, err)
		}
		<-tick.C
	}
}
