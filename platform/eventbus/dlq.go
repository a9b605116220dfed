package eventbus

import (
	"errors"
	"strconv"
	"strings"
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
	headers := append(append([]kgo.RecordHeader{}, r.Headers...),
		kgo.RecordHeader{Key: HeaderDLQReason, Value: []byte(DLQReason(cause))},
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

// DLQReason is the dlq_reason a dead letter for cause carries: a
// DecodeError's Reason, else "processing".
func DLQReason(cause error) string {
	var de *DecodeError
	if errors.As(cause, &de) {
		return de.Reason
	}
	return "processing"
}

// DeadLettered reports whether r is a dead letter DLQRecord made, and if so
// the topic it was consumed from and why it was dead-lettered.
func DeadLettered(r *kgo.Record) (sourceTopic, reason string, ok bool) {
	reason, ok = Header(r, HeaderDLQReason)
	if !ok || !strings.HasSuffix(r.Topic, topic.DLQSuffix) {
		return "", "", false
	}
	sourceTopic, ok = Header(r, HeaderDLQTopic)
	return sourceTopic, reason, ok
}
