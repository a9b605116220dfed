package mirror

import (
	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// syncHistory is how many offset-syncs are kept per partition for
// translating group offsets; groups further behind get no checkpoint, as in
// MirrorMaker 2.
const syncHistory = 64

type sourcePartition struct {
	topic     string
	partition int32
}

// syncStore remembers recent offset-syncs per source partition, oldest
// first. The newest one is also the mirror's resume position.
type syncStore map[sourcePartition][]mm2.OffsetSync

func (s syncStore) add(o mm2.OffsetSync) {
	key := sourcePartition{o.Topic, o.Partition}
	h := append(s[key], o)
	if len(h) > syncHistory {
		h = h[len(h)-syncHistory:]
	}
	s[key] = h
}

// next is the first source offset not yet mirrored, or -1 when the partition
// was never mirrored.
func (s syncStore) next(topic string, partition int32) int64 {
	h := s[sourcePartition{topic, partition}]
	if len(h) == 0 {
		return -1
	}
	return h[len(h)-1].UpstreamOffset + 1
}

// translate maps a consumer group's committed source offset to a target
// offset the way MirrorMaker 2's OffsetSyncStore.translateDownstream does:
// take the newest sync at or below the offset; if the offset is past it, the
// group has consumed the synced record, so resume one past its copy. It
// reports false when no retained sync is old enough.
func (s syncStore) translate(topic string, partition int32, upstream int64) (int64, bool) {
	h := s[sourcePartition{topic, partition}]
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].UpstreamOffset <= upstream {
			if h[i].UpstreamOffset == upstream {
				return h[i].DownstreamOffset, true
			}
			return h[i].DownstreamOffset + 1, true
		}
	}
	return 0, false
}
