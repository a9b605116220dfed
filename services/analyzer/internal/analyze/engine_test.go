package analyze

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

func openEngine(t testing.TB, st store.Store) *Engine {
	t.Helper()
	e, err := Open(t.Context(), st, Config{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return e
}

func dumpEngine(t testing.TB, e *Engine) string {
	t.Helper()
	var b strings.Builder
	if err := e.Dump(func(k string, v []byte) error { _, err := fmt.Fprintf(&b, "%s=%s\n", k, v); return err }); err != nil {
		t.Fatalf("Dump: %v", err)
	}
	return b.String()
}

func dumpStore(t testing.TB, st store.Store) string {
	t.Helper()
	var b strings.Builder
	if err := st.Scan(t.Context(), "", func(k string, v []byte) error { _, err := fmt.Fprintf(&b, "%s=%s\n", k, v); return err }); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return b.String()
}

// alertLog renders alert events by identity, as a downstream consumer
// deduplicating by id would see them.
func alertLog(events []alert.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = fmt.Sprintf("%s %s %s %s", ev.Type, ev.Alert.ID, ev.Alert.Rule, ev.Alert.DeviceID+ev.Alert.GatewayID)
	}
	return out
}

// run applies records, committing every commitEvery records and at the end.
func run(t testing.TB, e *Engine, records []record, commitEvery int) []alert.Event {
	t.Helper()
	var alerts []alert.Event
	for i, r := range records {
		out, err := apply(e, r)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		alerts = append(alerts, out.Alerts...)
		if (i+1)%commitEvery == 0 {
			if err := e.Commit(t.Context()); err != nil {
				t.Fatalf("Commit: %v", err)
			}
		}
	}
	if err := e.Commit(t.Context()); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return alerts
}

func TestCrash_restart_and_rebuild_reach_the_same_state(t *testing.T) {
	t.Parallel()
	records := testStream(1)

	// Uninterrupted run: the reference every store must reach.
	uninterrupted := openEngine(t, memstore.New())
	wantAlerts := alertLog(run(t, uninterrupted, records, 100))
	want := dumpEngine(t, uninterrupted)

	forEachStore(t, durable, func(t *testing.T, b backend) {
		// Run that crashes after record 1234, having last committed after 1200.
		open := b.Fresh(t)
		st := open()
		first := openEngine(t, st)
		var gotAlerts []string
		const crashAt, lastCommit = 1234, 1200
		for i, r := range records[:crashAt] {
			out, err := apply(first, r)
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			if i < lastCommit { // output after the last commit dies with the process
				gotAlerts = append(gotAlerts, alertLog(out.Alerts)...)
			}
			if i+1 == lastCommit {
				if err := first.Commit(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := st.Close(); err != nil { // the crash: nothing after record 1200 is committed
			t.Fatal(err)
		}

		// Restart: the consumer rewinds to the start of the topic (worst
		// case); the engine must skip what its state already holds.
		st = open()
		restarted := openEngine(t, st)
		offs := restarted.Offsets()
		if total := offs[records[0].at.Partition] + offs[records[1].at.Partition]; total != lastCommit {
			t.Fatalf("restored offsets %v cover %d records, want %d", offs, total, lastCommit)
		}
		duplicates := 0
		for i, r := range records {
			out, err := apply(restarted, r)
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			if out.Duplicate {
				duplicates++
			}
			gotAlerts = append(gotAlerts, alertLog(out.Alerts)...)
		}
		if duplicates != lastCommit {
			t.Errorf("skipped %d records as already applied, want %d", duplicates, lastCommit)
		}
		if err := restarted.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}

		if got := dumpEngine(t, restarted); got != want {
			t.Errorf("state after crash and restart differs from the uninterrupted run:\n%s", firstDiff(got, want))
		}
		if stored := dumpStore(t, st); stored != want {
			t.Errorf("stored state differs from the uninterrupted run:\n%s", firstDiff(stored, want))
		}
		if !slices.Equal(gotAlerts, wantAlerts) {
			t.Errorf("alert stream across the crash differs: got %d events, want %d", len(gotAlerts), len(wantAlerts))
		}

		// Rebuild from scratch on an empty store with another commit cadence.
		rebuiltStore := b.Fresh(t)()
		rebuilt := openEngine(t, rebuiltStore)
		run(t, rebuilt, records, 37)
		if got := dumpEngine(t, rebuilt); got != want {
			t.Errorf("rebuilt state differs:\n%s", firstDiff(got, want))
		}
		if stored := dumpStore(t, rebuiltStore); stored != want {
			t.Errorf("stored state of the rebuild differs:\n%s", firstDiff(stored, want))
		}
	})
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

func TestStream_known_answers(t *testing.T) {
	t.Parallel()
	records := testStream(1)
	forEachStore(t, everyStore, func(t *testing.T, b backend) {
		open := b.Fresh(t)
		st := open()
		e := openEngine(t, st)
		alerts := run(t, e, records, 100)

		raised := map[string][]string{}
		for _, ev := range alerts {
			if ev.Type == alert.Raised {
				subject := cmp.Or(ev.Alert.DeviceID, ev.Alert.GatewayID)
				raised[string(ev.Alert.Rule)] = append(raised[string(ev.Alert.Rule)], subject+"@"+ev.At.Sub(t0).String())
			}
		}
		// Steps are 30 s apart and device n reports n seconds into its step.
		want := map[string][]string{
			// the +6 °C spike at step 150 (75 min)
			"anomaly": {"dev-01@1h15m1s"},
			// 40% - step/10 drops below 15% at step 251 (125.5 min)
			"battery_low": {"dev-00@2h5m30s", "dev-01@2h5m31s", "dev-02@2h5m32s"},
			// 30 s interval x 10 = 5 min after the last sighting: sensors 0
			// and 3 behind gateway b during its outage (last step 199), and
			// sensor 3 again after it dies (last step 250)
			"device_silent": {"dev-00@1h44m30s", "dev-03@1h44m33s", "dev-03@2h10m3s"},
			// 2 min after gateway b's last reading (dev-12, step 199)
			"gateway_silent": {"gw-b@1h41m42s"},
		}
		if fmt.Sprint(raised) != fmt.Sprint(want) {
			t.Errorf("raised alerts:\n got %v\nwant %v", raised, want)
		}
		checkQueries(t, e, alerts)
		// A restarted analyzer answers the same from what the store kept.
		restored, _ := restart(t, e, st, open)
		checkQueries(t, restored, alerts)
	})
}

// checkQueries asks e, which applied testStream(1), what the query API
// must answer about the stream's end.
func checkQueries(t *testing.T, e *Engine, alerts []alert.Event) {
	t.Helper()
	history, complete, _ := e.AlertsSince(0, 0)
	if len(history) != len(alerts) || !complete || history[len(history)-1].Seq != uint64(len(alerts)) {
		t.Errorf("alert history holds %d events (complete %v), want all %d numbered 1..%d", len(history), complete, len(alerts), len(alerts))
	}
	if tail, _, _ := e.AlertsSince(uint64(len(alerts)-2), 0); len(tail) != 2 || tail[1].Event.Alert.ID != alerts[len(alerts)-1].Alert.ID {
		t.Errorf("resuming two events before the end returned %d events", len(tail))
	}
	if _, ok := e.Device("dev-09"); ok {
		t.Error("erased device dev-09 still visible")
	}
	if _, ok := e.Device("dev-10"); ok {
		t.Error("restricted employee device dev-10 listed individually")
	}
	if _, ok := e.Device("dev-13"); !ok {
		t.Error("employee device with works-council agreement dev-13 missing")
	}
	office, err := e.Occupancy(zones[2].Key(), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// In the office at the end (step 399): sensor dev-02, visitors dev-05
	// and dev-08 (the walk puts visitor n in zone n mod 3; dev-06 is out of
	// range), covered employee dev-13. Restricted badges dev-10..12 are
	// three, fewer than k = 5, so they are left out; dev-09 was erased.
	if office.Current != 4 {
		t.Errorf("office occupancy = %+v, want current 4", office)
	}
}

func TestApply_rejects_invalid_records_but_consumes_their_offsets(t *testing.T) {
	t.Parallel()
	forEachStore(t, everyStore, func(t *testing.T, b backend) {
		open := b.Fresh(t)
		st := open()
		e := openEngine(t, st)
		p := store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
		_, err := e.ApplyReading(Offset{Partition: p, Offset: 5}, enriched.Reading{GatewayID: "gw", EventTime: t0})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "device_id") {
			t.Errorf("err = %v, want ErrInvalid naming device_id", err)
		}
		if got := e.Offsets()[p]; got != 6 {
			t.Errorf("next offset = %d, want 6", got)
		}
		if _, err := e.ApplyErasure(Offset{Partition: p, Offset: 6}, enriched.Erasure{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("empty erasure: err = %v, want ErrInvalid", err)
		}
		// Consumed means committed: after a restart the dead-lettered
		// records are not applied, or dead-lettered, a second time.
		restored, _ := restart(t, e, st, open)
		if got := restored.Offsets()[p]; got != 7 {
			t.Errorf("next offset after restart = %d, want 7", got)
		}
		if out, err := restored.ApplyErasure(Offset{Partition: p, Offset: 6}, enriched.Erasure{}); err != nil || !out.Duplicate {
			t.Errorf("replayed invalid erasure after restart: %+v, %v; want a duplicate", out, err)
		}
	})
}

func TestErasure_drops_late_readings_of_the_subject(t *testing.T) {
	t.Parallel()
	forEachStore(t, everyStore, func(t *testing.T, b backend) {
		open := b.Fresh(t)
		st := open()
		e := openEngine(t, st)
		p := store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
		r := enriched.Reading{DeviceID: "d", GatewayID: "gw", EventTime: t0, Category: enriched.CategoryAsset,
			Battery: enriched.Battery{Known: true, Percent: 2}}
		out, err := e.ApplyReading(Offset{Partition: p, Offset: 0}, r)
		if err != nil || len(out.Alerts) != 1 {
			t.Fatalf("battery alert expected, got %v, %v", out.Alerts, err)
		}
		// Committed before the erasure, so the store holds the subject and
		// the erasure must delete it there too.
		if err := e.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
		if d := dumpStore(t, st); !strings.Contains(d, "proj/device/d=") || !strings.Contains(d, "alert/device/d=") {
			t.Fatalf("store lacks the subject before its erasure:\n%s", d)
		}
		out, err = e.ApplyErasure(Offset{Partition: p, Offset: 1}, enriched.Erasure{Subjects: []string{"d"}, RequestedAt: t0.Add(time.Minute)})
		if err != nil || len(out.Alerts) != 1 || out.Alerts[0].Type != alert.Resolved {
			t.Fatalf("erasure should resolve the open alert, got %v, %v", out.Alerts, err)
		}
		r.EventTime = t0.Add(2 * time.Minute)
		if out, _ := e.ApplyReading(Offset{Partition: p, Offset: 2}, r); len(out.Alerts)+len(out.Presence) != 0 {
			t.Errorf("reading of an erased subject produced output %+v", out)
		}
		checkErased(t, e)

		// The erasure outlives a restart: the subject's state is gone from
		// the store, and its readings still in flight are still dropped.
		e, st = restart(t, e, st, open)
		if d := dumpStore(t, st); strings.Contains(d, "proj/device/d=") || strings.Contains(d, "alert/device/d=") || strings.Contains(d, "alert/open/") || strings.Contains(d, "alertlog/e/") {
			t.Errorf("store still holds the subject after the erasure:\n%s", d)
		}
		r.EventTime = t0.Add(3 * time.Minute)
		if out, _ := e.ApplyReading(Offset{Partition: p, Offset: 3}, r); len(out.Alerts)+len(out.Presence) != 0 {
			t.Errorf("reading of an erased subject after restart produced output %+v", out)
		}
		checkErased(t, e)
	})
}

// checkErased fails t if e still knows the erased subject "d".
func checkErased(t *testing.T, e *Engine) {
	t.Helper()
	if _, ok := e.Device("d"); ok || len(e.OpenAlerts()) != 0 {
		t.Error("erased subject still has state")
	}
	if history, _, _ := e.AlertsSince(0, 0); len(history) != 0 {
		t.Errorf("alert history still names the erased subject: %+v", history)
	}
	if d := dumpEngine(t, e); strings.Contains(d, "proj/device/d=") || strings.Contains(d, "alert/device/d=") {
		t.Errorf("dump still holds the subject:\n%s", d)
	}
}

func TestCommit_failure_keeps_changes_for_the_next_commit(t *testing.T) {
	t.Parallel()
	forEachStore(t, everyStore, func(t *testing.T, b backend) {
		open := b.Fresh(t)
		st := &failingStore{Store: open(), fail: true}
		e := openEngine(t, st)
		p := store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
		r := enriched.Reading{DeviceID: "d", GatewayID: "gw", EventTime: t0}
		if _, err := e.ApplyReading(Offset{Partition: p, Offset: 0}, r); err != nil {
			t.Fatal(err)
		}
		if err := e.Commit(t.Context()); err == nil {
			t.Fatal("Commit should report the store failure")
		}
		// The retry carries the failed batch's entries of d and then the
		// newer ones: the store must end with the newer.
		r.EventTime = t0.Add(time.Minute)
		if _, err := e.ApplyReading(Offset{Partition: p, Offset: 1}, r); err != nil {
			t.Fatal(err)
		}
		st.fail = false
		if err := e.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got, want := dumpStore(t, st), dumpEngine(t, e); got != want {
			t.Errorf("after retry the store holds\n%s\nwant\n%s", got, want)
		}
		if offs, _ := st.Offsets(t.Context()); offs[p] != 2 {
			t.Errorf("stored offset = %d, want 2", offs[p])
		}
		restart(t, e, st, open)
	})
}

type failingStore struct {
	store.Store
	fail bool
}

func (f *failingStore) Commit(ctx context.Context, b store.Batch) error {
	if f.fail {
		return errors.New("disk full")
	}
	return f.Store.Commit(ctx, b)
}
