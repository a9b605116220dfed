package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// recorder is a Publisher that keeps what it published. Its gate, when set,
// holds every Publish until a value (the error to return) is sent on it.
type recorder struct {
	mu      sync.Mutex
	batches []Batch
	started chan Batch
	gate    chan error
	fail    error
}

func (r *recorder) Publish(ctx context.Context, b Batch) error {
	if r.started != nil {
		r.started <- b
	}
	if r.gate != nil {
		select {
		case err := <-r.gate:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if r.fail != nil {
		return r.fail
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, b)
	return nil
}

func (r *recorder) published() []Batch {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Batch(nil), r.batches...)
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func batch(gw string, seq uint64, n int) Batch {
	b := Batch{GatewayID: gw, Sequence: seq}
	for i := range n {
		b.Advertisements = append(b.Advertisements, advert.Advertisement{
			GatewayID: gw, ReceivedAt: t0.Add(time.Duration(i) * time.Millisecond),
			Address: advert.Address{0xC0, 0, 0, 0, 0, byte(i)}, AddressType: advert.AddressRandom,
			RSSI: -60, PHY: advert.PHY1M, EventType: advert.EventAdvNonconnInd,
			Payload: []byte{0x02, 0x01, 0x06}, Source: advert.SourceGateway,
		})
	}
	return b
}

func newIngester(t *testing.T, cfg Config, pub Publisher) *Ingester {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return t0 }
	}
	in, err := New(cfg, pub)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestRetriedBatchIsPublishedOnce(t *testing.T) {
	t.Parallel()
	pub := &recorder{}
	in := newIngester(t, Config{}, pub)
	for attempt := range 3 {
		res, err := in.Ingest(t.Context(), batch("gw-1", 7, 3))
		if err != nil {
			t.Fatal(err)
		}
		if res.Accepted != 3 || res.Duplicate != (attempt > 0) {
			t.Fatalf("attempt %d: %+v", attempt, res)
		}
	}
	if got := len(pub.published()); got != 1 {
		t.Fatalf("published %d times, want once", got)
	}
	if _, err := in.Ingest(t.Context(), batch("gw-2", 7, 1)); err != nil {
		t.Fatal(err)
	}
	if got := len(pub.published()); got != 2 {
		t.Fatalf("same sequence from another gateway: published %d batches, want 2", got)
	}
}

func TestSequenceWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		before  []uint64
		seq     uint64
		wantDup bool
	}{
		{"out_of_order_inside_window", []uint64{10, 12}, 11, false},
		{"retry_inside_window", []uint64{10, 12, 11}, 10, true},
		{"oldest_in_window", []uint64{100, 100 + windowSize - 1}, 100, true},
		{"just_below_window_is_taken_as_restart", []uint64{100, 100 + windowSize}, 100, false},
		{"restart_from_one", []uint64{5000}, 1, false},
		{"zero_is_never_a_retry", []uint64{0}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pub := &recorder{}
			in := newIngester(t, Config{}, pub)
			for _, s := range tt.before {
				if _, err := in.Ingest(t.Context(), batch("gw", s, 1)); err != nil {
					t.Fatal(err)
				}
			}
			res, err := in.Ingest(t.Context(), batch("gw", tt.seq, 1))
			if err != nil {
				t.Fatal(err)
			}
			if res.Duplicate != tt.wantDup {
				t.Fatalf("duplicate = %v, want %v", res.Duplicate, tt.wantDup)
			}
		})
	}
}

func TestRestartedGatewayRetriesAreRecognisedAgain(t *testing.T) {
	t.Parallel()
	in := newIngester(t, Config{}, &recorder{})
	for _, s := range []uint64{5000, 1} {
		if _, err := in.Ingest(t.Context(), batch("gw", s, 1)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := in.Ingest(t.Context(), batch("gw", 1, 1))
	if err != nil || !res.Duplicate {
		t.Fatalf("retry after restart: %+v, %v; want duplicate", res, err)
	}
}

func TestConcurrentRetryWaitsForFirstAttempt(t *testing.T) {
	t.Parallel()
	pub := &recorder{started: make(chan Batch, 2), gate: make(chan error)}
	in := newIngester(t, Config{}, pub)
	first := make(chan error, 1)
	go func() { _, err := in.Ingest(t.Context(), batch("gw", 1, 2)); first <- err }()
	<-pub.started
	second := make(chan Result, 1)
	go func() { res, _ := in.Ingest(t.Context(), batch("gw", 1, 2)); second <- res }()
	// The retry must not reach the publisher while the first attempt is open.
	select {
	case b := <-pub.started:
		t.Fatalf("retry published concurrently: %+v", b.Sequence)
	case res := <-second:
		t.Fatalf("retry answered before the first attempt ended: %+v", res)
	default:
	}
	pub.gate <- nil
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if res := <-second; !res.Duplicate {
		t.Fatalf("retry = %+v, want duplicate", res)
	}
	if got := len(pub.published()); got != 1 {
		t.Fatalf("published %d times, want once", got)
	}
}

func TestFailedPublishIsNotRecorded(t *testing.T) {
	t.Parallel()
	pub := &recorder{fail: errors.New("broker down")}
	in := newIngester(t, Config{}, pub)
	_, err := in.Ingest(t.Context(), batch("gw", 1, 1))
	var unavailable *UnavailableError
	if !errors.As(err, &unavailable) {
		t.Fatalf("got %v, want UnavailableError", err)
	}
	if len(in.Gateways()) != 0 {
		t.Fatalf("gateway recorded after a failed publish: %+v", in.Gateways())
	}
	pub.fail = nil
	res, err := in.Ingest(t.Context(), batch("gw", 1, 1))
	if err != nil || res.Duplicate || len(pub.published()) != 1 {
		t.Fatalf("retry after failure: %+v, %v, published %d; want a fresh publish", res, err, len(pub.published()))
	}
	if ads, bytes := in.InFlight(); ads != 0 || bytes != 0 {
		t.Fatalf("in flight after all calls ended: %d ads, %d bytes", ads, bytes)
	}
}

func TestSlowPublisherTimesOutAsUnavailable(t *testing.T) {
	t.Parallel()
	pub := &recorder{gate: make(chan error)} // never opened
	in := newIngester(t, Config{PublishTimeout: 20 * time.Millisecond}, pub)
	_, err := in.Ingest(t.Context(), batch("gw", 1, 1))
	var unavailable *UnavailableError
	if !errors.As(err, &unavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want UnavailableError wrapping the deadline", err)
	}
}

func TestBackPressureBoundsInFlight(t *testing.T) {
	t.Parallel()
	pub := &recorder{started: make(chan Batch, 1), gate: make(chan error)}
	in := newIngester(t, Config{MaxInFlightAdvertisements: 1500}, pub)
	go func() { <-pub.started; pub.gate <- nil }()
	if _, err := in.Ingest(t.Context(), batch("gw", 1, 5)); err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() { _, err := in.Ingest(t.Context(), batch("gw", 2, 1000)); first <- err }()
	<-pub.started
	if ads, _ := in.InFlight(); ads != 1000 {
		t.Fatalf("in flight = %d, want 1000", ads)
	}
	if _, err := in.Ingest(t.Context(), batch("gw", 3, 600)); !errors.Is(err, ErrOverloaded) {
		t.Fatalf("over the limit: got %v, want ErrOverloaded", err)
	}
	// A retry of a batch already published costs nothing and is still answered.
	if res, err := in.Ingest(t.Context(), batch("gw", 1, 5)); err != nil || !res.Duplicate {
		t.Fatalf("duplicate under load: %+v, %v", res, err)
	}
	pub.gate <- nil
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// With the first batch acknowledged its room is free again.
	go func() { <-pub.started; pub.gate <- nil }()
	if _, err := in.Ingest(t.Context(), batch("gw", 3, 600)); err != nil {
		t.Fatalf("after room freed: %v", err)
	}
}

func TestGatewayStatsAndEviction(t *testing.T) {
	t.Parallel()
	now := t0
	in := newIngester(t, Config{MaxGateways: 2, Now: func() time.Time { return now }}, &recorder{})
	for i, gw := range []string{"gw-b", "gw-a", "gw-b", "gw-c"} {
		now = t0.Add(time.Duration(i) * time.Second)
		if _, err := in.Ingest(t.Context(), batch(gw, uint64(10+i), 2)); err != nil {
			t.Fatal(err)
		}
	}
	got := in.Gateways()
	want := []Gateway{
		{ID: "gw-b", LastSeen: t0.Add(2 * time.Second), Advertisements: 4, LastSequence: 12},
		{ID: "gw-c", LastSeen: t0.Add(3 * time.Second), Advertisements: 2, LastSequence: 13},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("gateways = %+v\nwant %+v (gw-a least recently seen, evicted)", got, want)
	}
}

func TestInvalidBatchNamesTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*Batch)
		field string
	}{
		{"empty_gateway_id", func(b *Batch) { b.GatewayID = "" }, "gateway_id"},
		{"no_advertisements", func(b *Batch) { b.Advertisements = nil }, "advertisements"},
		{"too_many", func(b *Batch) { *b = batch("gw", 1, MaxBatch+1) }, "advertisements"},
		{"legacy_payload_32", func(b *Batch) { b.Advertisements[1].Payload = make([]byte, 32) }, "advertisements[1].payload"},
		{"unknown_address_type", func(b *Batch) { b.Advertisements[0].AddressType = 9 }, "advertisements[0].address_type"},
		{"foreign_gateway", func(b *Batch) { b.Advertisements[1].GatewayID = "gw-x" }, "advertisements[1].gateway_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pub := &recorder{}
			in := newIngester(t, Config{}, pub)
			b := batch("gw", 1, 2)
			tt.edit(&b)
			_, err := in.Ingest(t.Context(), b)
			var invalid *InvalidError
			if !errors.As(err, &invalid) || invalid.Field != tt.field {
				t.Fatalf("got %v, want an InvalidError on %s", err, tt.field)
			}
			if len(pub.published()) != 0 {
				t.Fatal("invalid batch was published")
			}
		})
	}
}

func TestConfigValidateNamesTheSetting(t *testing.T) {
	t.Parallel()
	for field, cfg := range map[string]Config{
		"max_in_flight_advertisements": {MaxInFlightAdvertisements: 999},
		"max_in_flight_bytes":          {MaxInFlightBytes: 1000},
		"max_gateways":                 {MaxGateways: -1},
	} {
		if err := cfg.Validate(); err == nil || !containsField(err, field) {
			t.Errorf("%+v: got %v, want it to name %s", cfg, err, field)
		}
	}
}

func containsField(err error, field string) bool {
	return len(err.Error()) >= len(field) && err.Error()[:len(field)] == field
}
