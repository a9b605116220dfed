package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/capture"
)

// Replay feeds the advertisements of a capture file (btsnoop, pcap, pcapng) at
// Speed times the recorded pace; 0 means as fast as possible.
type Replay struct {
	Path      string
	Speed     float64
	GatewayID string
	Clock     capture.Clock // default the wall clock
}

// Run replays the whole file. A corrupt tail ends the replay with an error
// naming where, after everything before it was sent.
func (r Replay) Run(ctx context.Context, f *Feeder) (capture.Stats, error) {
	file, err := os.Open(r.Path)
	if err != nil {
		return capture.Stats{}, fmt.Errorf("opening capture: %w", err)
	}
	defer file.Close()
	cr, err := capture.NewReader(file, capture.Options{GatewayID: r.GatewayID})
	if err != nil {
		return capture.Stats{}, fmt.Errorf("reading %s: %w", r.Path, err)
	}
	pacer := capture.NewPacer(r.Speed, r.Clock)
	paced := r.Speed > 0
	for {
		ad, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return cr.Stats(), f.Flush(ctx)
		}
		if err != nil {
			return cr.Stats(), errors.Join(fmt.Errorf("reading %s: %w", r.Path, err), f.Flush(ctx))
		}
		if paced {
			// Send what is due before waiting, so a paced replay is as
			// timely as the gateway it imitates.
			if err := f.Flush(ctx); err != nil {
				return cr.Stats(), err
			}
			if err := pacer.Wait(ctx, ad.ReceivedAt); err != nil {
				return cr.Stats(), err
			}
		}
		if err := f.Add(ctx, ad); err != nil {
			return cr.Stats(), err
		}
	}
}
