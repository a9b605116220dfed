// Package mirror is the built-in replacement for MirrorMaker 2 used by
// `make run` and single-node edge sites. It copies allow-listed topics from a
// source cluster to a target cluster under MirrorMaker 2's conventions, so
// mirror-health watches it exactly as it watches MirrorMaker 2:
//
//   - topic T is written to "<source-alias>.T" with the same partition,
//     key, value, headers and timestamp;
//   - heartbeats go to "heartbeats" on the target;
//   - offset-syncs go to "mm2-offset-syncs.<source-alias>.internal" on the
//     target (MirrorMaker 2's name for offset-syncs.topic.location=target);
//   - checkpoints of the source's consumer groups go to
//     "<source-alias>.checkpoints.internal" on the target, translated through
//     the offset-syncs the way MirrorMaker 2's OffsetSyncStore does.
//
// # Exactly once across a crash
//
// The target producer is transactional. Each batch is one transaction that
// holds the copied records and, for every partition in the batch, an
// offset-sync naming the source offset of the partition's last copied record
// and the target offset it landed at. The offset-syncs topic is therefore the
// mirror's own position, committed atomically with the data it describes.
//
// On start the mirror reads the offset-syncs topic with read_committed up to
// its last stable offset and resumes every partition one past the newest
// sync's upstream offset. A batch cut short by a crash was never committed:
// its records are invisible to read_committed consumers, and the restarted
// producer (same transactional ID) fences the dead one and aborts its open
// transaction. So every source record reaches a read_committed reader on the
// target once, in source order per partition. The source is read with
// read_committed too, so aborted source transactions are not copied.
//
// Run returns on the first error without committing the batch in flight;
// the caller restarts it, and the restart resumes exactly where the last
// commit left off.
package mirror
