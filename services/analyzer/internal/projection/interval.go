package projection

import (
	"slices"
	"time"
)

const (
	// gapWindow is how many recent report gaps feed the interval estimate;
	// odd, so the median is one observed gap.
	gapWindow = 15
	// minGaps is how many gaps it takes before the estimate replaces the
	// initial timeout: one or two gaps say little about a schedule.
	minGaps = 3
	// minGap ignores copies of one advertisement heard by several gateways.
	minGap = 10 * time.Millisecond
)

// interval estimates how often a device reports. It keeps the last gaps in
// milliseconds and uses their median, which a few missed reports or a burst
// of duplicates do not move, unlike a mean.
type interval struct {
	// Announced is the advertising interval the device or registry states.
	Announced time.Duration `json:"ann,omitempty"`
	Gaps      []uint32      `json:"gaps,omitempty"`
	Next      uint8         `json:"next,omitempty"`
}

func (iv *interval) observeGap(gap time.Duration) {
	if gap < minGap {
		return
	}
	ms := uint32(min(gap.Milliseconds(), int64(^uint32(0))))
	if len(iv.Gaps) < gapWindow {
		iv.Gaps = append(iv.Gaps, ms)
		return
	}
	iv.Gaps[iv.Next] = ms
	iv.Next = (iv.Next + 1) % gapWindow
}

// estimate returns the expected gap between two reports. Observed gaps win
// over the announced interval when longer, because gateways report a device
// less often than it advertises (scan duty cycles, rate limits).
func (iv interval) estimate() (time.Duration, bool) {
	observed, ok := iv.median()
	switch {
	case ok && observed > iv.Announced:
		return observed, true
	case iv.Announced > 0:
		return iv.Announced, true
	}
	return 0, false
}

func (iv interval) median() (time.Duration, bool) {
	if len(iv.Gaps) < minGaps {
		return 0, false
	}
	var buf [gapWindow]uint32
	sorted := buf[:len(iv.Gaps)]
	copy(sorted, iv.Gaps)
	slices.Sort(sorted)
	n := len(sorted)
	mid := uint64(sorted[n/2])
	if n%2 == 0 {
		mid = (uint64(sorted[n/2-1]) + mid) / 2
	}
	return time.Duration(mid) * time.Millisecond, true
}

// timeout is how long the device may stay silent before it disappears.
func (iv interval) timeout(cfg Config) time.Duration {
	est, ok := iv.estimate()
	if !ok {
		return cfg.InitialTimeout
	}
	return max(cfg.TimeoutFloor, time.Duration(float64(est)*cfg.TimeoutFactor))
}
