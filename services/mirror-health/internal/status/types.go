package status

import "time"

// Status is the health verdict for a partition or the whole mirror. The zero
// value is NotFound so an unset Status never reads as healthy.
type Status int

// Statuses, in Burrow's vocabulary.
const (
	NotFound Status = iota
	OK
	Warn
	Stall
	Stop
	Err
)

var statusNames = [...]string{"NOTFOUND", "OK", "WARN", "STALL", "STOP", "ERR"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "UNKNOWN"
	}
	return statusNames[s]
}

// Rule names the rule that decided a Status; stable strings for alerts.
type Rule string

// Rules; see the package documentation for when each fires.
const (
	RuleNoObservations      Rule = "no_observations"
	RuleRewind              Rule = "replicated_offset_rewind"
	RuleStopped             Rule = "mirror_stopped"
	RuleZeroLagInWindow     Rule = "zero_lag_in_window"
	RuleStalled             Rule = "replication_stalled"
	RuleLagNotDecreasing    Rule = "lag_not_decreasing"
	RuleLagAboveLimit       Rule = "lag_seconds_above_limit"
	RuleLagDecreasing       Rule = "lag_decreasing"
	RuleWindowIncomplete    Rule = "window_incomplete"
	RuleHeartbeatsStale     Rule = "heartbeats_stale"
	RuleHeartbeatsMissing   Rule = "heartbeats_missing"
	RuleTopicNotAllowListed Rule = "topic_not_on_allow_list"
	RuleSensitiveTopic      Rule = "sensitive_topic_on_target"
	RuleCheckpointStale     Rule = "checkpoint_stale"
	RuleCheckpointCurrent   Rule = "checkpoint_current"
	RuleAllPartitionsOK     Rule = "all_partitions_ok"
)

// Observation is one look at a mirrored partition on both clusters.
type Observation struct {
	// At is when the observation was taken, by the collector's clock.
	At time.Time
	// SourceEnd is the source partition's end offset.
	SourceEnd int64
	// Replicated is the next source offset not yet on the target.
	Replicated int64
	// TargetEnd is the remote partition's end offset on the target.
	TargetEnd int64
	// OldestUnreplicated is the timestamp of the source record at Replicated,
	// zero when unknown or when nothing is unreplicated.
	OldestUnreplicated time.Time
	// LatestReplicated is the timestamp of the newest record on the target,
	// zero when unknown.
	LatestReplicated time.Time
}

// Lag is the number of source records not yet on the target. Burrow stores
// negative lag (end offsets fetched before the consumer's) as zero; so do we.
func (o Observation) Lag() int64 {
	return max(o.SourceEnd-o.Replicated, 0)
}

// PartitionKey names a source partition.
type PartitionKey struct {
	Topic     string
	Partition int32
}

// LagTimeMethod says how a lag in seconds was obtained.
type LagTimeMethod string

// Lag-time methods, most precise first.
const (
	LagTimeNoLag           LagTimeMethod = "no_lag"
	LagTimeUnknown         LagTimeMethod = "unknown"
	LagTimeRecordTimestamp LagTimeMethod = "record_timestamp"
	LagTimeInterpolated    LagTimeMethod = "interpolated"
	LagTimeExtrapolated    LagTimeMethod = "extrapolated"
)
