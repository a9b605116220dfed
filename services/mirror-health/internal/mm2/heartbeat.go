package mm2

import (
	"errors"
	"time"
)

// HeartbeatVersion is the only heartbeat value version MirrorMaker 2 writes.
const HeartbeatVersion int16 = 0

// Heartbeat is one record of the heartbeats topic: MirrorMaker 2 emits it
// on the source cluster every emit.heartbeats.interval.seconds and mirrors it
// like any other topic, so its arrival time on the target measures the
// end-to-end replication latency.
type Heartbeat struct {
	SourceClusterAlias string
	TargetClusterAlias string
	// Timestamp is when the heartbeat was emitted, in millisecond precision.
	Timestamp time.Time
}

// Key encodes the record key (the two aliases).
func (h Heartbeat) Key() ([]byte, error) {
	var w structWriter
	w.string("heartbeat sourceClusterAlias", h.SourceClusterAlias)
	w.string("heartbeat targetClusterAlias", h.TargetClusterAlias)
	return w.bytes()
}

// Value encodes the record value (version header and timestamp).
func (h Heartbeat) Value() []byte {
	var w structWriter
	w.int16(HeartbeatVersion)
	w.int64(h.Timestamp.UnixMilli())
	return w.buf
}

// DecodeHeartbeat decodes a heartbeat record from its key and value.
func DecodeHeartbeat(key, value []byte) (Heartbeat, error) {
	k := structReader{what: "heartbeat key", buf: key}
	source := k.string("sourceClusterAlias")
	target := k.string("targetClusterAlias")
	v := structReader{what: "heartbeat value", buf: value}
	v.version(HeartbeatVersion)
	ms := v.int64("timestamp")
	if err := errors.Join(k.done(), v.done()); err != nil {
		return Heartbeat{}, err
	}
	return Heartbeat{SourceClusterAlias: source, TargetClusterAlias: target, Timestamp: time.UnixMilli(ms)}, nil
}
