package status

import (
	"slices"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// ForTopics narrows the report to the given source topics and judges it
// again, so a caller interested in one topic gets that topic's verdict. The
// flow-level findings (stale heartbeats, compliance violations) concern every
// topic and stay. No topics means the whole report.
func (r Report) ForTopics(topics ...string) Report {
	if len(topics) == 0 {
		return r
	}
	out := r
	out.Partitions, out.Checkpoints, out.Throughput = nil, nil, 0
	for _, p := range r.Partitions {
		if slices.Contains(topics, p.Topic) {
			out.Partitions = append(out.Partitions, p)
			out.Throughput += p.Throughput
		}
	}
	for _, c := range r.Checkpoints {
		// Checkpoints name the remote topic on the target.
		if _, upstream, ok := mm2.SplitRemoteTopic(c.Topic); ok && slices.Contains(topics, upstream) {
			out.Checkpoints = append(out.Checkpoints, c)
		}
	}
	out.Status, out.Rule = overall(out, out.HeartbeatsStale)
	return out
}
