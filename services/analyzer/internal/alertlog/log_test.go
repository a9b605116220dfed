package alertlog

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func raised(device string, minute int) alert.Event {
	return alert.Event{Type: alert.Raised, At: t0.Add(time.Duration(minute) * time.Minute),
		Alert: alert.Alert{ID: fmt.Sprintf("%s-%d", device, minute), Rule: alert.RuleBatteryLow, DeviceID: device}}
}

func seqs(entries []Entry) []uint64 {
	out := make([]uint64, len(entries))
	for i, e := range entries {
		out[i] = e.Seq
	}
	return out
}

func TestLog_resumes_after_a_sequence_number(t *testing.T) {
	t.Parallel()
	l := New(10)
	changed := l.Changed()
	l.Append([]alert.Event{raised("a", 1), raised("b", 2), raised("a", 3)})
	select {
	case <-changed:
	default:
		t.Fatal("Append did not signal Changed")
	}
	got, complete := l.Since(1, 0)
	if fmt.Sprint(seqs(got)) != "[2 3]" || !complete {
		t.Errorf("Since(1) = %v complete=%v, want [2 3] complete", seqs(got), complete)
	}
	if got, _ := l.Since(0, 2); fmt.Sprint(seqs(got)) != "[1 2]" {
		t.Errorf("Since(0, limit 2) = %v, want [1 2]", seqs(got))
	}
	if got, complete := l.Since(3, 0); len(got) != 0 || !complete || l.LastSeq() != 3 {
		t.Errorf("Since(last) = %v complete=%v LastSeq=%d, want nothing, complete, 3", seqs(got), complete, l.LastSeq())
	}
}

func TestLog_reports_events_lost_to_capacity(t *testing.T) {
	t.Parallel()
	l := New(3)
	for i := range 5 {
		l.Append([]alert.Event{raised("a", i)})
	}
	if got, complete := l.Since(1, 0); complete || fmt.Sprint(seqs(got)) != "[3 4 5]" {
		t.Errorf("Since(1) = %v complete=%v, want [3 4 5] incomplete (seq 2 dropped)", seqs(got), complete)
	}
	if _, complete := l.Since(2, 0); !complete {
		t.Error("Since(2) should be complete: nothing after 2 was dropped")
	}
}

func TestLog_erase_removes_the_subjects_history(t *testing.T) {
	t.Parallel()
	l := New(10)
	l.Append([]alert.Event{raised("a", 1), raised("b", 2), raised("a", 3)})
	l.Erase("a")
	got, complete := l.Since(0, 0)
	if fmt.Sprint(seqs(got)) != "[2]" || !complete {
		t.Errorf("after erasing a: %v complete=%v, want [2] complete", seqs(got), complete)
	}
	var deleted int
	err := l.Flush(func(key string, value []byte) error {
		if value == nil {
			deleted++
		}
		return nil
	})
	if err != nil || deleted != 2 {
		t.Errorf("Flush deleted %d entries (err %v), want 2", deleted, err)
	}
}

func TestLog_restores_identically(t *testing.T) {
	t.Parallel()
	live := New(4)
	for i := range 6 {
		live.Append([]alert.Event{raised("a", i)})
	}
	live.Erase("nobody")
	restored := New(4)
	if err := live.Dump(restored.Load); err != nil {
		t.Fatal(err)
	}
	for _, l := range []*Log{live, restored} {
		l.Append([]alert.Event{raised("b", 9)})
	}
	dump := func(l *Log) string {
		var b bytes.Buffer
		_ = l.Dump(func(k string, v []byte) error { fmt.Fprintf(&b, "%s=%s\n", k, v); return nil })
		return b.String()
	}
	if a, b := dump(live), dump(restored); a != b {
		t.Errorf("restored log diverged:\n%s\n%s", a, b)
	}
	if _, complete := restored.Since(1, 0); complete {
		t.Error("restored log forgot what it had trimmed")
	}
}
