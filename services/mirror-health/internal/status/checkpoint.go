package status

import "time"

// CheckpointObservation is the newest checkpoint of one consumer group on one
// source partition, with the group's current commit on the source.
type CheckpointObservation struct {
	Group     string
	Topic     string
	Partition int32
	// UpstreamOffset and DownstreamOffset are the checkpoint's offsets.
	UpstreamOffset   int64
	DownstreamOffset int64
	// EmittedAt is the checkpoint record's timestamp.
	EmittedAt time.Time
	// SourceCommitted is the group's committed offset on the source, or -1
	// when the collector could not read it.
	SourceCommitted int64
}

// CheckpointReport says how far a group would be set back by failing over.
type CheckpointReport struct {
	CheckpointObservation
	// LagRecords is SourceCommitted-UpstreamOffset: records the group would
	// consume again after failing over; -1 when SourceCommitted is unknown.
	LagRecords int64
	Age        time.Duration
	Status     Status
	Rule       Rule
}

func evaluateCheckpoint(cfg Config, now time.Time, c CheckpointObservation) CheckpointReport {
	r := CheckpointReport{CheckpointObservation: c, LagRecords: -1, Age: max(now.Sub(c.EmittedAt), 0), Status: OK, Rule: RuleCheckpointCurrent}
	if c.SourceCommitted >= 0 {
		r.LagRecords = max(c.SourceCommitted-c.UpstreamOffset, 0)
	}
	// A checkpoint that is old but already matches the group's commit is
	// current: the group simply has not moved.
	if r.Age > cfg.CheckpointTimeout && r.LagRecords != 0 {
		r.Status, r.Rule = Warn, RuleCheckpointStale
	}
	return r
}
