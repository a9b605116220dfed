package capture

import (
	"bytes"
	"os"
	"testing"

	"github.com/bluestream/bluestream/platform/shareddata"
)

func benchmarkRead(b *testing.B, file []byte) {
	b.SetBytes(int64(len(file)))
	records := 0
	for b.Loop() {
		_, stats, err := ReadAll(bytes.NewReader(file), Options{GatewayID: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		records += stats.Records
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkReadSharedCaptures(b *testing.B) {
	for _, c := range sharedCaptures {
		b.Run(c.file, func(b *testing.B) {
			file, err := os.ReadFile(shareddata.Path(b, "captures", c.file))
			if err != nil {
				b.Fatal(err)
			}
			benchmarkRead(b, file)
		})
	}
}

func BenchmarkReadBtsnoopFixture(b *testing.B) {
	ads := fixtureAds()
	for len(ads) < 10000 {
		ads = append(ads, ads...)
	}
	benchmarkRead(b, writeBtsnoop(b, ads))
}
