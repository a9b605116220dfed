package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/mapper"
)

// Sink takes batches; *ingest.Ingester is one.
type Sink interface {
	Ingest(ctx context.Context, b ingest.Batch) (ingest.Result, error)
}

// Feeder groups a source's advertisements into per-gateway batches, numbers
// them, and sends each until the sink accepted it: a local source has nobody
// to hand an error back to, so back-pressure makes it wait, never drop.
type Feeder struct {
	Sink      Sink
	BatchSize int // default ingest.MaxBatch
	// NextSequence numbers the next batch; a start taken from the wall clock
	// keeps a restarted process from reusing the sequences (and ce_ids) of
	// the last run.
	NextSequence uint64
	Logger       *slog.Logger
	// Backoff is the first wait after a refused batch, doubled up to 5s;
	// default 50ms.
	Backoff time.Duration

	pending map[string][]advert.Advertisement
	order   []string
	sent    int
	skipped int
}

// Add queues ad, sending its gateway's batch once full. An advertisement the
// event contract cannot express (e.g. an RSSI above 20 dBm) is counted and
// logged, not sent.
func (f *Feeder) Add(ctx context.Context, ad advert.Advertisement) error {
	if _, err := mapper.ToScanned(ad); err != nil {
		f.skipped++
		f.logger().Warn("skipping advertisement", "gateway", ad.GatewayID, "address", ad.Address.String(), "err", err)
		return nil
	}
	if err := ad.Validate(); err != nil {
		f.skipped++
		f.logger().Warn("skipping advertisement", "gateway", ad.GatewayID, "address", ad.Address.String(), "err", err)
		return nil
	}
	if f.pending == nil {
		f.pending = map[string][]advert.Advertisement{}
	}
	if _, ok := f.pending[ad.GatewayID]; !ok {
		f.order = append(f.order, ad.GatewayID)
	}
	f.pending[ad.GatewayID] = append(f.pending[ad.GatewayID], ad)
	if len(f.pending[ad.GatewayID]) >= f.batchSize() {
		return f.flush(ctx, ad.GatewayID)
	}
	return nil
}

// Flush sends every queued advertisement.
func (f *Feeder) Flush(ctx context.Context) error {
	for _, gw := range f.order {
		if err := f.flush(ctx, gw); err != nil {
			return err
		}
	}
	return nil
}

// Sent and Skipped count advertisements accepted by the sink and left out.
func (f *Feeder) Sent() int    { return f.sent }
func (f *Feeder) Skipped() int { return f.skipped }

func (f *Feeder) flush(ctx context.Context, gw string) error {
	ads := f.pending[gw]
	if len(ads) == 0 {
		return nil
	}
	if f.NextSequence == 0 {
		f.NextSequence = 1
	}
	b := ingest.Batch{GatewayID: gw, Sequence: f.NextSequence, Advertisements: ads}
	f.NextSequence++
	wait := f.Backoff
	if wait <= 0 {
		wait = 50 * time.Millisecond
	}
	for {
		_, err := f.Sink.Ingest(ctx, b)
		var unavailable *ingest.UnavailableError
		switch {
		case err == nil:
			f.sent += len(ads)
			f.pending[gw] = ads[:0:0]
			return nil
		case errors.Is(err, ingest.ErrOverloaded), errors.As(err, &unavailable):
			// Retrying the same sequence is safe: the sink recognises a batch
			// that landed after all.
			f.logger().Warn("ingest refused batch, retrying", "gateway", gw, "sequence", b.Sequence, "wait", wait, "err", err)
		default:
			return fmt.Errorf("ingesting batch %d of %s: %w", b.Sequence, gw, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (f *Feeder) batchSize() int {
	if f.BatchSize <= 0 || f.BatchSize > ingest.MaxBatch {
		return ingest.MaxBatch
	}
	return f.BatchSize
}

func (f *Feeder) logger() *slog.Logger {
	if f.Logger == nil {
		return slog.Default()
	}
	return f.Logger
}
