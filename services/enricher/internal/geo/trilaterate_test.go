package geo

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// room is a 20 m × 12 m office with a gateway in each corner and one mid-wall.
var room = []Point{{0, 0}, {20, 0}, {20, 12}, {0, 12}, {10, 0}}

func exactRanges(anchors []Point, truth Point) []Range {
	rs := make([]Range, len(anchors))
	for i, a := range anchors {
		rs[i] = Range{Anchor: a, Distance: truth.sub(a).norm()}
	}
	return rs
}

func TestTrilaterateExactRanges(t *testing.T) {
	t.Parallel()
	for _, truth := range []Point{{3, 4}, {10, 6}, {17.5, 1.2}, {0.5, 11}} {
		est, err := Trilaterate(exactRanges(room[:4], truth))
		if err != nil {
			t.Fatal(err)
		}
		if e := est.Position.sub(truth).norm(); e > 1e-6 {
			t.Fatalf("truth %v: estimate %v is %.3g m off", truth, est.Position, e)
		}
		if est.ResidualRMS > 1e-6 {
			t.Fatalf("truth %v: residual %v with exact ranges", truth, est.ResidualRMS)
		}
	}
}

// TestTrilaterateSimulatedRSSI draws RSSI readings with log-normal shadowing from a
// known position, turns them back into distances and checks that the estimate lands
// near the truth, that the reported error tracks the real error, and logs the figures.
func TestTrilaterateSimulatedRSSI(t *testing.T) {
	t.Parallel()
	const (
		rssiAt1m = -59.0
		sigmaDB  = 2.0
		trials   = 400
	)
	model := PathLoss{Exponent: 2.2}
	rng := rand.New(rand.NewPCG(1, 2))
	var sumErr, sumReported, sumSq float64
	within := 0
	for range trials {
		truth := Point{1 + rng.Float64()*18, 1 + rng.Float64()*10}
		rs := make([]Range, len(room))
		for i, a := range room {
			rssi := model.RSSI(truth.sub(a).norm(), rssiAt1m) + rng.NormFloat64()*sigmaDB
			d, err := model.Distance(rssi, rssiAt1m)
			if err != nil {
				t.Fatal(err)
			}
			rs[i] = Range{Anchor: a, Distance: d}
		}
		est, err := Trilaterate(rs)
		if err != nil {
			t.Fatal(err)
		}
		e := est.Position.sub(truth).norm()
		sumErr += e
		sumSq += e * e
		sumReported += est.ErrorMetres
		if e <= 2*est.ErrorMetres {
			within++
		}
	}
	meanErr := sumErr / trials
	rmsErr := math.Sqrt(sumSq / trials)
	meanReported := sumReported / trials
	t.Logf("20x12 m room, 5 gateways, %.0f dB shadowing, n=%.1f: mean error %.2f m, RMS error %.2f m, mean reported DRMS %.2f m, truth within 2×reported in %d/%d",
		sigmaDB, model.Exponent, meanErr, rmsErr, meanReported, within, trials)
	if meanErr > 2.5 {
		t.Errorf("mean position error %.2f m, want at most 2.5 m", meanErr)
	}
	if within < trials*80/100 {
		t.Errorf("truth within twice the reported error in %d/%d trials, want at least 80%%", within, trials)
	}
	if ratio := meanReported / rmsErr; ratio < 0.5 || ratio > 2 {
		t.Errorf("reported error %.2f m vs actual RMS %.2f m: off by more than a factor of 2", meanReported, rmsErr)
	}
}

func TestTrilaterateRejectsDegenerateGeometry(t *testing.T) {
	t.Parallel()
	cases := map[string][]Range{
		"two_ranges": exactRanges(room[:2], Point{5, 5}),
		"collinear":  exactRanges([]Point{{0, 0}, {10, 0}, {20, 0}}, Point{5, 5}),
		"same_spot":  exactRanges([]Point{{1, 1}, {1, 1}, {1, 1}}, Point{5, 5}),
	}
	for name, rs := range cases {
		if _, err := Trilaterate(rs); !errors.Is(err, ErrDegenerateGeometry) {
			t.Errorf("%s: error = %v, want ErrDegenerateGeometry", name, err)
		}
	}
}

func TestTrilaterateRejectsBadRanges(t *testing.T) {
	t.Parallel()
	rs := exactRanges(room[:3], Point{5, 5})
	rs[1].Distance = -1
	if _, err := Trilaterate(rs); err == nil {
		t.Fatal("negative distance accepted")
	}
	rs = exactRanges(room[:3], Point{5, 5})
	rs[2].Weight = math.NaN()
	if _, err := Trilaterate(rs); err == nil {
		t.Fatal("NaN weight accepted")
	}
}

func BenchmarkTrilaterate5Gateways(b *testing.B) {
	rs := exactRanges(room, Point{7, 3})
	for i := range rs {
		rs[i].Distance *= 1 + 0.1*float64(i%3-1)
	}
	for b.Loop() {
		if _, err := Trilaterate(rs); err != nil {
			b.Fatal(err)
		}
	}
}
