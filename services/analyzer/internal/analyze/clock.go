package analyze

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// clockKey stores the per-partition event times.
const clockKey = "engine/clock"

// partitionClock keeps the newest event time read from each input
// partition. Timeouts fire at the oldest of them (the low watermark): by
// then every partition has moved past that time, so a device or gateway
// has had every chance to report, and the outcome does not depend on how
// the consumer interleaved partitions. A rebuild therefore reaches the
// same state as the live run.
type partitionClock struct {
	times map[store.Partition]time.Time
	dirty bool
	// expected are the partitions the adapter consumes. Until each has
	// been read, low is zero: a partition not read yet may still hold a
	// device's or gateway's reports, and timing them out on the others'
	// times would depend on which partition the consumer fetched first.
	// Not persisted: the adapter states it at every start.
	expected []store.Partition
}

type partitionTime struct {
	Topic     string    `json:"topic"`
	Partition int32     `json:"partition"`
	At        time.Time `json:"at"`
}

// observe notes an event time read from p.
func (c *partitionClock) observe(p store.Partition, t time.Time) {
	if c.times == nil {
		c.times = make(map[store.Partition]time.Time)
	}
	if t.After(c.times[p]) {
		c.times[p] = t.UTC()
		c.dirty = true
	}
}

// low is the oldest partition time; zero before any reading.
func (c *partitionClock) low() time.Time {
	for _, p := range c.expected {
		if _, seen := c.times[p]; !seen {
			return time.Time{}
		}
	}
	var low time.Time
	for _, t := range c.times {
		if low.IsZero() || t.Before(low) {
			low = t
		}
	}
	return low
}

func (c *partitionClock) encode() ([]byte, error) {
	list := make([]partitionTime, 0, len(c.times))
	for p, t := range c.times {
		list = append(list, partitionTime{Topic: p.Topic, Partition: p.Partition, At: t})
	}
	slices.SortFunc(list, func(a, b partitionTime) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return int(a.Partition - b.Partition)
	})
	return json.Marshal(list)
}

func (c *partitionClock) decode(b []byte) error {
	var list []partitionTime
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("decoding %s: %w", clockKey, err)
	}
	c.times = make(map[store.Partition]time.Time, len(list))
	for _, pt := range list {
		c.times[store.Partition{Topic: pt.Topic, Partition: pt.Partition}] = pt.At
	}
	return nil
}
