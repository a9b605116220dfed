package projection

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var (
	zoneA = enriched.Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "lab"}
	zoneB = enriched.Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "hall"}
)

func reading(id string, at time.Duration, z enriched.Zone) enriched.Reading {
	return enriched.Reading{
		DeviceID: id, GatewayID: "gw-1", EventTime: t0.Add(at), Zone: z,
		Category: enriched.CategoryVisitor, RSSI: -60,
	}
}

func newProjection(t testing.TB, cfg Config) *Projection {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

// applyEvery feeds one reading per period from start to end inclusive.
func applyEvery(p *Projection, id string, z enriched.Zone, start, end, period time.Duration) []Event {
	var events []Event
	for at := start; at <= end; at += period {
		events = append(events, p.Apply(reading(id, at, z))...)
	}
	return events
}

// describe renders events compactly so a failing test shows the sequence.
func describe(events []Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = fmt.Sprintf("%s %s @%s zone=%s from=%s dwell=%s", e.Kind, e.DeviceID, e.At.Sub(t0), e.Zone, e.FromZone, e.Dwell)
	}
	return out
}

func dump(t testing.TB, p *Projection) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := p.Dump(func(key string, value []byte) error {
		fmt.Fprintf(&buf, "%s=%s\n", key, value)
		return nil
	})
	if err != nil {
		t.Fatalf("Dump: %v", err)
	}
	return buf.Bytes()
}
