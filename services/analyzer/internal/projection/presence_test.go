package projection

import (
	"slices"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

func TestPresence_session_with_move_and_timeout(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	var got []Event
	got = append(got, applyEvery(p, "d1", zoneA, 0, 10*time.Second, time.Second)...)
	got = append(got, applyEvery(p, "d1", zoneB, 11*time.Second, 15*time.Second, time.Second)...)
	// Learned interval 1s x 5 = 5s, below the 30s floor: still present at +45s.
	got = append(got, p.Tick(t0.Add(45*time.Second))...)
	got = append(got, p.Tick(t0.Add(46*time.Second))...)

	want := []string{
		"appeared d1 @0s zone=ber/b1/2/lab from= dwell=0s",
		"zone_entered d1 @0s zone=ber/b1/2/lab from= dwell=0s",
		"zone_left d1 @11s zone=ber/b1/2/lab from= dwell=11s",
		"moved_zone d1 @11s zone=ber/b1/2/hall from=ber/b1/2/lab dwell=11s",
		"zone_entered d1 @11s zone=ber/b1/2/hall from= dwell=0s",
		"zone_left d1 @15s zone=ber/b1/2/hall from= dwell=4s",
		"disappeared d1 @15s zone=ber/b1/2/hall from= dwell=15s",
	}
	if g := describe(got); !slices.Equal(g, want) {
		t.Errorf("events:\n got %q\nwant %q", g, want)
	}
	v, ok := p.Device("d1")
	if !ok || v.Present || v.Zone != zoneB || v.ExpectedInterval != time.Second || v.Timeout != 30*time.Second {
		t.Errorf("device after timeout = present %v zone %v interval %s timeout %s; want gone, last zone hall, 1s, 30s",
			v.Present, v.Zone, v.ExpectedInterval, v.Timeout)
	}
}

func TestPresence_timeout_is_learned_per_device(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	applyEvery(p, "fast", zoneA, 0, 20*time.Second, time.Second)   // timeout: floor 30s
	applyEvery(p, "slow", zoneA, 0, 10*time.Minute, 2*time.Minute) // timeout: 5 x 2m = 10m
	lastFast, lastSlow := 20*time.Second, 10*time.Minute

	gone := p.Tick(t0.Add(lastSlow + 9*time.Minute))
	if g := describe(gone); len(g) != 2 || gone[1].DeviceID != "fast" || !gone[1].At.Equal(t0.Add(lastFast)) {
		t.Fatalf("after 9m of silence only the fast device should be gone at its last sighting, got %q", g)
	}
	if v, _ := p.Device("slow"); !v.Present || v.Timeout != 10*time.Minute {
		t.Fatalf("slow device: present %v timeout %s, want present with 10m timeout", v.Present, v.Timeout)
	}
	gone = p.Tick(t0.Add(lastSlow + 10*time.Minute + time.Second))
	if len(gone) != 2 || gone[1].Kind != Disappeared || gone[1].DeviceID != "slow" {
		t.Errorf("slow device should disappear after its learned 10m timeout, got %q", describe(gone))
	}
}

func TestPresence_announced_interval_sets_timeout_before_gaps_are_known(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	r := reading("beacon", 0, zoneA)
	r.AdvInterval = 20 * time.Second
	p.Apply(r)
	if v, _ := p.Device("beacon"); v.Timeout != 100*time.Second {
		t.Errorf("timeout = %s, want 5 x announced 20s = 100s", v.Timeout)
	}
}

func TestPresence_gap_longer_than_timeout_splits_session_without_tick(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	applyEvery(p, "d1", zoneA, 0, 5*time.Second, time.Second)
	got := p.Apply(reading("d1", 5*time.Minute, zoneA))
	want := []string{
		"zone_left d1 @5s zone=ber/b1/2/lab from= dwell=5s",
		"disappeared d1 @5s zone=ber/b1/2/lab from= dwell=5s",
		"appeared d1 @5m0s zone=ber/b1/2/lab from= dwell=0s",
		"zone_entered d1 @5m0s zone=ber/b1/2/lab from= dwell=0s",
	}
	if g := describe(got); !slices.Equal(g, want) {
		t.Errorf("events:\n got %q\nwant %q", g, want)
	}
}

func TestPresence_late_reading_updates_values_but_not_presence(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	p.Apply(reading("d1", 10*time.Second, zoneA))
	late := reading("d1", 2*time.Second, zoneB)
	if ev := p.Apply(late); len(ev) != 0 {
		t.Errorf("late reading caused events %q", describe(ev))
	}
	if v, _ := p.Device("d1"); v.Zone != zoneA || !v.LastSeen.Equal(t0.Add(10*time.Second)) {
		t.Errorf("late reading moved device to %v / last seen %v", v.Zone, v.LastSeen)
	}
}

func TestPresence_stray_readings_from_a_neighbouring_zone_do_not_move_the_device(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	var got []Event
	for i, z := range []enriched.Zone{zoneA, zoneB, zoneA, zoneB, zoneA, zoneB, zoneB, zoneB} {
		got = append(got, p.Apply(reading("d1", time.Duration(i)*time.Second, z))...)
	}
	want := []string{
		"appeared d1 @0s zone=ber/b1/2/lab from= dwell=0s",
		"zone_entered d1 @0s zone=ber/b1/2/lab from= dwell=0s",
		// confirmed by the reading at 6s, dated at the first of the run (5s)
		"zone_left d1 @5s zone=ber/b1/2/lab from= dwell=5s",
		"moved_zone d1 @5s zone=ber/b1/2/hall from=ber/b1/2/lab dwell=5s",
		"zone_entered d1 @5s zone=ber/b1/2/hall from= dwell=0s",
	}
	if g := describe(got); !slices.Equal(g, want) {
		t.Errorf("events:\n got %q\nwant %q", g, want)
	}
}

func TestPresence_move_after_one_reading_when_configured(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{MoveAfter: 1})
	p.Apply(reading("d1", 0, zoneA))
	got := p.Apply(reading("d1", time.Second, zoneB))
	if len(got) != 3 || got[1].Kind != MovedZone {
		t.Errorf("events = %q, want an immediate move", describe(got))
	}
}
