// Package watch collects what mirror-health needs from both clusters of a
// replication flow (end offsets, offset-syncs, heartbeats, checkpoints,
// consumer-group commits, the target's topic list) and feeds it to a
// status.Evaluator. It works the same against MirrorMaker 2 and the built-in
// mirror because both write MirrorMaker 2's records.
//
// The replicated position of a source partition is derived from the newest
// offset-sync: sync.upstream+1, plus the data records the target holds past
// sync.downstream (MirrorMaker 2 syncs sparsely, the built-in mirror after
// every transaction). Counting records, not offsets, keeps transaction
// markers on either cluster from showing up as lag. For the same reason a
// partition whose only unreplicated offsets are markers counts as caught up.
package watch
