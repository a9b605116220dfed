package stats

import (
	"math"
	"testing"
)

func TestSummary_matches_textbook_values(t *testing.T) {
	t.Parallel()
	var s Summary
	for _, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		s.Add(x)
	}
	if s.Count != 8 || s.Min != 2 || s.Max != 9 || s.Mean != 5 {
		t.Fatalf("summary = %+v, want count 8, min 2, max 9, mean 5", s)
	}
	if want := 32.0 / 7; math.Abs(s.Variance()-want) > 1e-12 {
		t.Errorf("variance = %v, want %v", s.Variance(), want)
	}
}

func TestEWMA_tracks_level_and_scores_outliers(t *testing.T) {
	t.Parallel()
	var e EWMA
	if _, ok := e.ZScore(1); ok {
		t.Fatal("empty EWMA must not score")
	}
	for i := range 200 {
		x := 10.0
		if i%2 == 1 {
			x = 12
		}
		e.Update(x, 0.1)
	}
	if math.Abs(e.Mean-11) > 0.1 {
		t.Errorf("mean = %v, want about 11", e.Mean)
	}
	if sd := e.StdDev(); math.Abs(sd-1) > 0.1 {
		t.Errorf("stddev = %v, want about 1", sd)
	}
	z, ok := e.ZScore(20)
	if !ok || z < 8 {
		t.Errorf("z(20) = %v, %v; want about 9", z, ok)
	}
}
