package simulator

import (
	"math"
	"math/rand/v2"
)

// Point is a position on the floor plan in metres.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned rectangle; Min is the lower-left corner.
type Rect struct{ Min, Max Point }

// Zone is a named area of the floor plan.
type Zone struct {
	ID   string
	Area Rect
}

// Gateway is a receiver at a fixed position.
type Gateway struct {
	ID  string
	Pos Point
	// RSSIAt1m is what the gateway measures from a 0 dBm device 1 m away.
	RSSIAt1m float64
}

func (r Rect) randomPoint(rng *rand.Rand) Point {
	return Point{
		X: r.Min.X + rng.Float64()*(r.Max.X-r.Min.X),
		Y: r.Min.Y + rng.Float64()*(r.Max.Y-r.Min.Y),
	}
}

func (r Rect) valid() bool { return r.Max.X > r.Min.X && r.Max.Y > r.Min.Y }

func distance(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// pathLossRSSI is the log-distance path-loss model: the RSSI at 1 m, shifted by
// the device's transmit power, minus 10·n·log10(d). Distances under 1 m count as
// 1 m, where the model's reference point is.
func pathLossRSSI(rssiAt1m, txPower, exponent, d float64) float64 {
	return rssiAt1m + txPower - 10*exponent*math.Log10(math.Max(d, 1))
}
