package identity

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func TestMergerGroupsCopiesWithinWindow(t *testing.T) {
	t.Parallel()
	m := NewMerger[int](200 * time.Millisecond)
	steps := []struct {
		key  string
		rx   Receiver
		want int // observations closed by this copy
	}{
		{"adv1", Receiver{"gw-a", -70, at(0)}, 0},
		{"adv1", Receiver{"gw-b", -55, at(30)}, 0},
		{"adv1", Receiver{"gw-a", -65, at(40)}, 0}, // same gateway, another channel, stronger
		{"adv2", Receiver{"gw-c", -80, at(100)}, 0},
		{"adv1", Receiver{"gw-c", -90, at(150)}, 0},
		{"adv3", Receiver{"gw-a", -60, at(250)}, 1}, // watermark 250 > 0+200: adv1 closes
	}
	var closed []Observation[int]
	for i, s := range steps {
		out := m.Add(s.key, s.rx, i)
		if len(out) != s.want {
			t.Fatalf("step %d: closed %d observations, want %d", i, len(out), s.want)
		}
		closed = append(closed, out...)
	}
	adv1 := closed[0]
	if adv1.Key != "adv1" || adv1.First != 0 || !adv1.FirstSeen.Equal(at(0)) {
		t.Fatalf("adv1 = %+v", adv1)
	}
	wantRx := []Receiver{{"gw-b", -55, at(30)}, {"gw-a", -65, at(40)}, {"gw-c", -90, at(150)}}
	if len(adv1.Receivers) != len(wantRx) {
		t.Fatalf("adv1 receivers = %+v, want %+v", adv1.Receivers, wantRx)
	}
	for i := range wantRx {
		if adv1.Receivers[i] != wantRx[i] {
			t.Fatalf("adv1 receiver %d = %+v, want %+v", i, adv1.Receivers[i], wantRx[i])
		}
	}
	if adv1.Strongest().GatewayID != "gw-b" {
		t.Fatalf("strongest = %s, want gw-b", adv1.Strongest().GatewayID)
	}
	if m.Pending() != 2 {
		t.Fatalf("pending = %d, want 2", m.Pending())
	}
	rest := m.Flush()
	if len(rest) != 2 || rest[0].Key != "adv2" || rest[1].Key != "adv3" {
		t.Fatalf("flush = %+v, want adv2 then adv3", rest)
	}
	if m.Pending() != 0 {
		t.Fatalf("pending after flush = %d", m.Pending())
	}
}

func TestMergerLateCopyStartsNewGroup(t *testing.T) {
	t.Parallel()
	m := NewMerger[string](100 * time.Millisecond)
	m.Add("k", Receiver{"gw-a", -60, at(0)}, "first")
	closed := m.Add("other", Receiver{"gw-a", -60, at(500)}, "x")
	if len(closed) != 1 || closed[0].Key != "k" {
		t.Fatalf("closed = %+v", closed)
	}
	// A straggler for k arriving after its window is a new observation, not lost.
	m.Add("k", Receiver{"gw-b", -70, at(20)}, "straggler")
	rest := m.Flush()
	if len(rest) != 2 {
		t.Fatalf("flush = %+v, want 2 groups", rest)
	}
	if rest[0].Key != "k" || rest[0].First != "straggler" {
		t.Fatalf("straggler group = %+v", rest[0])
	}
}

func TestMergerAdvanceClosesQuietGroups(t *testing.T) {
	t.Parallel()
	m := NewMerger[int](100 * time.Millisecond)
	m.Add("k", Receiver{"gw-a", -60, at(0)}, 0)
	if got := m.Advance(at(100)); len(got) != 0 {
		t.Fatalf("closed at the deadline itself: %+v", got)
	}
	if got := m.Advance(at(50)); len(got) != 0 {
		t.Fatalf("moving back in time closed %+v", got)
	}
	if got := m.Advance(at(101)); len(got) != 1 || got[0].Key != "k" {
		t.Fatalf("advance past the deadline = %+v", got)
	}
	if m.Pending() != 0 {
		t.Fatalf("pending = %d", m.Pending())
	}
}

func TestMergerTieBreaksByGatewayID(t *testing.T) {
	t.Parallel()
	m := NewMerger[int](time.Second)
	m.Add("k", Receiver{"gw-z", -60, at(0)}, 0)
	m.Add("k", Receiver{"gw-a", -60, at(1)}, 0)
	obs := m.Flush()[0]
	if obs.Strongest().GatewayID != "gw-a" {
		t.Fatalf("tie went to %s, want gw-a", obs.Strongest().GatewayID)
	}
}
