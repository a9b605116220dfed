package analyze

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// record is one input record as a consumer would hand it over.
type record struct {
	at      Offset
	reading *enriched.Reading
	erasure *enriched.Erasure
}

func apply(e *Engine, r record) (Output, error) {
	if r.erasure != nil {
		return e.ApplyErasure(r.at, *r.erasure)
	}
	return e.ApplyReading(r.at, *r.reading)
}

var zones = []enriched.Zone{
	{Site: "ber", Building: "b1", Floor: "1", Zone: "lobby"},
	{Site: "ber", Building: "b1", Floor: "1", Zone: "lab"},
	{Site: "ber", Building: "b1", Floor: "2", Zone: "office"},
}

// testStream builds a reproducible day in the life of a small site, spread
// over two partitions by device (as the topic's key does): sensors with
// noisy temperatures and one spike, draining batteries, visitors walking
// between zones, restricted employee badges, a sensor that falls silent,
// a gateway outage, and an erasure.
func testStream(seed uint64) []record {
	rng := rand.New(rand.NewPCG(seed, 7))
	parts := [2]store.Partition{{Topic: "azure.ble.enriched.v1", Partition: 0}, {Topic: "azure.ble.enriched.v1", Partition: 1}}
	var next [2]int64
	var out []record
	add := func(dev int, r *enriched.Reading, er *enriched.Erasure) {
		p := dev % 2
		out = append(out, record{at: Offset{Partition: parts[p], Offset: next[p]}, reading: r, erasure: er})
		next[p]++
	}
	const steps = 400 // 30 s apart: 200 minutes
	for step := range steps {
		at := t0.Add(time.Duration(step) * 30 * time.Second)
		for dev := range 14 {
			r := deviceReading(rng, dev, step, at)
			if r == nil {
				continue
			}
			add(dev, r, nil)
		}
		if step == 300 {
			add(9, nil, &enriched.Erasure{Subjects: []string{"dev-09"}, RequestedAt: at})
		}
	}
	return out
}

// deviceReading returns device dev's reading at step, or nil when it is
// silent then. Devices 0-3 are sensors, 4-8 visitors, 9-13 employees.
func deviceReading(rng *rand.Rand, dev, step int, at time.Time) *enriched.Reading {
	id := fmt.Sprintf("dev-%02d", dev)
	gw := "gw-a"
	if dev%3 == 0 {
		gw = "gw-b"
	}
	if gw == "gw-b" && step >= 200 && step < 230 {
		return nil // gateway b is down for 15 minutes
	}
	r := &enriched.Reading{DeviceID: id, GatewayID: gw, EventTime: at.Add(time.Duration(dev) * time.Second), RSSI: int32(-50 - rng.IntN(30))}
	switch {
	case dev < 4:
		if dev == 3 && step > 250 {
			return nil // sensor 3 dies
		}
		r.Category = enriched.CategoryAsset + enriched.Category(dev%2)
		r.Zone = zones[dev%len(zones)]
		temp := 21 + 0.3*rng.NormFloat64()
		if dev == 1 && step == 150 {
			temp += 6
		}
		r.Measurements = []enriched.Measurement{{Quantity: "temperature", Value: temp, Unit: "Cel"}}
		r.Battery = enriched.Battery{Known: true, Percent: 40 - float64(step)/10}
	case dev < 9:
		if (step/40+dev)%3 == 0 {
			return nil // visitor out of range for a while
		}
		r.Category = enriched.CategoryVisitor
		r.Zone = zones[(step/25+dev)%len(zones)]
	default:
		r.Category = enriched.CategoryEmployee
		r.WorksCouncil = dev == 13
		r.Zone = zones[2]
		r.Position = enriched.Position{Known: true, X: rng.Float64() * 20, Y: rng.Float64() * 10, ErrorM: 2}
	}
	return r
}
