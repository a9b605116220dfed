package capture

import (
	"context"
	"math"
	"time"
)

// Clock is what a Pacer needs of time; tests pass a virtual clock whose Sleep
// advances Now, so pacing is checked without waiting.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx ends.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Pacer releases recorded records at their recorded spacing divided by Speed.
// Speed 1 is recorded speed, 10 ten times faster; 0 or +Inf is as fast as
// possible. Timing is anchored to the first record, so sleeping late on one
// record is made up on the next instead of drifting.
type Pacer struct {
	speed       float64
	clock       Clock
	started     bool
	firstRecord time.Time
	firstWall   time.Time
}

// NewPacer returns a pacer at the given speed; a nil clock means SystemClock.
func NewPacer(speed float64, clock Clock) *Pacer {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Pacer{speed: speed, clock: clock}
}

// Wait blocks until the record stamped recordedAt is due.
func (p *Pacer) Wait(ctx context.Context, recordedAt time.Time) error {
	if p.speed <= 0 || math.IsInf(p.speed, 1) {
		return ctx.Err()
	}
	if !p.started {
		p.started, p.firstRecord, p.firstWall = true, recordedAt, p.clock.Now()
		return ctx.Err()
	}
	offset := time.Duration(float64(recordedAt.Sub(p.firstRecord)) / p.speed)
	if d := p.firstWall.Add(offset).Sub(p.clock.Now()); d > 0 {
		return p.clock.Sleep(ctx, d)
	}
	return ctx.Err()
}
