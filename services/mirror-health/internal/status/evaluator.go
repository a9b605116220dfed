package status

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Evaluator keeps a window per partition and turns them, with the flow-level
// facts of the moment, into a Report. It is safe for concurrent use, so a
// collector can feed it while RPC handlers read reports.
type Evaluator struct {
	cfg   Config
	guard Guard

	mu      sync.Mutex
	windows map[PartitionKey]*Window
}

// NewEvaluator validates cfg and returns an evaluator with empty windows.
func NewEvaluator(cfg Config, guard Guard) (*Evaluator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if guard.SourceAlias == "" {
		return nil, fmt.Errorf("guard.source_alias: must not be empty")
	}
	return &Evaluator{cfg: cfg, guard: guard, windows: map[PartitionKey]*Window{}}, nil
}

// Observe adds an observation to the partition's window.
func (e *Evaluator) Observe(key PartitionKey, o Observation) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	w, ok := e.windows[key]
	if !ok {
		var err error
		if w, err = NewWindow(e.cfg.WindowSize); err != nil {
			return err
		}
		e.windows[key] = w
	}
	if err := w.Add(o); err != nil {
		return fmt.Errorf("observing %s/%d: %w", key.Topic, key.Partition, err)
	}
	return nil
}

// Flow holds the facts about the whole replication flow at one moment.
type Flow struct {
	// At is the evaluation time.
	At time.Time
	// LatestHeartbeat is the timestamp of the newest heartbeat on the
	// target for this flow, zero if none was ever seen.
	LatestHeartbeat time.Time
	// ReplicationLatency is how long the newest replicated heartbeat took
	// from source to target, when HasReplicationLatency.
	ReplicationLatency    time.Duration
	HasReplicationLatency bool
	Checkpoints           []CheckpointObservation
	// TargetTopics lists every topic on the target, for the compliance guard.
	TargetTopics []string
}

// Report is the verdict for the flow with everything that led to it.
type Report struct {
	At     time.Time
	Status Status
	Rule   Rule
	// HeartbeatAge is At minus the newest heartbeat, when HeartbeatSeen.
	HeartbeatAge  time.Duration
	HeartbeatSeen bool
	// HeartbeatsStale says the newest heartbeat is older than
	// Config.HeartbeatTimeout: the mirror counts as down.
	HeartbeatsStale       bool
	ReplicationLatency    time.Duration
	HasReplicationLatency bool
	// Throughput is records replicated per second, summed over partitions.
	Throughput  float64
	Partitions  []PartitionReport
	Checkpoints []CheckpointReport
	Violations  []Violation
}

// Evaluate judges every partition and the flow as a whole.
func (e *Evaluator) Evaluate(f Flow) Report {
	r := Report{At: f.At, ReplicationLatency: f.ReplicationLatency, HasReplicationLatency: f.HasReplicationLatency}
	r.HeartbeatSeen = !f.LatestHeartbeat.IsZero()
	if r.HeartbeatSeen {
		r.HeartbeatAge = max(f.At.Sub(f.LatestHeartbeat), 0)
	}
	stale := r.HeartbeatSeen && r.HeartbeatAge > e.cfg.HeartbeatTimeout
	r.HeartbeatsStale = stale
	r.Partitions = e.evaluatePartitions(stale)
	for _, p := range r.Partitions {
		r.Throughput += p.Throughput
	}
	for _, c := range f.Checkpoints {
		r.Checkpoints = append(r.Checkpoints, evaluateCheckpoint(e.cfg, f.At, c))
	}
	r.Violations = e.guard.Check(f.TargetTopics)
	r.Status, r.Rule = overall(r, stale)
	return r
}

func (e *Evaluator) evaluatePartitions(heartbeatsStale bool) []PartitionReport {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]PartitionReport, 0, len(e.windows))
	for key, w := range e.windows {
		out = append(out, evaluatePartition(e.cfg, key, w.Observations(), w.Full(), heartbeatsStale))
	}
	slices.SortFunc(out, func(a, b PartitionReport) int {
		return cmp.Or(cmp.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	return out
}

// overall picks the most serious finding: compliance first (it is an alert
// of its own), then a dead mirror, then Burrow's worst partition, then stale
// checkpoints.
func overall(r Report, heartbeatsStale bool) (Status, Rule) {
	if len(r.Violations) > 0 {
		return Err, r.Violations[0].Rule
	}
	if heartbeatsStale {
		return Err, RuleHeartbeatsStale
	}
	worst := PartitionReport{Status: NotFound, Rule: RuleNoObservations}
	for _, p := range r.Partitions {
		if severity(p.Status) > severity(worst.Status) {
			worst = p
		}
	}
	switch worst.Status {
	case Stall, Stop, Err:
		return Err, worst.Rule
	case Warn:
		return Warn, worst.Rule
	}
	if i := slices.IndexFunc(r.Checkpoints, func(c CheckpointReport) bool { return c.Status == Warn }); i >= 0 {
		return Warn, r.Checkpoints[i].Rule
	}
	if !r.HeartbeatSeen && len(r.Partitions) > 0 {
		return Warn, RuleHeartbeatsMissing
	}
	if worst.Status == NotFound {
		return NotFound, RuleNoObservations
	}
	return OK, RuleAllPartitionsOK
}

// severity orders partition statuses for picking the worst; NotFound ranks
// below OK so one unobserved partition does not hide the others.
func severity(s Status) int {
	switch s {
	case OK:
		return 1
	case Warn:
		return 2
	case Stall:
		return 3
	case Stop:
		return 4
	case Err:
		return 5
	}
	return 0
}
