package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Ingester publishes batches once each, within bounded memory. It is safe for
// concurrent use.
type Ingester struct {
	cfg Config
	pub Publisher

	mu       sync.Mutex
	gws      *gateways
	inFlight map[batchKey]chan struct{} // closed when that batch's publish ended
	ads      int
	bytes    int64
}

type batchKey struct {
	gateway  string
	sequence uint64
}

// New returns an Ingester publishing through pub.
func New(cfg Config, pub Publisher) (*Ingester, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("ingest config: %w", err)
	}
	cfg = cfg.withDefaults()
	return &Ingester{cfg: cfg, pub: pub, gws: newGateways(cfg.MaxGateways), inFlight: map[batchKey]chan struct{}{}}, nil
}

// Ingest publishes b unless it was published before, and returns once the
// publisher acknowledged it. Errors: *InvalidError for a bad batch,
// ErrOverloaded when the in-flight limits are reached, *UnavailableError when
// the publisher failed or did not finish within PublishTimeout, or ctx's error.
//
// A publish outlives a caller that gave up: records already handed to Kafka
// cannot be recalled, so the attempt keeps its in-flight room and its claim on
// (gateway, sequence) until Kafka settled it. A retry meanwhile waits for that
// outcome and, if the records landed, is answered as a duplicate instead of
// publishing them twice.
func (in *Ingester) Ingest(ctx context.Context, b Batch) (Result, error) {
	if err := validate(b); err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, in.cfg.PublishTimeout)
	defer cancel()
	n, size := len(b.Advertisements), batchBytes(b.Advertisements)
	key := batchKey{b.GatewayID, b.Sequence}
	done, dup, err := in.admit(ctx, key, n, size)
	if err != nil || dup {
		return Result{Accepted: n, Duplicate: dup}, in.deadlineErr(ctx, err)
	}
	b.ReceivedAt = in.cfg.Now()
	result := make(chan error, 1)
	go func() {
		err := in.pub.Publish(context.WithoutCancel(ctx), b)
		in.finish(key, done, b, n, size, err == nil)
		result <- err
	}()
	select {
	case err := <-result:
		var invalid *InvalidError
		switch {
		case err == nil:
			return Result{Accepted: n}, nil
		case errors.As(err, &invalid):
			return Result{}, err
		}
		return Result{}, &UnavailableError{Err: err}
	case <-ctx.Done():
		return Result{}, in.deadlineErr(ctx, ctx.Err())
	}
}

// deadlineErr reports the publish timeout as the broker being unavailable; a
// caller's own cancellation stays what it is.
func (in *Ingester) deadlineErr(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return &UnavailableError{Err: fmt.Errorf("no acknowledgement within %v: %w", in.cfg.PublishTimeout, err)}
	}
	return err
}

// admit decides under the lock whether b is a duplicate, waits for a concurrent
// attempt at the same batch to end, and otherwise reserves room for it.
func (in *Ingester) admit(ctx context.Context, key batchKey, n int, size int64) (done chan struct{}, dup bool, err error) {
	for {
		in.mu.Lock()
		if key.sequence != 0 {
			if g := in.gws.get(key.gateway); g != nil && g.window.contains(key.sequence) {
				g.LastSeen = in.cfg.Now()
				in.mu.Unlock()
				return nil, true, nil
			}
			if other, busy := in.inFlight[key]; busy {
				in.mu.Unlock()
				// A retry overtook the first attempt: wait for it, then ask again,
				// so the batch is published once whichever way the first ends.
				select {
				case <-other:
					continue
				case <-ctx.Done():
					return nil, false, ctx.Err()
				}
			}
		}
		defer in.mu.Unlock()
		if in.ads+n > in.cfg.MaxInFlightAdvertisements || in.bytes+size > in.cfg.MaxInFlightBytes {
			return nil, false, ErrOverloaded
		}
		in.ads, in.bytes = in.ads+n, in.bytes+size
		done = make(chan struct{})
		if key.sequence != 0 {
			in.inFlight[key] = done
		}
		return done, false, nil
	}
}

func (in *Ingester) finish(key batchKey, done chan struct{}, b Batch, n int, size int64, published bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.ads, in.bytes = in.ads-n, in.bytes-size
	if key.sequence != 0 {
		delete(in.inFlight, key)
	}
	close(done)
	if !published {
		return
	}
	g := in.gws.touch(b.GatewayID)
	if key.sequence != 0 {
		g.window.add(key.sequence)
	}
	g.LastSeen, g.Advertisements, g.LastSequence = b.ReceivedAt, g.Advertisements+uint64(n), max(g.LastSequence, key.sequence)
}

// InFlight returns the advertisements and approximate bytes being published now.
func (in *Ingester) InFlight() (ads int, bytes int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.ads, in.bytes
}

// Gateways lists the gateways that had batches published, by id.
func (in *Ingester) Gateways() []Gateway {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.gws.list()
}

func validate(b Batch) error {
	if strings.TrimSpace(b.GatewayID) == "" {
		return &InvalidError{Field: "gateway_id", Reason: "must not be empty"}
	}
	if len(b.Advertisements) == 0 || len(b.Advertisements) > MaxBatch {
		return &InvalidError{Field: "advertisements", Reason: fmt.Sprintf("%d advertisements, want 1 to %d", len(b.Advertisements), MaxBatch)}
	}
	for i, ad := range b.Advertisements {
		if ad.GatewayID != b.GatewayID {
			return &InvalidError{Field: fmt.Sprintf("advertisements[%d].gateway_id", i), Reason: fmt.Sprintf("%q differs from the batch's %q", ad.GatewayID, b.GatewayID)}
		}
		if err := ad.Validate(); err != nil {
			return invalidAt(i, err)
		}
	}
	return nil
}
