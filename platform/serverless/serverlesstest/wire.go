package serverlesstest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/twmb/franz-go/pkg/kgo"
)

// LambdaEvent is recs as an MSK event source mapping delivers them: grouped by
// "topic-partition", key and value in base64, each header a one-entry object
// whose value is an array of signed bytes.
func LambdaEvent(t testing.TB, recs []*kgo.Record) []byte {
	t.Helper()
	ev := events.KafkaEvent{
		EventSource:      "aws:kafka",
		EventSourceARN:   "arn:aws:kafka:eu-central-1:123456789012:cluster/bluestream/abcd1234-0123-4567-89ab-cdef01234567-2",
		BootstrapServers: "b-1.bluestream.kafka.eu-central-1.amazonaws.com:9098,b-2.bluestream.kafka.eu-central-1.amazonaws.com:9098",
		Records:          map[string][]events.KafkaRecord{},
	}
	for _, r := range recs {
		group := fmt.Sprintf("%s-%d", r.Topic, r.Partition)
		er := events.KafkaRecord{
			Topic:         r.Topic,
			Partition:     int64(r.Partition),
			Offset:        r.Offset,
			Timestamp:     events.MilliSecondsEpochTime{Time: r.Timestamp},
			TimestampType: "CREATE_TIME",
			Key:           base64.StdEncoding.EncodeToString(r.Key),
			Value:         base64.StdEncoding.EncodeToString(r.Value),
		}
		for _, h := range r.Headers {
			er.Headers = append(er.Headers, map[string]events.JSONNumberBytes{h.Key: h.Value})
		}
		ev.Records[group] = append(ev.Records[group], er)
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// AzureInvocation is recs as the Functions host posts a Kafka trigger batch
// with cardinality MANY and dataType binary to function, under the
// trigger's binding name: each event a JSON string, values and header
// values in base64, and metadata arrays with the Array suffix.
func AzureInvocation(t testing.TB, function, binding string, recs []*kgo.Record) []byte {
	t.Helper()
	var (
		items      []string
		offsets    []int64
		partitions []int32
		topics     []string
		timestamps []string
		keys       []string
	)
	for _, r := range recs {
		ts := r.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z")
		ev := map[string]any{
			"Offset": r.Offset, "Partition": r.Partition, "Topic": r.Topic, "Timestamp": ts,
			"Value": base64.StdEncoding.EncodeToString(r.Value), "Key": string(r.Key),
		}
		var hs []map[string]string
		for _, h := range r.Headers {
			hs = append(hs, map[string]string{"Key": h.Key, "Value": base64.StdEncoding.EncodeToString(h.Value)})
		}
		ev["Headers"] = hs
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, string(b))
		offsets, partitions, topics = append(offsets, r.Offset), append(partitions, r.Partition), append(topics, r.Topic)
		timestamps, keys = append(timestamps, ts), append(keys, string(r.Key))
	}
	return invocation(t, function, binding, items, map[string]any{
		"OffsetArray": offsets, "PartitionArray": partitions, "TopicArray": topics,
		"TimestampArray": timestamps, "KeyArray": keys,
	})
}

// TimerInvocation is what the Functions host posts to function when its
// timer trigger (binding name binding, schedule monitored) fires at at.
func TimerInvocation(t testing.TB, function, binding string, at time.Time) []byte {
	t.Helper()
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000+00:00") }
	timer := map[string]any{
		"Schedule":       map[string]any{"AdjustForDST": true},
		"ScheduleStatus": map[string]any{"Last": ts(at.Add(-time.Minute)), "Next": ts(at.Add(time.Minute)), "LastUpdated": ts(at.Add(-time.Minute))},
		"IsPastDue":      false,
	}
	return invocation(t, function, binding, timer, map[string]any{})
}

// invocation is a custom handler request: data under the binding name, and
// the trigger's metadata with the host's "sys" entry.
func invocation(t testing.TB, function, binding string, data any, metadata map[string]any) []byte {
	t.Helper()
	metadata["sys"] = map[string]any{"MethodName": function, "UtcNow": "2026-11-23T10:00:00Z", "RandGuid": "0f8fad5b-d9cb-469f-a165-70867728950e"}
	body, err := json.Marshal(map[string]any{"Data": map[string]any{binding: data}, "Metadata": metadata})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// ScheduledEvent is what an EventBridge schedule rule delivers to a Lambda
// function when it fires at at.
func ScheduledEvent(t testing.TB, at time.Time) []byte {
	t.Helper()
	b, err := json.Marshal(events.EventBridgeEvent{
		Version: "0", ID: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", DetailType: "Scheduled Event", Source: "aws.events",
		AccountID: "123456789012", Time: at.UTC().Truncate(time.Second), Region: "eu-central-1",
		Resources: []string{"arn:aws:events:eu-central-1:123456789012:rule/bluestream-analyzer-tick"},
		Detail:    json.RawMessage("{}"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
