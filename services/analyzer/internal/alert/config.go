package alert

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// Config holds the rule thresholds. Zero fields select the stated default.
type Config struct {
	// BatteryLowPercent raises battery_low below it. Default 15.
	BatteryLowPercent float64
	// BatteryHysteresis is how far above the limit the battery must climb
	// before the alert resolves, so a reading jittering around the limit
	// does not flap. Default 5.
	BatteryHysteresis float64
	// Ranges maps a quantity to its allowed range for out_of_range.
	Ranges map[string]Range
	// SilentFactor times a device's expected interval is the silence that
	// raises device_silent. Default 10.
	SilentFactor float64
	// SilentFloor is the shortest silence that raises device_silent.
	// Default 1m.
	SilentFloor time.Duration
	// SilentInitial applies until a device's interval is known. Default 15m.
	SilentInitial time.Duration
	// SilentCategories are the categories expected to report all the time;
	// a visitor's phone leaving is not an alert. Default asset and sensor.
	SilentCategories []enriched.Category
	// GatewaySilentAfter raises gateway_silent. Default 2m.
	GatewaySilentAfter time.Duration
	Anomaly            AnomalyConfig
}

// Range bounds a quantity; use math.Inf for an open end.
type Range struct {
	Min, Max float64
}

// AnomalyConfig tunes the EWMA detector.
type AnomalyConfig struct {
	// Alpha is the EWMA smoothing factor in (0, 1]. Default 0.05.
	Alpha float64
	// Threshold is the |z| above which a value is anomalous. Default 5.
	Threshold float64
	// WarmUp is how many values a series needs before it is judged.
	// Default 30.
	WarmUp int64
}

func (c Config) withDefaults() Config {
	c.BatteryLowPercent = orDefault(c.BatteryLowPercent, 15)
	c.BatteryHysteresis = orDefault(c.BatteryHysteresis, 5)
	c.SilentFactor = orDefault(c.SilentFactor, 10)
	c.SilentFloor = orDefault(c.SilentFloor, time.Minute)
	c.SilentInitial = orDefault(c.SilentInitial, 15*time.Minute)
	c.GatewaySilentAfter = orDefault(c.GatewaySilentAfter, 2*time.Minute)
	if c.SilentCategories == nil {
		c.SilentCategories = []enriched.Category{enriched.CategoryAsset, enriched.CategorySensor}
	}
	c.Anomaly.Alpha = orDefault(c.Anomaly.Alpha, 0.05)
	c.Anomaly.Threshold = orDefault(c.Anomaly.Threshold, 5)
	c.Anomaly.WarmUp = orDefault(c.Anomaly.WarmUp, 30)
	return c
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.BatteryLowPercent < 0 || c.BatteryLowPercent > 100:
		return fmt.Errorf("alert.battery_low_percent: must be within 0..100, got %v", c.BatteryLowPercent)
	case c.BatteryHysteresis < 0:
		return fmt.Errorf("alert.battery_hysteresis: must not be negative, got %v", c.BatteryHysteresis)
	case c.SilentFactor < 1:
		return fmt.Errorf("alert.silent_factor: must be at least 1, got %v", c.SilentFactor)
	case c.SilentFloor <= 0 || c.SilentInitial <= 0 || c.GatewaySilentAfter <= 0:
		return fmt.Errorf("alert: silent_floor, silent_initial and gateway_silent_after must be positive")
	case c.Anomaly.Alpha <= 0 || c.Anomaly.Alpha > 1:
		return fmt.Errorf("alert.anomaly.alpha: must be within (0, 1], got %v", c.Anomaly.Alpha)
	case c.Anomaly.Threshold <= 0:
		return fmt.Errorf("alert.anomaly.threshold: must be positive, got %v", c.Anomaly.Threshold)
	case c.Anomaly.WarmUp < 2:
		return fmt.Errorf("alert.anomaly.warm_up: must be at least 2, got %d", c.Anomaly.WarmUp)
	}
	for _, q := range slices.Sorted(maps.Keys(c.Ranges)) {
		r := c.Ranges[q]
		if math.IsNaN(r.Min) || math.IsNaN(r.Max) || r.Min >= r.Max {
			return fmt.Errorf("alert.ranges[%s]: min %v must be below max %v", q, r.Min, r.Max)
		}
	}
	for _, cat := range c.SilentCategories {
		if !cat.Valid() {
			return fmt.Errorf("alert.silent_categories: unknown category %d", cat)
		}
	}
	return nil
}
