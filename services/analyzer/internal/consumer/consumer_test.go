package consumer

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/topic"
)

var errKilled = errors.New("killed between apply and commit")

func TestKilled_between_apply_and_commit_loses_and_repeats_nothing(t *testing.T) {
	t.Parallel()
	forEachStore(t, durable, func(t *testing.T, b backend) {
		e := newEnv(t)
		e.site(0, 120)
		fixed := func() time.Time { return t0 } // ticks change nothing: both runs see records only

		ref := e.startOn(b.Fresh(t)(), fixed, nil)
		e.waitCommitted(ref)
		want := dump(t, ref.engine)
		if err := ref.stop(); !errors.Is(err, context.Canceled) {
			t.Fatalf("graceful stop: %v", err)
		}

		open := b.Fresh(t)
		rounds := 0
		crashy := e.startOn(open(), fixed, func() error {
			if rounds++; rounds == 4 {
				return errKilled
			}
			return nil
		})
		if err := <-crashy.done; !errors.Is(err, errKilled) {
			t.Fatalf("Run = %v, want the kill", err)
		}
		applied := crashy.engine.Offsets()
		committed, err := crashy.store.Offsets(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if maps.Equal(applied, committed) {
			t.Fatalf("the kill left nothing uncommitted (applied %v): the test would prove nothing", applied)
		}
		// The killed process's file lock or database connections go with it.
		crashy.consumer.Close()
		if err := crashy.store.Close(); err != nil {
			t.Fatal(err)
		}

		restarted := e.startOn(open(), fixed, nil)
		e.waitCommitted(restarted)
		if got := dump(t, restarted.engine); got != want {
			t.Errorf("state after kill and restart differs from an uninterrupted run:\n%s", diffLines(got, want))
		}
		_ = restarted.stop()
	})
}

func TestRebuild_reaches_the_live_state(t *testing.T) {
	t.Parallel()
	forEachStore(t, durable, func(t *testing.T, b backend) {
		e := newEnv(t)
		clk := newClock(t0)
		live := e.startOn(b.Fresh(t)(), clk.now, nil)
		end1 := e.site(0, 60)
		clk.set(end1)
		e.waitCommitted(live)
		// The live run read the first hour while it was produced, ticked
		// while idle, and now reads the rest: its fetches interleave the
		// partitions differently from a rebuild that finds the whole log in
		// place.
		end2 := e.site(60, 160)
		clk.set(end2)
		e.waitCommitted(live)
		_ = live.stop()
		want := dump(t, live.engine)

		rebuilt := e.startOn(b.Fresh(t)(), clk.now, nil) // an empty store: replays from the start
		e.waitCommitted(rebuilt)
		_ = rebuilt.stop()
		// Everything must match, zone peaks and loads included: they are
		// computed from event times once settled, whatever the interleaving.
		if got := dump(t, rebuilt.engine); got != want {
			t.Errorf("rebuild differs from the live run:\n%s", diffLines(got, want))
		}
	})
}

func TestPublishes_alerts_and_dead_letters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	end := e.site(0, 100)
	clk := newClock(t0)
	a := e.start(t.TempDir(), clk.now, nil)
	e.waitCommitted(a)

	dlq := e.read(topic.DLQ(input), 2)
	reasons := []string{}
	for _, r := range dlq {
		reason, _ := eventbus.Header(r, eventbus.HeaderDLQReason)
		reasons = append(reasons, reason)
	}
	slices.Sort(reasons)
	if !slices.Equal(reasons, []string{"unmarshal", "wrong_type"}) {
		t.Errorf("dead-letter reasons = %v, want unmarshal and wrong_type", reasons)
	}

	var battery *analyzerv1.AlertRaised
	for _, r := range e.read(topic.Alerts, 1) {
		var msg analyzerv1.AlertRaised
		if eventbus.Decode(r, &msg) == nil && msg.GetAlert().GetRule() == "battery_low" {
			battery = &msg
			if string(r.Key) != "sensor-0" {
				t.Errorf("battery alert keyed %q, want the device sensor-0", r.Key)
			}
		}
	}
	if battery == nil || battery.GetAlert().GetDevicePseudonym() != "sensor-0" || battery.GetAlert().GetZone() != "ber/b1/1/lobby" {
		t.Fatalf("battery_low alert = %v, want one for sensor-0 in the lobby", battery)
	}

	// Caught up and idle: an hour of wall clock later every sensor and
	// gateway has gone silent.
	clk.set(end.Add(time.Hour))
	silent := map[string]bool{}
	deadline := time.Now().Add(20 * time.Second)
	for len(silent) < 4 && time.Now().Before(deadline) {
		for _, r := range e.read(topic.Alerts, 1) {
			var msg analyzerv1.AlertRaised
			if eventbus.Decode(r, &msg) == nil && msg.GetAlert().GetRule() == "device_silent" {
				silent[msg.GetAlert().GetDevicePseudonym()] = true
			}
		}
	}
	if len(silent) != 4 {
		t.Errorf("device_silent raised for %v, want the four sensors", silent)
	}
	_ = a.stop()
}

// read returns every record of tp once at least min are there.
func (e *env) read(tp string, min int) []*kgo.Record {
	e.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(e.cluster.ListenAddrs()...), kgo.ConsumeTopics(tp),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		e.t.Fatal(err)
	}
	defer cl.Close()
	var out []*kgo.Record
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(e.t.Context(), 200*time.Millisecond)
		fs := cl.PollFetches(ctx)
		cancel()
		n := len(out)
		out = append(out, fs.Records()...)
		if len(out) >= min && len(out) == n {
			return out // nothing more arrived within a poll
		}
	}
	e.t.Fatalf("%s: %d records, want at least %d", tp, len(out), min)
	return nil
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-time.After(5 * time.Millisecond)
	}
}

// diffLines lists the lines only one side has, for a readable failure.
func diffLines(got, want string) string {
	g, w := lineSet(got), lineSet(want)
	var out []string
	for l := range g {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	for l := range w {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	slices.Sort(out)
	if len(out) > 20 {
		out = append(out[:20], "...")
	}
	return strings.Join(out, "\n")
}

func lineSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		m[l] = true
	}
	return m
}
