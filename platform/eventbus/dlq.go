package eventbus

import (
	"errors"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/bluestream/bluestream/platform/topic"
)

// Dead-letter headers, added to the original record's headers.
const (
	HeaderDLQReason    = "dlq_reason"
	HeaderDLQError     = "dlq_error"
	HeaderDLQTopic     = "dlq_source_topic"
	HeaderDLQPartition = "dlq_source_partition"
	HeaderDLQOffset    = "dlq_source_offset"
	HeaderDLQTime      = "dlq_time"
)

// DLQRecord is r as it goes to its topic's dead-letter queue: key, value and
// headers unchanged, plus why and where from, so nothing accepted is lost and the
// record can be replayed once the cause is fixed.
func DLQRecord(r *kgo.Record, cause error, now time.Time) *kgo.Record {
	reason := "processing"
	var de *DecodeError
	if errors.As(cause, &de) {
		reason = de.Reason
	}
	headers := append(append([]kgo.RecordHeader{}, r.Headers...),
		kgo.RecordHeader{Key: HeaderDLQReason, Value: []byte(reason)},
		kgo.RecordHeader{Key: HeaderDLQError, Value: []byte(cause.Error())},
		kgo.RecordHeader{Key: HeaderDLQTopic, Value: []byte(r.Topic)},
		kgo.RecordHeader{Key: HeaderDLQPartition, Value: []byte(strconv.Itoa(int(r.Partition)))},
		kgo.RecordHeader{Key: HeaderDLQOffset, Value: []byte(strconv.FormatInt(r.Offset, 10))},
		kgo.RecordHeader{Key: HeaderDLQTime, Value: []byte(now.UTC().Format(time.RFC3339Nano))},
	)
	return &kgo.Record{
		Topic:     topic.DLQ(r.Topic),
		Key:       r.Key,
		Value:     r.Value,
		Headers:   headers,
		Timestamp: r.Timestamp,
		Context:   r.Context,
	}
}
