package deadline

import (
	"testing"
	"time"
)

func TestQueue_due_pops_expired_in_deadline_then_key_order(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var q Queue
	q.Set("c", base.Add(3*time.Second))
	q.Set("b", base.Add(1*time.Second))
	q.Set("a", base.Add(1*time.Second))
	q.Set("d", base.Add(10*time.Second))
	q.Set("c", base.Add(2*time.Second)) // reschedule earlier
	q.Set("e", base.Add(time.Second))
	q.Remove("e")

	got := q.Due(base.Add(5 * time.Second))
	want := []string{"a", "b", "c"}
	if len(got) != len(want) {
		t.Fatalf("Due returned %d keys (%v), want %v", len(got), got, want)
	}
	for i, k := range want {
		if got[i].Key != k {
			t.Errorf("Due[%d] = %q, want %q", i, got[i].Key, k)
		}
	}
	if !got[2].At.Equal(base.Add(2 * time.Second)) {
		t.Errorf("rescheduled deadline = %v, want %v", got[2].At, base.Add(2*time.Second))
	}
	if q.Len() != 1 {
		t.Errorf("Len after Due = %d, want 1", q.Len())
	}
	if more := q.Due(base.Add(10 * time.Second)); len(more) != 0 {
		t.Errorf("deadline equal to now must not be due yet, got %v", more)
	}
}

func TestQueue_earliest_peeks_without_removing(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var q Queue
	if _, ok := q.Earliest(); ok {
		t.Fatal("Earliest on an empty queue: want ok false")
	}
	q.Set("b", base.Add(2*time.Second))
	q.Set("a", base.Add(5*time.Second))
	q.Set("a", base.Add(time.Second)) // reschedule earlier
	got, ok := q.Earliest()
	if !ok || got.Key != "a" || !got.At.Equal(base.Add(time.Second)) {
		t.Errorf("Earliest = %+v, %v; want a at +1s", got, ok)
	}
	if q.Len() != 2 {
		t.Errorf("Len after Earliest = %d, want 2", q.Len())
	}
	q.Remove("a")
	if got, _ := q.Earliest(); got.Key != "b" {
		t.Errorf("Earliest after removing a = %q, want b", got.Key)
	}
}
