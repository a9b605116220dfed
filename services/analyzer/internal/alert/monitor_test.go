package alert

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newMonitor(t testing.TB, cfg Config) *Monitor {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

func sensorReading(id string, at time.Duration, ms ...enriched.Measurement) enriched.Reading {
	return enriched.Reading{
		DeviceID: id, GatewayID: "gw-1", EventTime: t0.Add(at),
		Category: enriched.CategorySensor, Measurements: ms,
	}
}

func temperature(v float64) enriched.Measurement {
	return enriched.Measurement{Quantity: "temperature", Value: v, Unit: "Cel"}
}

func describe(events []Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = fmt.Sprintf("%s %s dev=%s gw=%s q=%s @%s", e.Type, e.Alert.Rule, e.Alert.DeviceID, e.Alert.GatewayID, e.Alert.Quantity, e.At.Sub(t0))
	}
	return out
}

func assertEvents(t *testing.T, got []Event, want ...string) {
	t.Helper()
	if g := describe(got); !slices.Equal(g, want) {
		t.Errorf("events:\n got %q\nwant %q", g, want)
	}
}

func TestAnomaly_finds_the_spike_in_a_seeded_noisy_series(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{})
	rng := rand.New(rand.NewPCG(6, 2026))
	var got []Event
	for i := range 1000 {
		v := 20 + 0.5*rng.NormFloat64() + 0.001*float64(i) // slow drift must not alert
		if i == 600 {
			v += 8 // 16 standard deviations
		}
		got = append(got, m.Observe(sensorReading("s1", time.Duration(i)*time.Minute, temperature(v)), time.Minute)...)
	}
	assertEvents(t, got,
		"raised anomaly dev=s1 gw=gw-1 q=temperature @10h0m0s",
		"resolved anomaly dev=s1 gw=gw-1 q=temperature @10h1m0s",
	)
}

func TestAnomaly_waits_for_warm_up(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{Anomaly: AnomalyConfig{WarmUp: 10}})
	var got []Event
	for i, v := range []float64{20, 21, 20, 21, 20, 21, 20, 21, 100} { // spike in warm-up
		got = append(got, m.Observe(sensorReading("s1", time.Duration(i)*time.Minute, temperature(v)), 0)...)
	}
	assertEvents(t, got)
}

func TestSilence_device_raises_once_after_expected_interval_times_factor(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{GatewaySilentAfter: time.Hour})
	for i := range 10 {
		m.Observe(sensorReading("s1", time.Duration(i)*30*time.Second), 30*time.Second)
	}
	last := 270 * time.Second // silent threshold: 10 x 30s = 5m
	assertEvents(t, m.Tick(t0.Add(last+5*time.Minute-time.Second)))
	assertEvents(t, m.Tick(t0.Add(last+5*time.Minute+time.Second)), "raised device_silent dev=s1 gw=gw-1 q= @9m30s")
	assertEvents(t, m.Tick(t0.Add(last+20*time.Minute)))
	if open := m.Open(); len(open) != 1 || open[0].Rule != RuleDeviceSilent {
		t.Fatalf("open alerts = %+v, want one device_silent", open)
	}
	assertEvents(t, m.Observe(sensorReading("s1", last+30*time.Minute), 30*time.Second),
		"resolved device_silent dev=s1 gw=gw-1 q= @34m30s")
}

func TestSilence_gap_found_without_tick_is_still_reported(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{GatewaySilentAfter: time.Hour})
	m.Observe(sensorReading("s1", 0), 10*time.Second)
	assertEvents(t, m.Observe(sensorReading("s1", 5*time.Minute), 10*time.Second),
		"raised device_silent dev=s1 gw=gw-1 q= @1m40s",
		"resolved device_silent dev=s1 gw=gw-1 q= @5m0s")
}

func TestSilence_visitors_are_not_watched(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{GatewaySilentAfter: time.Hour})
	r := sensorReading("phone", 0)
	r.Category = enriched.CategoryVisitor
	m.Observe(r, time.Second)
	assertEvents(t, m.Tick(t0.Add(50*time.Minute)))
}

func TestGatewaySilent(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{SilentCategories: []enriched.Category{}})
	m.Observe(sensorReading("s1", 0), 0)
	m.Observe(sensorReading("s1", 10*time.Second), 0)
	assertEvents(t, m.Tick(t0.Add(3*time.Minute)), "raised gateway_silent dev= gw=gw-1 q= @2m10s")
	assertEvents(t, m.Observe(sensorReading("s2", 4*time.Minute), 0), "resolved gateway_silent dev= gw=gw-1 q= @4m0s")
}

func TestBatteryLow_deduplicates_and_resolves_with_hysteresis(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{})
	var got []Event
	for i, pct := range []float64{20, 14, 12, 17, 21} {
		r := sensorReading("s1", time.Duration(i)*time.Minute)
		r.Battery = enriched.Battery{Known: true, Percent: pct}
		got = append(got, m.Observe(r, time.Minute)...)
	}
	assertEvents(t, got, "raised battery_low dev=s1 gw=gw-1 q= @1m0s", "resolved battery_low dev=s1 gw=gw-1 q= @4m0s")
	if got[0].Alert.ID != got[1].Alert.ID || got[0].Alert.Value != 14 {
		t.Errorf("resolved id %s != raised id %s, or value %v != 14", got[1].Alert.ID, got[0].Alert.ID, got[0].Alert.Value)
	}
}

func TestOutOfRange(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{Ranges: map[string]Range{"temperature": {Min: 0, Max: 30}}})
	var got []Event
	for i, v := range []float64{25, 35, 36, 25, -1} {
		got = append(got, m.Observe(sensorReading("s1", time.Duration(i)*time.Minute, temperature(v)), time.Minute)...)
	}
	assertEvents(t, got,
		"raised out_of_range dev=s1 gw=gw-1 q=temperature @1m0s",
		"resolved out_of_range dev=s1 gw=gw-1 q=temperature @3m0s",
		"raised out_of_range dev=s1 gw=gw-1 q=temperature @4m0s")
	if got[2].Alert.Threshold != 0 || got[0].Alert.Threshold != 30 {
		t.Errorf("thresholds = %v, %v; want the crossed limits 30 and 0", got[0].Alert.Threshold, got[2].Alert.Threshold)
	}
}

func TestRestricted_devices_raise_no_device_alerts(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{})
	r := sensorReading("badge", 0)
	r.Category = enriched.CategoryEmployee
	r.Battery = enriched.Battery{Known: true, Percent: 1}
	assertEvents(t, m.Observe(r, 0))
}

func TestErase_resolves_the_subjects_open_alerts(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{})
	for _, id := range []string{"s1", "s2"} {
		r := sensorReading(id, 0)
		r.Battery = enriched.Battery{Known: true, Percent: 3}
		m.Observe(r, 0)
	}
	assertEvents(t, m.Erase("s1", t0.Add(time.Minute)), "resolved battery_low dev=s1 gw=gw-1 q= @1m0s")
	if open := m.Open(); len(open) != 1 || open[0].DeviceID != "s2" {
		t.Errorf("open after erasure = %+v, want only s2's alert", open)
	}
	assertEvents(t, m.Tick(t0.Add(time.Hour)), "raised gateway_silent dev= gw=gw-1 q= @2m0s", "raised device_silent dev=s2 gw=gw-1 q= @15m0s")
}

func TestConfig_validation_names_the_field(t *testing.T) {
	t.Parallel()
	_, err := New(Config{Ranges: map[string]Range{"co2": {Min: 5, Max: 1}}})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("ranges[co2]")) {
		t.Errorf("err = %v, want one naming ranges[co2]", err)
	}
	if _, err := New(Config{Ranges: map[string]Range{"co2": {Min: math.Inf(-1), Max: 2000}}}); err != nil {
		t.Errorf("open-ended range rejected: %v", err)
	}
}

func TestPersist_restored_monitor_continues_identically(t *testing.T) {
	t.Parallel()
	cfg := Config{Ranges: map[string]Range{"temperature": {Min: 0, Max: 30}}}
	live := newMonitor(t, cfg)
	rng := rand.New(rand.NewPCG(1, 1))
	temps := make([]float64, 100)
	for i := range temps {
		temps[i] = 25 + 4*rng.NormFloat64()
	}
	feed := func(m *Monitor, from, to int) []Event {
		var out []Event
		for i := from; i < to; i++ {
			r := sensorReading(fmt.Sprintf("s%d", i%3), time.Duration(i)*time.Minute, temperature(temps[i]))
			r.Battery = enriched.Battery{Known: true, Percent: float64(100 - i)}
			out = append(out, m.Observe(r, 3*time.Minute)...)
		}
		return out
	}
	feed(live, 0, 90)
	restored := newMonitor(t, cfg)
	if err := live.Dump(restored.Load); err != nil {
		t.Fatal(err)
	}
	a := append(feed(live, 90, 100), live.Tick(t0.Add(3*time.Hour))...)
	b := append(feed(restored, 90, 100), restored.Tick(t0.Add(3*time.Hour))...)
	if !slices.Equal(describe(a), describe(b)) || len(a) == 0 {
		t.Errorf("restored monitor diverged:\nlive     %q\nrestored %q", describe(a), describe(b))
	}
	var da, db bytes.Buffer
	for m, buf := range map[*Monitor]*bytes.Buffer{live: &da, restored: &db} {
		if err := m.Dump(func(k string, v []byte) error { _, err := fmt.Fprintf(buf, "%s=%s\n", k, v); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(da.Bytes(), db.Bytes()) {
		t.Errorf("dumps differ:\n%s\n%s", da.Bytes(), db.Bytes())
	}
}

func TestRestricted_device_that_loses_its_agreement_is_no_longer_watched(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{GatewaySilentAfter: time.Hour})
	r := sensorReading("badge", 0)
	r.Category, r.WorksCouncil = enriched.CategoryEmployee, true
	r.Battery = enriched.Battery{Known: true, Percent: 5}
	assertEvents(t, m.Observe(r, 0), "raised battery_low dev=badge gw=gw-1 q= @0s")
	r.WorksCouncil, r.EventTime = false, t0.Add(time.Minute)
	assertEvents(t, m.Observe(r, 0), "resolved battery_low dev=badge gw=gw-1 q= @1m0s")
	if len(m.Open()) != 0 {
		t.Errorf("open alerts remain: %+v", m.Open())
	}
}

func TestAnomaly_level_shift_raises_once_then_resolves_as_the_mean_adapts(t *testing.T) {
	t.Parallel()
	m := newMonitor(t, Config{})
	rng := rand.New(rand.NewPCG(3, 3))
	var got []Event
	for i := range 400 {
		v := 50 + rng.NormFloat64()
		if i >= 200 {
			v -= 30 // the sensor is moved into a cold store
		}
		got = append(got, m.Observe(sensorReading("s1", time.Duration(i)*time.Minute, temperature(v)), time.Minute)...)
	}
	if len(got) != 2 || got[0].Type != Raised || !got[0].At.Equal(t0.Add(200*time.Minute)) || got[1].Type != Resolved {
		t.Fatalf("events = %q, want one anomaly raised at 3h20m and later resolved", describe(got))
	}
	if got[0].Alert.Value > 25 {
		t.Errorf("raised value = %v, want the shifted level (about 20)", got[0].Alert.Value)
	}
}
