package analyze

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

func TestTick_on_an_idle_stream_fires_timeouts_and_hides_restricted_devices(t *testing.T) {
	t.Parallel()
	e := openEngine(t, memstore.New())
	p := store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
	devices := []struct {
		id  string
		cat enriched.Category
	}{{"sensor", enriched.CategorySensor}, {"visitor", enriched.CategoryVisitor}, {"badge", enriched.CategoryEmployee}}
	off := int64(0)
	for step := range 5 {
		for _, d := range devices {
			r := enriched.Reading{DeviceID: d.id, GatewayID: "gw", Category: d.cat, Zone: zones[0],
				EventTime: t0.Add(time.Duration(step) * 10 * time.Second)}
			if _, err := e.ApplyReading(Offset{Partition: p, Offset: off}, r); err != nil {
				t.Fatal(err)
			}
			off++
		}
	}
	// Last sighting at +40s. Interval 10s: presence timeout max(30s, 5x10s)
	// = 50s, silence 10 x 10s = 100s, gateway 2m.
	var got []string
	for _, now := range []time.Duration{80 * time.Second, 100 * time.Second, 150 * time.Second, 170 * time.Second} {
		out := e.Tick(t0.Add(now))
		for _, ev := range out.Presence {
			got = append(got, fmt.Sprintf("%s: %s %s @%s", now, ev.Kind, ev.DeviceID, ev.At.Sub(t0)))
		}
		for _, ev := range out.Alerts {
			got = append(got, fmt.Sprintf("%s: %s %s @%s", now, ev.Type, ev.Alert.Rule, ev.At.Sub(t0)))
		}
	}
	want := []string{
		"1m40s: zone_left sensor @40s", "1m40s: disappeared sensor @40s",
		"1m40s: zone_left visitor @40s", "1m40s: disappeared visitor @40s",
		"2m30s: raised device_silent @2m20s",
		"2m50s: raised gateway_silent @2m40s",
	}
	if !slices.Equal(got, want) {
		t.Errorf("tick output:\n got %q\nwant %q", got, want)
	}
	if pt := e.PartitionTimes(); len(pt) != 1 || !pt[p].Equal(t0.Add(40*time.Second)) {
		t.Errorf("partition times = %v, want %s at +40s", pt, p)
	}
	if o, _ := e.Occupancy(zones[0].Key(), time.Minute); o.Current != 0 {
		t.Errorf("lobby occupancy after timeouts = %d, want 0", o.Current)
	}
}
