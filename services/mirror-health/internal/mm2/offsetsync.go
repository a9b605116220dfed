package mm2

import "errors"

// OffsetSync records that source offset UpstreamOffset of a partition was
// written as DownstreamOffset of the remote partition. MirrorMaker 2 emits
// them sparsely; checkpoints translate group offsets through the newest sync
// at or below the group's offset.
type OffsetSync struct {
	// Topic and Partition name the source (upstream) partition.
	Topic            string
	Partition        int32
	UpstreamOffset   int64
	DownstreamOffset int64
}

// Key encodes the record key (topic, partition).
func (s OffsetSync) Key() ([]byte, error) {
	var w structWriter
	w.string("offset-sync topic", s.Topic)
	w.int32(s.Partition)
	return w.bytes()
}

// Value encodes the record value. Unlike heartbeats and checkpoints,
// MirrorMaker 2 writes offset-sync values without a version header.
func (s OffsetSync) Value() []byte {
	var w structWriter
	w.int64(s.UpstreamOffset)
	w.int64(s.DownstreamOffset)
	return w.buf
}

// DecodeOffsetSync decodes an offset-sync record from its key and value.
func DecodeOffsetSync(key, value []byte) (OffsetSync, error) {
	k := structReader{what: "offset-sync key", buf: key}
	var s OffsetSync
	s.Topic = k.string("topic")
	s.Partition = k.int32("partition")
	v := structReader{what: "offset-sync value", buf: value}
	s.UpstreamOffset = v.int64("upstreamOffset")
	s.DownstreamOffset = v.int64("offset")
	if err := errors.Join(k.done(), v.done()); err != nil {
		return OffsetSync{}, err
	}
	return s, nil
}
