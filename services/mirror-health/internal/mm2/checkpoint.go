package mm2

import "errors"

// CheckpointVersion is the only checkpoint value version MirrorMaker 2 writes.
const CheckpointVersion int16 = 0

// Checkpoint translates one consumer group's committed offset on a source
// partition into the matching offset on the target cluster, so the group can
// fail over to the mirror without reprocessing or skipping records.
type Checkpoint struct {
	Group string
	// Topic and Partition name the remote partition on the target
	// ("azure.ble.enriched.v1"): MirrorCheckpointTask renames the source
	// partition before writing, so consumers can seek to it directly.
	Topic     string
	Partition int32
	// UpstreamOffset is the group's committed offset on the source cluster.
	UpstreamOffset int64
	// DownstreamOffset is the translated offset on the target's remote topic.
	DownstreamOffset int64
	// Metadata is the commit metadata the group stored with its offset.
	Metadata string
}

// Key encodes the record key (group, topic, partition).
func (c Checkpoint) Key() ([]byte, error) {
	var w structWriter
	w.string("checkpoint group", c.Group)
	w.string("checkpoint topic", c.Topic)
	w.int32(c.Partition)
	return w.bytes()
}

// Value encodes the record value (version header, offsets, metadata).
func (c Checkpoint) Value() ([]byte, error) {
	var w structWriter
	w.int16(CheckpointVersion)
	w.int64(c.UpstreamOffset)
	w.int64(c.DownstreamOffset)
	w.string("checkpoint metadata", c.Metadata)
	return w.bytes()
}

// DecodeCheckpoint decodes a checkpoint record from its key and value.
func DecodeCheckpoint(key, value []byte) (Checkpoint, error) {
	k := structReader{what: "checkpoint key", buf: key}
	var c Checkpoint
	c.Group = k.string("group")
	c.Topic = k.string("topic")
	c.Partition = k.int32("partition")
	v := structReader{what: "checkpoint value", buf: value}
	v.version(CheckpointVersion)
	c.UpstreamOffset = v.int64("upstreamOffset")
	c.DownstreamOffset = v.int64("offset")
	c.Metadata = v.string("metadata")
	if err := errors.Join(k.done(), v.done()); err != nil {
		return Checkpoint{}, err
	}
	return c, nil
}
