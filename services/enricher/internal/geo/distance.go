package geo

import (
	"fmt"
	"math"
)

// FreeSpaceLossAt1m is the free-space path loss over one metre at 2.44 GHz, the middle
// of the BLE band: FSPL = 20·log10(d) + 20·log10(f) − 147.55 dB ≈ 40.2 dB (Friis).
// It turns an advertised TX power (dBm at the antenna) into an expected RSSI at 1 m
// when a gateway has no calibration of its own.
const FreeSpaceLossAt1m = 40.2

// DefaultPathLossExponent is a common indoor value for 2.4 GHz in offices with
// furniture and people (free space is 2; cluttered indoor spaces reach 3 to 4).
const DefaultPathLossExponent = 2.0

// PathLoss is the log-distance path-loss model: RSSI(d) = RSSI(1 m) − 10·n·log10(d).
type PathLoss struct {
	// Exponent is n; DefaultPathLossExponent when zero.
	Exponent float64
}

// Distance estimates the distance in metres at which a signal expected to arrive with
// rssiAt1m at one metre is received with rssi, inverting the log-distance model.
func (m PathLoss) Distance(rssi, rssiAt1m float64) (float64, error) {
	n := m.Exponent
	if n == 0 {
		n = DefaultPathLossExponent
	}
	if math.IsNaN(n) || n < 0 || math.IsInf(n, 0) {
		return 0, fmt.Errorf("path-loss exponent %v: want a positive number", m.Exponent)
	}
	if rssi >= 0 || math.IsNaN(rssi) || math.IsInf(rssi, 0) {
		return 0, fmt.Errorf("rssi %v dBm: want a negative finite number", rssi)
	}
	if math.IsNaN(rssiAt1m) || math.IsInf(rssiAt1m, 0) || rssiAt1m >= 20 || rssiAt1m < -120 {
		return 0, fmt.Errorf("rssi at 1 m %v dBm: want a finite number in [-120, 20)", rssiAt1m)
	}
	return math.Pow(10, (rssiAt1m-rssi)/(10*n)), nil
}

// RSSI is the model's forward direction: the expected RSSI at distance d metres.
// Simulations and tests use it to produce readings from known geometry.
func (m PathLoss) RSSI(d, rssiAt1m float64) float64 {
	n := m.Exponent
	if n == 0 {
		n = DefaultPathLossExponent
	}
	return rssiAt1m - 10*n*math.Log10(d)
}
