package projection

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// fleetReading is reading number i of a fleet of n devices that each report
// every 10 s with two measurements, spread over 50 zones.
func fleetReading(ids []string, i int) enriched.Reading {
	n := len(ids)
	dev := i % n
	z := enriched.Zone{Site: "ber", Building: "b1", Floor: "1", Zone: fmt.Sprintf("z%02d", dev%50)}
	return enriched.Reading{
		DeviceID: ids[dev], GatewayID: "gw-1", Zone: z, Category: enriched.CategorySensor,
		EventTime: t0.Add(time.Duration(i/n)*10*time.Second + time.Duration(dev)*time.Microsecond),
		Battery:   enriched.Battery{Known: true, Percent: 80},
		Measurements: []enriched.Measurement{
			{Quantity: "temperature", Value: 20 + float64(i%7)/10, Unit: "Cel"},
			{Quantity: "humidity", Value: 40 + float64(i%5), Unit: "%"},
		},
	}
}

func deviceIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("pseudo-%016x", uint64(i)*0x9e3779b97f4a7c15)
	}
	return ids
}

func BenchmarkApply(b *testing.B) {
	p := newProjection(b, Config{})
	ids := deviceIDs(10_000)
	i := 0
	for b.Loop() {
		p.Apply(fleetReading(ids, i))
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkMemoryPerDevice tracks 100,000 devices, each with four readings
// (so the interval estimate holds gaps) and two measurements, and reports
// the live heap per device.
func BenchmarkMemoryPerDevice(b *testing.B) {
	const devices = 100_000
	ids := deviceIDs(devices)
	for b.Loop() {
		before := heapInUse()
		p := newProjection(b, Config{})
		for i := range 4 * devices {
			p.Apply(fleetReading(ids, i))
		}
		after := heapInUse()
		b.ReportMetric(float64(after-before)/devices, "bytes/device")
		runtime.KeepAlive(p)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
