package source

import (
	"context"
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/capture"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/simulator"
)

// Simulate feeds a simulated fleet: it steps the virtual clock by Tick and
// sends what the gateways heard, at Speed virtual seconds per real second
// (0: as fast as possible), until Duration of virtual time passed (0: forever).
type Simulate struct {
	Sim      *simulator.Simulator
	Tick     time.Duration // default 100ms
	Speed    float64
	Duration time.Duration
	Clock    capture.Clock
}

// Run simulates until Duration or ctx ends.
func (s Simulate) Run(ctx context.Context, f *Feeder) error {
	tick := s.Tick
	if tick <= 0 {
		tick = 100 * time.Millisecond
	}
	start := s.Sim.Now()
	pacer := capture.NewPacer(s.Speed, s.Clock)
	for s.Duration == 0 || s.Sim.Now().Sub(start) < s.Duration {
		until := s.Sim.Now().Add(tick)
		if s.Duration > 0 && until.After(start.Add(s.Duration)) {
			until = start.Add(s.Duration)
		}
		if err := pacer.Wait(ctx, until); err != nil {
			return err
		}
		ads, err := s.Sim.Step(until)
		if err != nil {
			return fmt.Errorf("simulating: %w", err)
		}
		for _, ad := range ads {
			if err := f.Add(ctx, ad); err != nil {
				return err
			}
		}
		if err := f.Flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

// ScaleFleet resizes cfg's fleet to about n devices, keeping each kind's share.
func ScaleFleet(cfg simulator.Config, n int) simulator.Config {
	total := 0
	for _, g := range cfg.Fleet {
		total += g.Count
	}
	if total == 0 || n <= 0 {
		return cfg
	}
	fleet := make([]simulator.Group, len(cfg.Fleet))
	assigned := 0
	for i, g := range cfg.Fleet {
		g.Count = g.Count * n / total
		assigned += g.Count
		fleet[i] = g
	}
	// Hand the rounding remainder out one by one so the total is n.
	for i := 0; assigned < n; i = (i + 1) % len(fleet) {
		fleet[i].Count++
		assigned++
	}
	cfg.Fleet = fleet
	return cfg
}
