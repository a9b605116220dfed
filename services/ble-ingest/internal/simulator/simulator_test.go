package simulator

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/capture"
)

var start = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

func newOffice(t testing.TB, seed uint64) *Simulator {
	t.Helper()
	s, err := New(Office(seed, start))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSameSeedSameAdvertisements(t *testing.T) {
	t.Parallel()
	a, err := newOffice(t, 42).Step(start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newOffice(t, 42).Step(start.Add(time.Minute))
	c, _ := newOffice(t, 43).Step(start.Add(time.Minute))
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("seed 42 twice: %d vs %d advertisements, or they differ", len(a), len(b))
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("seeds 42 and 43 gave identical output")
	}
}

func TestSteppingInPiecesEqualsOneStep(t *testing.T) {
	t.Parallel()
	whole, _ := newOffice(t, 7).Step(start.Add(30 * time.Second))
	s := newOffice(t, 7)
	var pieces []advert.Advertisement
	for i := 1; i <= 30; i++ {
		ads, err := s.Step(start.Add(time.Duration(i) * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		pieces = append(pieces, ads...)
	}
	if !reflect.DeepEqual(whole, pieces) {
		t.Fatalf("one step gave %d advertisements, thirty steps %d", len(whole), len(pieces))
	}
}

func TestAdvertisementsAreValidOrderedAndPaced(t *testing.T) {
	t.Parallel()
	s := newOffice(t, 1)
	ads, err := s.Step(start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	perDevice := map[advert.Address]map[time.Time]bool{}
	for i, ad := range ads {
		if err := ad.Validate(); err != nil {
			t.Fatalf("advertisement %d: %v", i, err)
		}
		if i > 0 && ad.ReceivedAt.Before(ads[i-1].ReceivedAt) {
			t.Fatalf("advertisement %d goes back in time", i)
		}
		if ad.ReceivedAt.After(start.Add(time.Minute)) {
			t.Fatalf("advertisement %d after the step's end", i)
		}
		if perDevice[ad.Address] == nil {
			perDevice[ad.Address] = map[time.Time]bool{}
		}
		perDevice[ad.Address][ad.ReceivedAt] = true
	}
	for _, d := range s.Devices() {
		sent := len(perDevice[d.Address])
		// Interval plus advDelay 0-10 ms: a minute holds at most 60s/interval.
		maxSent := int(time.Minute/d.Interval) + 1
		if sent == 0 || sent > maxSent {
			t.Errorf("%s (every %v) was heard %d times in a minute, want 1..%d", d.ID, d.Interval, sent, maxSent)
		}
	}
}

func TestRSSIFallsWithDistance(t *testing.T) {
	t.Parallel()
	cfg := Office(3, start)
	cfg.NoiseDB = 0.0001        // nearly noiseless so geometry decides
	cfg.MoveProbability = 1e-12 // devices stay where Devices() reports them
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ads, _ := s.Step(start.Add(10 * time.Second))
	gw := map[string]floorplan.Gateway{}
	for _, g := range cfg.Gateways {
		gw[g.ID] = g
	}
	pos := map[advert.Address]floorplan.Point{}
	for _, d := range s.Devices() {
		pos[d.Address] = d.pos
	}
	for _, ad := range ads {
		want := pathLossRSSI(-45, 0, 2.5, gw[ad.GatewayID].Pos.Distance(pos[ad.Address]))
		if diff := float64(ad.RSSI) - want; diff > 1 || diff < -1 {
			t.Fatalf("RSSI %d at %s, model says %.1f", ad.RSSI, ad.GatewayID, want)
		}
	}
}

func TestIncidents(t *testing.T) {
	t.Parallel()
	s := newOffice(t, 5)
	at := start.Add(20 * time.Second)
	mustInject(t, s, Incident{Kind: IncidentSilent, DeviceID: "plain-1", At: at})
	mustInject(t, s, Incident{Kind: IncidentTemperatureSpike, DeviceID: "ruuvi-1", At: at, Magnitude: 40, Duration: time.Hour})
	mustInject(t, s, Incident{Kind: IncidentBatteryDrain, DeviceID: "eddystone-1", At: at, Magnitude: 20})
	ads, err := s.Step(start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	addr := map[string]advert.Address{}
	for _, d := range s.Devices() {
		addr[d.ID] = d.Address
	}
	var lastRuuviTemp float64
	var tlmBattery []uint16
	for _, ad := range ads {
		switch ad.Address {
		case addr["plain-1"]:
			if ad.ReceivedAt.After(at) {
				t.Fatalf("silent device heard at %v", ad.ReceivedAt)
			}
		case addr["ruuvi-1"]:
			lastRuuviTemp = float64(int16(uint16(ad.Payload[8])<<8|uint16(ad.Payload[9]))) * 0.005
		case addr["eddystone-1"]:
			if ad.Payload[11] == 0x20 { // TLM frame
				tlmBattery = append(tlmBattery, uint16(ad.Payload[13])<<8|uint16(ad.Payload[14]))
			}
		}
	}
	if lastRuuviTemp < 55 {
		t.Errorf("temperature after a +40 °C spike is %.2f °C", lastRuuviTemp)
	}
	if n := len(tlmBattery); n < 2 || tlmBattery[0]-tlmBattery[n-1] < 200 {
		t.Errorf("battery after draining 20 mV/s for 40 s: %v", tlmBattery)
	}
}

func mustInject(t *testing.T, s *Simulator, inc Incident) {
	t.Helper()
	if err := s.Inject(inc); err != nil {
		t.Fatal(err)
	}
}

func TestInjectAndConfigErrorsNameTheProblem(t *testing.T) {
	t.Parallel()
	s := newOffice(t, 1)
	if err := s.Inject(Incident{Kind: IncidentSilent, DeviceID: "nobody"}); err == nil {
		t.Error("incident for an unknown device accepted")
	}
	if err := s.Inject(Incident{Kind: IncidentTemperatureSpike, DeviceID: "ruuvi-1"}); err == nil {
		t.Error("spike without duration accepted")
	}
	cfg := Office(1, start)
	cfg.Gateways[1].ID = ""
	if _, err := New(cfg); err == nil || !bytes.Contains([]byte(err.Error()), []byte("gateways[1].id")) {
		t.Errorf("New with an unnamed gateway: %v", err)
	}
}

// The simulator writes fixture captures: its output survives a btsnoop round
// trip through the capture package unchanged but for the source kind.
func TestWritesFixtureCapture(t *testing.T) {
	t.Parallel()
	ads, _ := newOffice(t, 9).Step(start.Add(5 * time.Second))
	var buf bytes.Buffer
	w, err := capture.NewBtsnoopWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, ad := range ads {
		if err := w.Write(ad); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err := capture.ReadAll(&buf, capture.Options{GatewayID: "replay"})
	if err != nil || len(got) != len(ads) {
		t.Fatalf("read back %d of %d advertisements: %v", len(got), len(ads), err)
	}
	for i := range ads {
		if !bytes.Equal(got[i].Payload, ads[i].Payload) || got[i].Address != ads[i].Address || got[i].RSSI != ads[i].RSSI || !got[i].ReceivedAt.Equal(ads[i].ReceivedAt) {
			t.Fatalf("advertisement %d changed:\n got %+v\nwant %+v", i, got[i], ads[i])
		}
	}
}
