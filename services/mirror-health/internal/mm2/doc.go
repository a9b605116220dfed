// Package mm2 reads and writes the records MirrorMaker 2 keeps in its
// internal topics (heartbeats, checkpoints, offset-syncs) and names those
// topics the way MirrorMaker 2's DefaultReplicationPolicy does, so that
// mirror-health can watch a real MirrorMaker 2 and the built-in mirror alike.
//
// The byte layouts follow Apache Kafka's sources (connect/mirror-client
// Heartbeat.java and Checkpoint.java, connect/mirror OffsetSync.java), which
// serialise with Kafka's protocol Schema/Struct types: fields back to back,
// INT16/INT32/INT64 big-endian, STRING as an INT16 length then UTF-8 bytes.
//
//	heartbeat  key:   sourceClusterAlias STRING, targetClusterAlias STRING
//	           value: version INT16 (=0), timestamp INT64 (ms since epoch)
//	checkpoint key:   group STRING, topic STRING, partition INT32
//	           value: version INT16 (=0), upstreamOffset INT64,
//	                  offset INT64 (downstream), metadata STRING
//	offset-sync key:  topic STRING, partition INT32
//	           value: upstreamOffset INT64, offset INT64 (no version field)
//
// Decoders are strict: a truncated field, trailing bytes, an unknown version,
// a negative string length or invalid UTF-8 is an error naming the field, since
// any of them means the record is not what MirrorMaker 2 wrote.
package mm2
