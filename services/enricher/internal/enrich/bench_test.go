package enrich

import (
	"context"
	"testing"

	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
)

// BenchmarkEnrich reports enrichments per second for a mixed fleet: four gateways,
// registered and unknown devices, RPA resolution, merging, pseudonyms and positions.
func BenchmarkEnrich(b *testing.B) {
	b.Run("uncached", func(b *testing.B) { benchmarkEnrich(b) })
	b.Run("pseudonym_cache", func(b *testing.B) { benchmarkEnrich(b, privacy.WithCache(4096)) })
}

func benchmarkEnrich(b *testing.B, opts ...privacy.Option) {
	h := newHarness(b, true)
	enr := h.newEnricher(b, opts...)
	readings := scenario(2000)
	ctx := context.Background()
	b.ResetTimer()
	outputs := 0
	i := 0
	for b.Loop() {
		r := readings[i%len(readings)]
		// Shift each pass in time so event time keeps moving forward and windows close.
		r.ReceivedAt = r.ReceivedAt.Add(ms(200_000 * (i / len(readings))).Sub(t0))
		out, err := enr.Add(ctx, r)
		if err != nil {
			b.Fatal(err)
		}
		outputs += len(out)
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "readings/s")
	b.ReportMetric(float64(outputs)/b.Elapsed().Seconds(), "enriched/s")
}

// BenchmarkEnrichSingle measures one reading's enrichment without merging.
func BenchmarkEnrichSingle(b *testing.B) {
	h := newHarness(b, true)
	r := heard("gw-sw", ms(0), badgeRPA(1), -60, "x")
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.enr.Enrich(ctx, Single(r)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "enriched/s")
}
