package analyze

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

var benchPartition = store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}

// benchReading is reading number i of a fleet of len(ids) sensors that each
// report every 10 s with two measurements, spread over 50 zones.
func benchReading(ids []string, i int) enriched.Reading {
	n := len(ids)
	dev := i % n
	return enriched.Reading{
		DeviceID: ids[dev], GatewayID: fmt.Sprintf("gw-%d", dev%20), Category: enriched.CategorySensor,
		Zone:      enriched.Zone{Site: "ber", Building: "b1", Floor: "1", Zone: fmt.Sprintf("z%02d", dev%50)},
		EventTime: t0.Add(time.Duration(i/n)*10*time.Second + time.Duration(dev)*time.Microsecond),
		Battery:   enriched.Battery{Known: true, Percent: 80},
		Measurements: []enriched.Measurement{
			{Quantity: "temperature", Value: 20 + float64(i%7)/10, Unit: "Cel"},
			{Quantity: "humidity", Value: 40 + float64(i%5), Unit: "%"},
		},
	}
}

func benchIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("pseudo-%016x", uint64(i)*0x9e3779b97f4a7c15)
	}
	return ids
}

// BenchmarkEngineApply measures records per second through projections and
// alert rules for 10,000 devices, committing every 1,000 or 10,000 records
// (each commit rewrites every device touched since the previous one).
func BenchmarkEngineApply(b *testing.B) {
	for _, every := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("memstore/commit_every_%d", every), func(b *testing.B) {
			benchApply(b, memstore.New(), every)
		})
		b.Run(fmt.Sprintf("boltstore/commit_every_%d", every), func(b *testing.B) {
			benchApply(b, bolt.Fresh(b)(), every)
		})
		b.Run(fmt.Sprintf("pgstore/commit_every_%d", every), func(b *testing.B) {
			benchApply(b, postgres.Fresh(b)(), every)
		})
	}
}

func benchApply(b *testing.B, st store.Store, commitEvery int) {
	e := openEngine(b, st)
	ids := benchIDs(10_000)
	readings := make([]enriched.Reading, 50_000)
	for i := range readings {
		readings[i] = benchReading(ids, i)
	}
	i := 0
	for b.Loop() {
		r := readings[i%len(readings)]
		r.EventTime = r.EventTime.Add(time.Duration(i/len(readings)) * 50 * time.Second)
		if _, err := e.ApplyReading(Offset{Partition: benchPartition, Offset: int64(i)}, r); err != nil {
			b.Fatal(err)
		}
		i++
		if i%commitEvery == 0 {
			if err := e.Commit(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkEngineMemoryPerDevice tracks 100,000 devices (four readings and
// two measurements each) through the whole engine, committed, and reports
// the live heap per device: projection, alert state and deadlines.
func BenchmarkEngineMemoryPerDevice(b *testing.B) {
	const devices = 100_000
	ids := benchIDs(devices)
	for b.Loop() {
		st := memstore.New()
		before := heapAlloc()
		e := openEngine(b, st)
		for i := range 4 * devices {
			if _, err := e.ApplyReading(Offset{Partition: benchPartition, Offset: int64(i)}, benchReading(ids, i)); err != nil {
				b.Fatal(err)
			}
		}
		if err := e.Commit(b.Context()); err != nil {
			b.Fatal(err)
		}
		withStore := heapAlloc()
		st = nil // measure the engine alone: drop the committed copy
		_ = st
		e.store = nil
		engineOnly := heapAlloc()
		b.ReportMetric(float64(engineOnly-before)/devices, "bytes/device")
		b.ReportMetric(float64(withStore-before)/devices, "bytes/device+memstore")
		runtime.KeepAlive(e)
	}
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkRestore measures how long a restart takes to load the state of
// 100,000 devices from the embedded store and from PostgreSQL.
func BenchmarkRestore(b *testing.B) {
	const devices = 100_000
	ids := benchIDs(devices)
	for _, kind := range []struct {
		name string
		back backend
	}{{"boltstore", bolt}, {"pgstore", postgres}} {
		b.Run(kind.name, func(b *testing.B) {
			st := kind.back.Fresh(b)()
			e := openEngine(b, st)
			for i := range 2 * devices {
				if _, err := e.ApplyReading(Offset{Partition: benchPartition, Offset: int64(i)}, benchReading(ids, i)); err != nil {
					b.Fatal(err)
				}
			}
			if err := e.Commit(b.Context()); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				restored := openEngine(b, st)
				if got := restored.proj.Len(); got != devices {
					b.Fatalf("restored %d devices, want %d", got, devices)
				}
			}
			b.ReportMetric(float64(devices)*float64(b.N)/b.Elapsed().Seconds(), "devices/s")
		})
	}
}
