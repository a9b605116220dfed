// Package status judges the health of a cross-cluster mirror in the manner of
// LinkedIn Burrow: instead of alerting on a fixed lag threshold it looks at a
// sliding window of observations per partition and names the rule that fired.
//
// Burrow's documented rules (github.com/linkedin/Burrow/wiki, "Consumer Lag
// Evaluation Rules") are written for a consumer group committing offsets. A
// mirror is a consumer of the source that "commits" by appending to the
// target, so the analogues used here are:
//
//   - the consumer offset is Replicated, the next source offset the mirror has
//     not yet written to the target;
//   - the broker HEAD offset is SourceEnd, the source partition's end offset;
//   - "the consumer stopped committing" is the mirror's heartbeats on the
//     target going stale, since a mirror appends heartbeats while alive.
//
// Partition rules, first match wins:
//
//	REWIND -> ERR  Replicated went backwards (target truncated or recreated).
//	STOP           heartbeats are stale and the partition has lag (Burrow rule
//	               4, including its exception for a partition with no lag).
//	OK             some observation in the window has zero lag (rule 1).
//	STALL          Replicated never moved across a full window while lag
//	               stayed positive (rule 2).
//	WARN           Replicated moved but lag never decreased between two
//	               consecutive observations across a full window (rule 3).
//	WARN           lag in seconds exceeds Config.MaxLag, when set (Burrow has
//	               no such rule; users of lag-in-seconds asked for it).
//	OK             otherwise: lag is shrinking at some point.
//
// The overall status is Burrow's: ERR when any partition is STALL, STOP or
// ERR, WARN when any is WARN, else OK; with the rule of the worst partition.
// Two flow-level checks come on top: stale heartbeats are ERR even without
// lag (the mirror is down, whether or not anybody is producing), and a topic
// on the target that the allow-list does not cover is ERR with its own
// compliance violation, because mirroring e.g. the raw advertisements would
// copy personal data out of the primary region.
package status
