package simulator

import (
	"testing"
	"time"
)

func BenchmarkStepOffice(b *testing.B) {
	emitted := 0
	for b.Loop() {
		s, err := New(Office(1, start))
		if err != nil {
			b.Fatal(err)
		}
		ads, err := s.Step(start.Add(10 * time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		emitted += len(ads)
	}
	b.ReportMetric(float64(emitted)/b.Elapsed().Seconds(), "advertisements/s")
}
