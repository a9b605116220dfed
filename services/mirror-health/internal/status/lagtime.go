package status

import "time"

// lagTime estimates how long the oldest unreplicated record has waited.
// The record's own timestamp is best. Without it, the time the source end
// offset passed Replicated is read off the window's history of end offsets
// (as kafka-lag-exporter does), and before the window's start it is
// extrapolated from the source's produce rate.
func lagTime(obs []Observation) (time.Duration, LagTimeMethod) {
	last := obs[len(obs)-1]
	if last.Lag() == 0 {
		return 0, LagTimeNoLag
	}
	if !last.OldestUnreplicated.IsZero() {
		return max(last.At.Sub(last.OldestUnreplicated), 0), LagTimeRecordTimestamp
	}
	target := last.Replicated + 1 // end offset once the oldest unreplicated record existed
	first := obs[0]
	if first.SourceEnd < target {
		for i := 1; i < len(obs); i++ {
			prev, cur := obs[i-1], obs[i]
			if cur.SourceEnd >= target && prev.SourceEnd < target {
				frac := float64(target-prev.SourceEnd) / float64(cur.SourceEnd-prev.SourceEnd)
				at := prev.At.Add(time.Duration(frac * float64(cur.At.Sub(prev.At))))
				return max(last.At.Sub(at), 0), LagTimeInterpolated
			}
		}
	}
	rate := sourceRate(obs)
	if rate <= 0 {
		return 0, LagTimeUnknown
	}
	before := time.Duration(float64(first.SourceEnd-target) / rate * float64(time.Second))
	return last.At.Sub(first.At) + max(before, 0), LagTimeExtrapolated
}

// sourceRate is records produced per second on the source over the window.
func sourceRate(obs []Observation) float64 {
	first, last := obs[0], obs[len(obs)-1]
	return perSecond(last.SourceEnd-first.SourceEnd, last.At.Sub(first.At))
}

// throughput is records replicated per second over the window.
func throughput(obs []Observation) float64 {
	first, last := obs[0], obs[len(obs)-1]
	return perSecond(last.Replicated-first.Replicated, last.At.Sub(first.At))
}

func perSecond(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
