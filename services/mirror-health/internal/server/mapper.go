package server

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	mirrorv1 "github.com/bluestream/bluestream/gen/bluestream/mirror/v1"
	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
	"github.com/bluestream/bluestream/services/mirror-health/internal/status"
)

// Flow names the clusters a report is about.
type Flow struct {
	SourceAlias string
	TargetAlias string
}

// ToProto turns an evaluation into the contract's ReplicationStatus, the
// RPC answer and the mirror.health.v1 event alike.
func ToProto(f Flow, r status.Report) *mirrorv1.ReplicationStatus {
	out := &mirrorv1.ReplicationStatus{
		SourceCluster: f.SourceAlias,
		TargetCluster: f.TargetAlias,
		ObservedAt:    timestamppb.New(r.At),
		Status:        StatusToProto(r.Status),
		Rule:          string(r.Rule),
	}
	latency := 0.0
	if r.HasReplicationLatency {
		latency = r.ReplicationLatency.Seconds()
	}
	out.HeartbeatLatencySeconds = latency
	for _, p := range r.Partitions {
		out.Partitions = append(out.Partitions, &mirrorv1.PartitionStatus{
			SourceTopic:     p.Topic,
			TargetTopic:     mm2.RemoteTopic(f.SourceAlias, p.Topic),
			Partition:       p.Partition,
			SourceEndOffset: p.SourceEnd,
			TargetEndOffset: p.TargetEnd,
			LagRecords:      p.LagRecords,
			LagSeconds:      p.LagTime.Seconds(),
			// Latency is measured per flow, by heartbeats; every partition
			// of the flow travels the same path.
			ReplicationLatencySeconds: latency,
			RecordsPerSecond:          p.Throughput,
			Status:                    StatusToProto(p.Status),
			Rule:                      string(p.Rule),
		})
	}
	for _, c := range r.Checkpoints {
		out.Checkpoints = append(out.Checkpoints, &mirrorv1.CheckpointStatus{
			Group: c.Group, Topic: c.Topic, Partition: c.Partition,
			UpstreamOffset: c.UpstreamOffset, DownstreamOffset: c.DownstreamOffset, LagRecords: c.LagRecords,
		})
	}
	for _, v := range r.Violations {
		out.Violations = append(out.Violations, &mirrorv1.ComplianceViolation{
			Topic: v.TargetTopic, Message: string(v.Rule) + ": " + v.Reason,
		})
	}
	return out
}

// StatusToProto maps Burrow's statuses onto the contract. NOTFOUND (nothing
// observed yet) has no value of its own there and becomes WARN: a mirror
// nobody can see is not known to be healthy. The rule still says
// "no_observations".
func StatusToProto(s status.Status) mirrorv1.Status {
	switch s {
	case status.OK:
		return mirrorv1.Status_STATUS_OK
	case status.Warn, status.NotFound:
		return mirrorv1.Status_STATUS_WARN
	case status.Stall:
		return mirrorv1.Status_STATUS_STALL
	case status.Stop:
		return mirrorv1.Status_STATUS_STOP
	}
	return mirrorv1.Status_STATUS_ERR
}
