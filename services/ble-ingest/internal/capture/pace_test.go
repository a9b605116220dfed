package capture

import (
	"context"
	"testing"
	"time"
)

// virtualClock advances only when slept on and records each sleep.
type virtualClock struct {
	now    time.Time
	sleeps []time.Duration
}

func (c *virtualClock) Now() time.Time { return c.now }

func (c *virtualClock) Sleep(_ context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func TestPacerSpacing(t *testing.T) {
	t.Parallel()
	base := time.Date(2021, 2, 1, 3, 27, 59, 0, time.UTC)
	records := []time.Time{base, base.Add(100 * time.Millisecond), base.Add(100 * time.Millisecond), base.Add(400 * time.Millisecond)}
	tests := []struct {
		name  string
		speed float64
		want  []time.Duration
	}{
		{"recorded_speed", 1, []time.Duration{100 * time.Millisecond, 300 * time.Millisecond}},
		{"four_times_faster", 4, []time.Duration{25 * time.Millisecond, 75 * time.Millisecond}},
		{"as_fast_as_possible", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := &virtualClock{now: time.Unix(1_700_000_000, 0)}
			p := NewPacer(tt.speed, clock)
			for _, r := range records {
				if err := p.Wait(t.Context(), r); err != nil {
					t.Fatal(err)
				}
			}
			if len(clock.sleeps) != len(tt.want) {
				t.Fatalf("sleeps = %v, want %v", clock.sleeps, tt.want)
			}
			for i := range tt.want {
				if clock.sleeps[i] != tt.want[i] {
					t.Fatalf("sleeps = %v, want %v", clock.sleeps, tt.want)
				}
			}
		})
	}
}

func TestPacerCatchesUpAfterSlowConsumer(t *testing.T) {
	t.Parallel()
	base := time.Unix(0, 0)
	clock := &virtualClock{now: time.Unix(1_700_000_000, 0)}
	p := NewPacer(1, clock)
	_ = p.Wait(t.Context(), base)
	clock.now = clock.now.Add(time.Second) // the consumer took a second
	if err := p.Wait(t.Context(), base.Add(500*time.Millisecond)); err != nil || len(clock.sleeps) != 0 {
		t.Fatalf("overdue record slept %v (err %v), want no sleep", clock.sleeps, err)
	}
}

func TestPacerStopsOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := NewPacer(1, SystemClock{})
	_ = p.Wait(ctx, time.Unix(0, 0))
	if err := p.Wait(ctx, time.Unix(3600, 0)); err == nil {
		t.Fatal("Wait on a cancelled context returned nil")
	}
}
