package pipeline_test

import (
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

// benchInputs are records as ble-ingest publishes them, one per common format.
var benchInputs = []struct{ name, payload, scan string }{
	{"ruuvi_v5", "0201061bff99040512fc5394c37c0004fffc040cac364200cdcbb8334c884f", ""},
	{"bthome_v2", bthomeExample, "0509424c4531"},
	{"ibeacon", "0201061aff4c000215e2c56db5dffb48d2b060d0f5a71096e000640001c5", ""},
	{"eddystone_url", "0303aafe1316aafe10ba03676f6f2e676c2f53367a543650", ""},
	{"apple_continuity", "02011a0aff4c001005441cbd08c5", ""},
}

// BenchmarkTransform measures records per second through Stage.Transform:
// CloudEvents decode and validation, payload decode, mapping, deterministic
// marshal and output record. Kafka itself is not in the loop; compare with
// kfake's produce rate (TOOLCHAIN.md) to see which one limits the stage.
func BenchmarkTransform(b *testing.B) {
	s := newStage()
	records := make([]*kgo.Record, len(benchInputs))
	for i, in := range benchInputs {
		records[i] = inputRecord(b, advertisement(b, in.payload, in.scan), fmt.Sprintf("adv-%d", i))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Transform(b.Context(), records[i%len(records)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkReading is the transport-free core alone, as the serverless
// targets call it.
func BenchmarkReading(b *testing.B) {
	var d pipeline.Decoder
	adv := advertisement(b, benchInputs[0].payload, "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Reading(b.Context(), adv); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "readings/s")
}
