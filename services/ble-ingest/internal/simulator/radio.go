package simulator

import (
	"math"
	"math/rand/v2"

	"github.com/bluestream/bluestream/services/ble-ingest/floorplan"
)

func randomPoint(r floorplan.Rect, rng *rand.Rand) floorplan.Point {
	return floorplan.Point{
		X: r.Min.X + rng.Float64()*(r.Max.X-r.Min.X),
		Y: r.Min.Y + rng.Float64()*(r.Max.Y-r.Min.Y),
	}
}

// pathLossRSSI is the log-distance path-loss model: the RSSI at 1 m, shifted by
// the device's transmit power, minus 10·n·log10(d). Distances under 1 m count as
// 1 m, where the model's reference point is.
func pathLossRSSI(rssiAt1m, txPower, exponent, d float64) float64 {
	return rssiAt1m + txPower - 10*exponent*math.Log10(math.Max(d, 1))
}
