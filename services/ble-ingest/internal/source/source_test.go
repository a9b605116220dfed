package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/topic"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/capture"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/publish"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/simulator"
)

var start = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// eventLog is a Publisher keeping the events the Kafka adapter would produce.
type eventLog struct {
	mu     sync.Mutex
	events []*blev1.AdvertisementReceived
}

func (l *eventLog) Publish(_ context.Context, b ingest.Batch) error {
	evs, err := publish.Events(topic.Advertisements, b)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range evs {
		l.events = append(l.events, e.Msg.(*blev1.AdvertisementReceived))
	}
	return nil
}

func feeder(t *testing.T) (*Feeder, *eventLog) {
	t.Helper()
	log := &eventLog{}
	in, err := ingest.New(ingest.Config{Now: func() time.Time { return start.Add(time.Hour) }}, log)
	if err != nil {
		t.Fatal(err)
	}
	return &Feeder{Sink: in, BatchSize: 50}, log
}

// The simulator writes one btsnoop fixture per gateway while its events are
// published; replaying the fixtures gives the same events. Only what a btsnoop
// HCI log cannot hold differs: the source kind, the advertising channel (HCI
// reports do not carry it) and the batch numbering.
func TestSimulatorFixtureReplaysIntoIdenticalEvents(t *testing.T) {
	t.Parallel()
	sim, err := simulator.New(simulator.Office(11, start))
	if err != nil {
		t.Fatal(err)
	}
	ads, err := sim.Step(start.Add(20 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writers := map[string]*capture.BtsnoopWriter{}
	for _, ad := range ads {
		w, ok := writers[ad.GatewayID]
		if !ok {
			f, err := os.Create(filepath.Join(dir, ad.GatewayID+".btsnoop"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = f.Close() })
			if w, err = capture.NewBtsnoopWriter(f); err != nil {
				t.Fatal(err)
			}
			writers[ad.GatewayID] = w
		}
		if err := w.Write(ad); err != nil {
			t.Fatal(err)
		}
	}

	simFeed, simLog := feeder(t)
	fresh, err := simulator.New(simulator.Office(11, start))
	if err != nil {
		t.Fatal(err)
	}
	if err := (Simulate{Sim: fresh, Duration: 20 * time.Second}).Run(t.Context(), simFeed); err != nil {
		t.Fatal(err)
	}
	replayFeed, replayLog := feeder(t)
	for gw := range writers {
		stats, err := Replay{Path: filepath.Join(dir, gw+".btsnoop"), GatewayID: gw}.Run(t.Context(), replayFeed)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Malformed+stats.BadCRC != 0 {
			t.Fatalf("%s: fixture had malformed records: %+v", gw, stats)
		}
	}

	simEvents, replayEvents := normalise(simLog.events), normalise(replayLog.events)
	if len(simEvents) != len(ads) || len(replayEvents) != len(ads) {
		t.Fatalf("simulated %d advertisements; %d simulator events, %d replayed", len(ads), len(simEvents), len(replayEvents))
	}
	for i := range simEvents {
		if !proto.Equal(simEvents[i], replayEvents[i]) {
			t.Fatalf("event %d differs:\nsimulator %v\nreplay    %v", i, simEvents[i], replayEvents[i])
		}
	}
}

// normalise clears the fields a btsnoop fixture cannot carry and orders events
// by gateway, time and address.
func normalise(in []*blev1.AdvertisementReceived) []*blev1.AdvertisementReceived {
	out := make([]*blev1.AdvertisementReceived, len(in))
	for i, e := range in {
		c := proto.Clone(e).(*blev1.AdvertisementReceived)
		c.Source, c.BatchSequence, c.Advertisement.Channel = 0, 0, nil
		out[i] = c
	}
	key := func(e *blev1.AdvertisementReceived) string {
		return fmt.Sprintf("%s|%020d|%x", e.GetGatewayId(), e.GetAdvertisement().GetScannedAt().AsTime().UnixNano(), e.GetAdvertisement().GetAddress())
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func TestScaleFleetKeepsTotalAndShares(t *testing.T) {
	t.Parallel()
	cfg := ScaleFleet(simulator.Office(1, start), 400)
	total := 0
	for _, g := range cfg.Fleet {
		total += g.Count
	}
	if total != 400 || cfg.Fleet[0].Count != 120 {
		t.Fatalf("total %d, badges %d; want 400 and 120 (12 of 40)", total, cfg.Fleet[0].Count)
	}
}
