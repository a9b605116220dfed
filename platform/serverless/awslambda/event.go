package awslambda

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/aws/aws-lambda-go/events"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Event is the Kafka event as the event source mapping delivers it:
// "eventSource" is "aws:kafka" for MSK and "SelfManagedKafka" otherwise.
type Event = events.KafkaEvent

// Response is the partial batch response of a Kafka event source mapping
// (FunctionResponseTypes: ReportBatchItemFailures). An empty list means every
// record succeeded.
type Response struct {
	BatchItemFailures []BatchItemFailure `json:"batchItemFailures"`
}

// BatchItemFailure names one record that failed.
type BatchItemFailure struct {
	ItemIdentifier ItemIdentifier `json:"itemIdentifier"`
}

// ItemIdentifier is how the Kafka event source names a record: the key of
// its group in the event ("topic-partition") and its offset.
type ItemIdentifier struct {
	TopicPartition string `json:"topic-partition"`
	Offset         int64  `json:"offset"`
}

// badRecord is an event record that cannot even become a kgo.Record.
type badRecord struct {
	id  ItemIdentifier
	err error
}

// records turns the event into kgo.Records ordered by topic, partition and
// offset (the event groups them in a JSON object, whose order Go's map does
// not keep), and remembers each record's group key for the reply.
func records(ev events.KafkaEvent) ([]*kgo.Record, map[*kgo.Record]string, []badRecord) {
	var (
		out    []*kgo.Record
		groups = map[*kgo.Record]string{}
		bad    []badRecord
	)
	for group, recs := range ev.Records {
		for _, er := range recs {
			r, err := record(er)
			if err != nil {
				bad = append(bad, badRecord{ItemIdentifier{group, er.Offset}, err})
				continue
			}
			groups[r] = group
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *kgo.Record) int {
		return cmp.Or(cmp.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition), cmp.Compare(a.Offset, b.Offset))
	})
	slices.SortFunc(bad, func(a, b badRecord) int {
		return cmp.Or(cmp.Compare(a.id.TopicPartition, b.id.TopicPartition), cmp.Compare(a.id.Offset, b.id.Offset))
	})
	return out, groups, bad
}

func record(er events.KafkaRecord) (*kgo.Record, error) {
	key, err := base64.StdEncoding.DecodeString(er.Key)
	if err != nil {
		return nil, fmt.Errorf("decoding key: %w", err)
	}
	value, err := base64.StdEncoding.DecodeString(er.Value)
	if err != nil {
		return nil, fmt.Errorf("decoding value: %w", err)
	}
	r := &kgo.Record{
		Topic:     er.Topic,
		Partition: int32(er.Partition),
		Offset:    er.Offset,
		Key:       key,
		Value:     value,
		Timestamp: er.Timestamp.Time,
	}
	// Each header is a one-entry object; a repeated header name is a second
	// object, so the list keeps Kafka's header order and duplicates.
	for _, h := range er.Headers {
		names := make([]string, 0, len(h))
		for name := range h {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			r.Headers = append(r.Headers, kgo.RecordHeader{Key: name, Value: h[name]})
		}
	}
	return r, nil
}
