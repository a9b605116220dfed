// Package forward makes ble-ingest an edge gateway: the batches of its local
// sources (HCI, replay, simulator) go to a remote IngestService instead of
// Kafka.
//
// Batches wait in a bounded FIFO until the remote acknowledged them. The
// sender streams them over IngestStream in rounds: a round sends what is
// queued, up to Config.RoundBatches, and the stream's reply acknowledges the
// whole round. A round that fails, whether before, during or after the remote
// published it, is sent again after a backoff with the same gateway ids and
// sequence numbers, so the remote's retry window answers what already landed
// as duplicates. Each gateway gets its own consecutive sequence numbers, which
// keeps a resent round inside that window.
//
// A batch not yet sent takes in its gateway's following batches, up to
// ingest.MaxBatch advertisements: while the remote is slow or away, batches
// grow instead of multiplying, so catching up costs few round trips.
//
// When the buffer is full, Ingest refuses with ingest.ErrOverloaded and
// queues nothing: the source's Feeder waits and tries again, so a replay or
// the simulator pauses and the HCI scanner's radio queue fills up and drops
// the newest reports, counting them. Nothing already buffered is dropped for
// newer data; only batches the remote rejects as invalid are, one by one,
// after the round is resent batch by batch to find them.
package forward

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"connectrpc.com/connect"
	"go.opentelemetry.io/otel/metric"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	ingestv1 "github.com/bluestream/bluestream/gen/bluestream/ingest/v1"
	"github.com/bluestream/bluestream/gen/bluestream/ingest/v1/ingestv1connect"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/mapper"
)

var (
	// ErrClosed refuses batches after Close, or after Run returned.
	ErrClosed = errors.New("forwarder closed: no more batches are taken")
	// ErrStopping refuses a batch that does not fit while Run drains: waiting
	// for room would hold up the shutdown.
	ErrStopping = errors.New("forwarder stopping with a full buffer: batch not taken")
)

// Stats count what the forwarder did.
type Stats struct {
	// Buffered advertisements await the remote's acknowledgement.
	Buffered int
	// Acknowledged advertisements and batches are published by the remote.
	Acknowledged, AcknowledgedBatches uint64
	// DuplicateBatches were resent and found already published.
	DuplicateBatches uint64
	// Rejected advertisements and batches were refused by the remote as
	// invalid, and dropped.
	Rejected, RejectedBatches uint64
	// FailedRounds were streams that failed and were sent again.
	FailedRounds uint64
	// Refused counts Ingest calls turned away by a full buffer.
	Refused uint64
}

type entry struct {
	batch *ingestv1.Batch
	ads   int
	// sent is set once a round took the batch: from then on it is resent
	// as it is, never grown.
	sent bool
}

// Forwarder buffers batches and sends them to a remote IngestService. Ingest
// may be called from any goroutine; Run sends.
type Forwarder struct {
	cfg    Config
	client ingestv1connect.IngestServiceClient

	mu     sync.Mutex
	queue  []*entry
	open   map[string]*entry // each gateway's newest batch while it is unsent
	next   map[string]uint64
	closed bool
	runCtx context.Context // Run's: once it ended, a full buffer refuses for good
	stats  Stats
	wake   chan struct{}
}

// New returns a Forwarder; nothing is sent before Run.
func New(cfg Config) (*Forwarder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("forward config: %w", err)
	}
	cfg = cfg.withDefaults()
	hc := cfg.HTTPClient
	if hc == nil {
		c, err := HTTPClient(cfg.Endpoint, cfg.TLS)
		if err != nil {
			return nil, err
		}
		hc = c
	}
	// Gateways' uplinks are the narrow part; BLE payloads and repeated
	// addresses compress well.
	opts := append([]connect.ClientOption{connect.WithSendGzip()}, cfg.ClientOptions...)
	f := &Forwarder{
		cfg:    cfg,
		client: ingestv1connect.NewIngestServiceClient(hc, cfg.Endpoint, opts...),
		next:   map[string]uint64{},
		open:   map[string]*entry{},
		wake:   make(chan struct{}, 1),
	}
	if cfg.Meter != nil {
		if err := f.instrument(cfg.Meter); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Ingest queues b for the remote and returns at once: Accepted means
// buffered, not yet published. It renumbers b within its gateway, or appends
// it to the gateway's unsent batch when that has room. Errors:
// *ingest.InvalidError for a batch the contract cannot carry,
// ingest.ErrOverloaded when the buffer is full, ErrStopping or ErrClosed.
func (f *Forwarder) Ingest(_ context.Context, b ingest.Batch) (ingest.Result, error) {
	// A canceled context does not refuse the batch: a source's last flush at
	// shutdown is exactly what the drain is for.
	pb, err := toProto(b)
	if err != nil {
		return ingest.Result{}, err
	}
	n := len(pb.Advertisements)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return ingest.Result{}, ErrClosed
	case f.buffered()+n > f.cfg.MaxBuffered:
		f.stats.Refused++
		if f.runCtx != nil && f.runCtx.Err() != nil {
			return ingest.Result{}, ErrStopping
		}
		return ingest.Result{}, ingest.ErrOverloaded
	}
	f.stats.Buffered += n
	f.signal()
	if e := f.open[b.GatewayID]; e != nil && e.ads+n <= ingest.MaxBatch {
		e.batch.Advertisements = append(e.batch.Advertisements, pb.Advertisements...)
		e.ads += n
		return ingest.Result{Accepted: n}, nil
	}
	pb.Sequence = f.sequence(b.GatewayID)
	e := &entry{batch: pb, ads: n}
	f.queue = append(f.queue, e)
	f.open[b.GatewayID] = e
	return ingest.Result{Accepted: n}, nil
}

func (f *Forwarder) buffered() int { return f.stats.Buffered }

// sequence numbers the gateway's next batch. The first is the wall clock in
// microseconds, so a restarted gateway starts above anything it sent before
// (the remote would take a reused number for a retry and drop the batch),
// and the rest follow one by one, so a resent round stays within the remote's
// retry window.
func (f *Forwarder) sequence(gw string) uint64 {
	seq, ok := f.next[gw]
	if !ok {
		seq = max(uint64(f.cfg.Now().UnixMicro()), 1)
	}
	f.next[gw] = seq + 1
	return seq
}

func (f *Forwarder) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Close takes no more batches; Run returns once what is buffered is sent.
func (f *Forwarder) Close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.signal()
}

// Stats returns the counts so far.
func (f *Forwarder) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stats
}

// Run sends batches until Close was called and everything buffered is
// acknowledged. When ctx ends first, Run goes on for up to DrainTimeout,
// sending what is buffered and what sources still flush until Close; it
// returns an error naming what it could not deliver.
func (f *Forwarder) Run(ctx context.Context) error {
	defer f.Close()
	f.mu.Lock()
	f.runCtx = ctx
	f.mu.Unlock()
	sendCtx, cancelSend := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSend()
	var drainTimer *time.Timer
	var timerMu sync.Mutex
	stopAfter := context.AfterFunc(ctx, func() {
		timerMu.Lock()
		drainTimer = time.AfterFunc(f.cfg.DrainTimeout, cancelSend)
		timerMu.Unlock()
	})
	defer func() {
		stopAfter()
		timerMu.Lock()
		if drainTimer != nil {
			drainTimer.Stop()
		}
		timerMu.Unlock()
	}()

	backoff := f.cfg.MinBackoff
	failing := false
	for {
		f.mu.Lock()
		queued, closed := len(f.queue), f.closed
		f.mu.Unlock()
		if queued == 0 {
			if closed {
				return nil
			}
			select {
			case <-f.wake:
				continue
			case <-sendCtx.Done():
				return f.undelivered()
			}
		}
		err := f.round(sendCtx)
		if err == nil {
			if failing {
				f.cfg.Logger.Info("remote ingest reachable again", "endpoint", f.cfg.Endpoint)
			}
			backoff, failing = f.cfg.MinBackoff, false
			continue
		}
		if sendCtx.Err() != nil {
			return f.undelivered()
		}
		f.mu.Lock()
		f.stats.FailedRounds++
		buffered := f.stats.Buffered
		f.mu.Unlock()
		failing = true
		// Jitter keeps a fleet of gateways that lost the same endpoint from
		// coming back in step.
		wait := backoff/2 + rand.N(backoff/2+1)
		f.cfg.Logger.Warn("forwarding to remote ingest failed; resending", "endpoint", f.cfg.Endpoint,
			"code", connect.CodeOf(err).String(), "err", err, "wait", wait, "buffered", buffered)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-sendCtx.Done():
			t.Stop()
			return f.undelivered()
		}
		backoff = min(2*backoff, f.cfg.MaxBackoff)
	}
}

func (f *Forwarder) undelivered() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queue) == 0 {
		return nil
	}
	return fmt.Errorf("stopped with %d advertisements (%d batches) not acknowledged by %s", f.stats.Buffered, len(f.queue), f.cfg.Endpoint)
}

// round streams queued batches, oldest first, including those queued while it
// runs, up to RoundBatches, and drops them from the queue once the reply
// acknowledged them.
func (f *Forwarder) round(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.RoundTimeout)
	defer cancel()
	stream := f.client.IngestStream(ctx)
	sent := 0
	for sent < f.cfg.RoundBatches {
		b, ok := f.peek(sent)
		if !ok {
			break
		}
		if err := stream.Send(&ingestv1.IngestStreamRequest{Batch: b}); err != nil {
			break // the stream's error comes with CloseAndReceive
		}
		sent++
	}
	res, err := stream.CloseAndReceive()
	if err != nil {
		if connect.CodeOf(err) == connect.CodeInvalidArgument {
			return f.isolate(ctx, sent)
		}
		return err
	}
	f.ack(sent, res.Msg.GetDuplicateBatches())
	return nil
}

// isolate resends the first n queued batches one by one after the remote
// refused a round as invalid, so that only the batches at fault are dropped.
func (f *Forwarder) isolate(ctx context.Context, n int) error {
	for range max(n, 1) {
		b, ok := f.peek(0)
		if !ok {
			return nil
		}
		res, err := f.client.Ingest(ctx, connect.NewRequest(&ingestv1.IngestRequest{Batch: b}))
		switch {
		case err == nil:
			var dup uint64
			if res.Msg.GetDuplicate() {
				dup = 1
			}
			f.ack(1, dup)
		case connect.CodeOf(err) == connect.CodeInvalidArgument:
			f.reject(err)
		default:
			return err
		}
	}
	return nil
}

// peek returns the i-th oldest batch, which from now on stays as it is.
func (f *Forwarder) peek(i int) (*ingestv1.Batch, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i >= len(f.queue) {
		return nil, false
	}
	e := f.queue[i]
	if !e.sent {
		e.sent = true
		if f.open[e.batch.GetGatewayId()] == e {
			delete(f.open, e.batch.GetGatewayId())
		}
	}
	return e.batch, true
}

// pop drops the n oldest batches and returns how many advertisements they held.
// Only Run pops, so the batches a round peeked are still the oldest.
func (f *Forwarder) pop(n int) (ads int) {
	for _, e := range f.queue[:n] {
		ads += e.ads
	}
	clear(f.queue[:n])
	f.queue = f.queue[n:]
	f.stats.Buffered -= ads
	return ads
}

func (f *Forwarder) ack(n int, duplicates uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ads := f.pop(n)
	f.stats.Acknowledged += uint64(ads)
	f.stats.AcknowledgedBatches += uint64(n)
	f.stats.DuplicateBatches += duplicates
}

func (f *Forwarder) reject(err error) {
	f.mu.Lock()
	b := f.queue[0].batch
	ads := f.pop(1)
	f.stats.Rejected += uint64(ads)
	f.stats.RejectedBatches++
	f.mu.Unlock()
	f.cfg.Logger.Error("remote ingest rejected a batch as invalid; dropped", "gateway", b.GetGatewayId(),
		"sequence", b.GetSequence(), "advertisements", ads, "err", err)
}

func toProto(b ingest.Batch) (*ingestv1.Batch, error) {
	if len(b.Advertisements) == 0 || len(b.Advertisements) > ingest.MaxBatch {
		return nil, &ingest.InvalidError{Field: "advertisements", Reason: fmt.Sprintf("%d advertisements, want 1 to %d", len(b.Advertisements), ingest.MaxBatch)}
	}
	pb := &ingestv1.Batch{GatewayId: b.GatewayID, Advertisements: make([]*blev1.ScannedAdvertisement, 0, len(b.Advertisements))}
	for i, ad := range b.Advertisements {
		s, err := mapper.ToScanned(ad)
		if err != nil {
			var ferr *mapper.FieldError
			if errors.As(err, &ferr) {
				return nil, &ingest.InvalidError{Field: fmt.Sprintf("advertisements[%d].%s", i, ferr.Field), Reason: ferr.Reason}
			}
			return nil, err
		}
		pb.Advertisements = append(pb.Advertisements, s)
	}
	return pb, nil
}

func (f *Forwarder) instrument(m metric.Meter) error {
	buffered, err := m.Int64ObservableGauge("bluestream.forward.buffered",
		metric.WithDescription("advertisements awaiting the remote ingest's acknowledgement"), metric.WithUnit("{advertisement}"))
	if err != nil {
		return err
	}
	acked, err := m.Int64ObservableCounter("bluestream.forward.acknowledged",
		metric.WithDescription("advertisements the remote ingest acknowledged"), metric.WithUnit("{advertisement}"))
	if err != nil {
		return err
	}
	rejected, err := m.Int64ObservableCounter("bluestream.forward.rejected",
		metric.WithDescription("advertisements the remote ingest rejected as invalid and the forwarder dropped"), metric.WithUnit("{advertisement}"))
	if err != nil {
		return err
	}
	duplicates, err := m.Int64ObservableCounter("bluestream.forward.duplicate_batches",
		metric.WithDescription("resent batches the remote had already published"), metric.WithUnit("{batch}"))
	if err != nil {
		return err
	}
	failed, err := m.Int64ObservableCounter("bluestream.forward.failed_rounds",
		metric.WithDescription("streams to the remote ingest that failed and were resent"), metric.WithUnit("{stream}"))
	if err != nil {
		return err
	}
	refused, err := m.Int64ObservableCounter("bluestream.forward.refused",
		metric.WithDescription("batches a full buffer turned away; the source waited"), metric.WithUnit("{batch}"))
	if err != nil {
		return err
	}
	_, err = m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		s := f.Stats()
		o.ObserveInt64(buffered, int64(s.Buffered))
		o.ObserveInt64(acked, int64(s.Acknowledged))
		o.ObserveInt64(rejected, int64(s.Rejected))
		o.ObserveInt64(duplicates, int64(s.DuplicateBatches))
		o.ObserveInt64(failed, int64(s.FailedRounds))
		o.ObserveInt64(refused, int64(s.Refused))
		return nil
	}, buffered, acked, rejected, duplicates, failed, refused)
	return err
}
