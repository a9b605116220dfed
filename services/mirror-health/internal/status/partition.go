package status

import "time"

// PartitionReport is the verdict and the figures for one source partition.
type PartitionReport struct {
	PartitionKey
	Status Status
	Rule   Rule
	// Latest figures, from the newest observation.
	SourceEnd  int64
	TargetEnd  int64
	Replicated int64
	LagRecords int64
	// LagTime is how long the oldest unreplicated record has waited.
	LagTime       time.Duration
	LagTimeMethod LagTimeMethod
	// Throughput is records replicated per second over the window.
	Throughput float64
	// LatestReplicated is the timestamp of the newest record on the target.
	LatestReplicated time.Time
}

// evaluatePartition applies the rules of the package documentation, in
// order, to one partition's window.
func evaluatePartition(cfg Config, key PartitionKey, obs []Observation, full, heartbeatsStale bool) PartitionReport {
	r := PartitionReport{PartitionKey: key}
	if len(obs) == 0 {
		r.Status, r.Rule = NotFound, RuleNoObservations
		return r
	}
	last := obs[len(obs)-1]
	r.SourceEnd, r.TargetEnd, r.Replicated = last.SourceEnd, last.TargetEnd, last.Replicated
	r.LagRecords, r.LatestReplicated = last.Lag(), last.LatestReplicated
	r.LagTime, r.LagTimeMethod = lagTime(obs)
	r.Throughput = throughput(obs)
	r.Status, r.Rule = judge(cfg, obs, full, heartbeatsStale, r.LagTime)
	return r
}

func judge(cfg Config, obs []Observation, full, heartbeatsStale bool, lagTime time.Duration) (Status, Rule) {
	last := obs[len(obs)-1]
	switch {
	case rewound(obs):
		return Err, RuleRewind
	case heartbeatsStale && last.Lag() > 0:
		return Stop, RuleStopped
	case anyZeroLag(obs):
		return OK, RuleZeroLagInWindow
	case !full:
		return OK, RuleWindowIncomplete
	case stalled(obs):
		return Stall, RuleStalled
	case lagNeverDecreases(obs):
		return Warn, RuleLagNotDecreasing
	case cfg.MaxLag > 0 && lagTime > cfg.MaxLag:
		return Warn, RuleLagAboveLimit
	}
	return OK, RuleLagDecreasing
}

func rewound(obs []Observation) bool {
	for i := 1; i < len(obs); i++ {
		if obs[i].Replicated < obs[i-1].Replicated {
			return true
		}
	}
	return false
}

func anyZeroLag(obs []Observation) bool {
	for _, o := range obs {
		if o.Lag() == 0 {
			return true
		}
	}
	return false
}

// stalled: Burrow rule 2, the offset never moves while lag is fixed or grows.
// Positive lag everywhere is already known (anyZeroLag was false).
func stalled(obs []Observation) bool {
	for i := 1; i < len(obs); i++ {
		if obs[i].Replicated != obs[i-1].Replicated || obs[i].Lag() < obs[i-1].Lag() {
			return false
		}
	}
	return true
}

// lagNeverDecreases: Burrow rule 3, progress is made but lag stays the same
// or grows between every pair of observations.
func lagNeverDecreases(obs []Observation) bool {
	for i := 1; i < len(obs); i++ {
		if obs[i].Lag() < obs[i-1].Lag() {
			return false
		}
	}
	return true
}
