package projection

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

func TestOccupancy_counts_over_sliding_windows(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	// Minute 0: v1, v2, v3 enter lab. Minute 2: v3 moves to the hall after
	// 2m. Minute 4: v4 enters lab. All report every 10s until minute 6.
	for at := time.Duration(0); at <= 6*time.Minute; at += 10 * time.Second {
		p.Apply(reading("v1", at, zoneA))
		p.Apply(reading("v2", at, zoneA))
		z3 := zoneA
		if at >= 2*time.Minute {
			z3 = zoneB
		}
		p.Apply(reading("v3", at, z3))
		if at >= 4*time.Minute {
			p.Apply(reading("v4", at, zoneA))
		}
	}
	now := t0.Add(6*time.Minute + 30*time.Second)
	tests := []struct {
		name   string
		zone   enriched.Zone
		window time.Duration
		want   Occupancy
	}{
		{"lab_last_minute", zoneA, time.Minute, Occupancy{Current: 3, Peak: 3, Mean: 3}},
		{"lab_last_3m", zoneA, 3 * time.Minute, Occupancy{Current: 3, Peak: 3, Mean: 3, Entries: 1}},
		// The window starts at minute -3, when the zones were empty: 3
		// devices for 2m, 2 for 2m, 3 for 2.5m over 9.5m.
		{"lab_whole_run", zoneA, 10 * time.Minute, Occupancy{Current: 3, Peak: 3, Mean: 17.5 / 9.5, Entries: 4, Exits: 1, MeanDwell: 2 * time.Minute}},
		{"hall_whole_run", zoneB, 10 * time.Minute, Occupancy{Current: 1, Peak: 1, Mean: 4.5 / 9.5, Entries: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Occupancy(tt.zone.Key(), now, tt.window)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Zone, tt.want.Window = tt.zone, tt.window
			if got != tt.want {
				t.Errorf("Occupancy = %+v\nwant        %+v", got, tt.want)
			}
		})
	}
}

func TestOccupancy_peak_remembers_departed_devices(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	for i := range 4 {
		p.Apply(reading(fmt.Sprintf("v%d", i), 0, zoneA))
	}
	// All four time out (initial timeout 2m); nothing else happens.
	p.Tick(t0.Add(5 * time.Minute))
	got, err := p.Occupancy(zoneA.Key(), t0.Add(5*time.Minute), 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got.Current != 0 || got.Peak != 4 || got.Exits != 4 {
		t.Errorf("Occupancy = %+v, want current 0, peak 4, exits 4", got)
	}
}

func TestOccupancy_rejects_bad_queries(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	if _, err := p.Occupancy("lab", t0, time.Minute); err == nil {
		t.Error("zone key without levels: want error")
	}
	if _, err := p.Occupancy(zoneA.Key(), t0, 2*time.Hour); err == nil {
		t.Error("window beyond 60 buckets of 1m: want error")
	}
}

func TestPrivacy_restricted_devices_only_in_aggregates_of_k(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{MinAggregate: 3})
	employee := func(id string) enriched.Reading {
		r := reading(id, 0, zoneA)
		r.Category = enriched.CategoryEmployee
		return r
	}
	p.Apply(reading("visitor", 0, zoneA))
	p.Apply(employee("e1"))
	p.Apply(employee("e2"))
	occ := func() int {
		o, err := p.Occupancy(zoneA.Key(), t0, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return o.Current
	}
	if got := occ(); got != 1 {
		t.Errorf("with 2 restricted devices (k=3) occupancy = %d, want 1 (visitor only)", got)
	}
	p.Apply(employee("e3"))
	if got := occ(); got != 4 {
		t.Errorf("with 3 restricted devices (k=3) occupancy = %d, want 4", got)
	}
	if _, ok := p.Device("e1"); ok {
		t.Error("restricted device returned individually by Device")
	}
	page, _ := p.Devices(DeviceFilter{})
	if len(page) != 1 || page[0].ID != "visitor" {
		t.Errorf("Devices listed %d devices, want only the visitor", len(page))
	}
	covered := employee("e4")
	covered.WorksCouncil = true
	p.Apply(covered)
	if _, ok := p.Device("e4"); !ok {
		t.Error("employee device covered by an agreement should be listed")
	}
}

func TestErase_removes_device_and_its_presence(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	p.Apply(reading("gone", 0, zoneA))
	p.Apply(reading("stays", 0, zoneA))
	if err := p.Flush(func(string, []byte) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if !p.Erase("gone") || p.Erase("never-seen") {
		t.Fatal("Erase should report true for a known device and false otherwise")
	}
	var deleted []string
	err := p.Flush(func(key string, value []byte) error {
		if value == nil {
			deleted = append(deleted, key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 1 || deleted[0] != "device/gone" {
		t.Errorf("Flush deleted %q, want [device/gone]", deleted)
	}
	if _, ok := p.Device("gone"); ok {
		t.Error("erased device still returned")
	}
	if o, _ := p.Occupancy(zoneA.Key(), t0, time.Minute); o.Current != 1 {
		t.Errorf("occupancy after erasure = %d, want 1", o.Current)
	}
	if ev := p.Tick(t0.Add(time.Hour)); len(ev) != 2 || ev[1].DeviceID != "stays" {
		t.Errorf("timeouts after erasure = %q, want only the remaining device", describe(ev))
	}
}

func TestPersist_restored_projection_continues_identically(t *testing.T) {
	t.Parallel()
	live := newProjection(t, Config{})
	for at := time.Duration(0); at < 3*time.Minute; at += 7 * time.Second {
		r := reading("s1", at, zoneA)
		r.Measurements = []enriched.Measurement{{Quantity: "temperature", Value: 20 + float64(at%5)/10, Unit: "Cel"}}
		r.Battery = enriched.Battery{Known: true, Percent: 88}
		live.Apply(r)
		live.Apply(reading("v1", at, zoneB))
	}
	restored := newProjection(t, Config{})
	err := live.Dump(func(key string, value []byte) error { return restored.Load(key, value) })
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*Projection{live, restored} {
		p.Apply(reading("s1", 4*time.Minute, zoneB))
		p.Tick(t0.Add(20 * time.Minute))
	}
	a, b := dump(t, live), dump(t, restored)
	if !bytes.Equal(a, b) {
		t.Errorf("restored projection diverged:\nlive     %s\nrestored %s", a, b)
	}
	if !bytes.Contains(a, []byte("temperature")) {
		t.Errorf("dump lacks the measurement: %s", a)
	}
}

func TestOccupancy_idle_buckets_keep_the_count_from_before_an_entry(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	p.Apply(reading("early", 0, zoneA))
	p.Tick(t0.Add(10 * time.Minute)) // early leaves (initial timeout 2m)
	p.Apply(reading("late", 30*time.Minute, zoneA))
	// Nobody was in the lab from minute 0 to 30; the buckets opened by the
	// late entry must say so.
	got, err := p.Occupancy(zoneA.Key(), t0.Add(29*time.Minute), 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got.Peak != 0 || got.Entries != 0 {
		t.Errorf("minutes 20-29: %+v, want peak 0 and no entries", got)
	}
}

func TestOccupancy_windowed_tallies_apply_k_to_restricted_devices(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		restricted int
		want       int
	}{{"below_k_left_out", 2, 1}, {"at_k_counted", 3, 4}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newProjection(t, Config{MinAggregate: 3})
			// Everyone arrives in the first seconds and is heard again at
			// 30s, so all are there together then.
			for _, at := range []time.Duration{0, 30 * time.Second} {
				p.Apply(reading("visitor", at, zoneA))
				for i := range tt.restricted {
					r := reading(fmt.Sprintf("e%d", i), max(at, time.Duration(i)*time.Second), zoneA)
					r.Category = enriched.CategoryEmployee
					p.Apply(r)
				}
			}
			p.Tick(t0.Add(10 * time.Minute)) // everyone times out
			got, err := p.Occupancy(zoneA.Key(), t0.Add(10*time.Minute), 15*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if got.Entries != tt.want || got.Exits != tt.want || got.Peak != tt.want {
				t.Errorf("Occupancy = %+v, want entries, exits and peak %d", got, tt.want)
			}
		})
	}
}
