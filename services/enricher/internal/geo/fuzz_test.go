package geo

import (
	"math"
	"testing"
)

// FuzzGeohash checks that every encodable position lies in the cell its hash decodes to.
func FuzzGeohash(f *testing.F) {
	f.Add(57.64911, 10.40744, 11)
	f.Add(-90.0, 180.0, 12)
	f.Fuzz(func(t *testing.T, lat, lon float64, precision int) {
		p := LatLon{lat, lon}
		h, err := Geohash(p, precision)
		if err != nil {
			if p.Validate() == nil && precision >= 1 && precision <= MaxGeohashPrecision {
				t.Fatalf("Geohash(%v, %d) failed on valid input: %v", p, precision, err)
			}
			return
		}
		box, err := GeohashBox(h)
		if err != nil {
			t.Fatal(err)
		}
		if !box.Contains(p) {
			t.Fatalf("%v not in the box of %s: %+v", p, h, box)
		}
	})
}

// FuzzTrilaterate checks that bad or degenerate input gives an error, never NaN.
func FuzzTrilaterate(f *testing.F) {
	f.Add(0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 5.0, 7.0, 7.0)
	f.Fuzz(func(t *testing.T, x1, y1, x2, y2, x3, y3, d1, d2, d3 float64) {
		est, err := Trilaterate([]Range{
			{Anchor: Point{x1, y1}, Distance: d1},
			{Anchor: Point{x2, y2}, Distance: d2},
			{Anchor: Point{x3, y3}, Distance: d3},
		})
		if err != nil {
			return
		}
		for _, v := range []float64{est.Position.X, est.Position.Y, est.ErrorMetres, est.ResidualRMS} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("estimate %+v has a non-finite value", est)
			}
		}
	})
}
