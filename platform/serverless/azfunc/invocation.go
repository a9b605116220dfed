package azfunc

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Request is the custom handler request: the trigger's data under its
// binding name, and metadata (with cardinality MANY, keys such as
// OffsetArray and PartitionArray).
type Request struct {
	Data     map[string]json.RawMessage `json:"Data"`
	Metadata map[string]json.RawMessage `json:"Metadata"`
}

// Response is the custom handler response. The functions bind no output,
// so Outputs stays empty; Logs go to the host's log stream.
type Response struct {
	Outputs     map[string]any `json:"Outputs"`
	Logs        []string       `json:"Logs"`
	ReturnValue any            `json:"ReturnValue"`
}

// Event is one Kafka record as the Kafka extension serialises it. Value is
// base64 because the trigger's dataType is binary (Protobuf values).
type Event struct {
	Offset    int64    `json:"Offset"`
	Partition int32    `json:"Partition"`
	Topic     string   `json:"Topic"`
	Timestamp string   `json:"Timestamp"`
	Value     []byte   `json:"Value"`
	Key       *string  `json:"Key"`
	Headers   []Header `json:"Headers"`
}

// Header is a record header; Value is base64 on the wire.
type Header struct {
	Key   string `json:"Key"`
	Value []byte `json:"Value"`
}

// events reads the binding's data: an array whose items are each an event
// serialised as a JSON string (what the host sends for cardinality MANY).
// Items that are plain objects are read too, and so is an array that itself
// arrives as one JSON string.
func events(raw json.RawMessage) ([]Event, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(unquote(raw), &items); err != nil {
		return nil, fmt.Errorf("reading trigger data: want an array of events: %w", err)
	}
	out := make([]Event, 0, len(items))
	for i, item := range items {
		var ev Event
		if err := json.Unmarshal(unquote(item), &ev); err != nil {
			return nil, fmt.Errorf("reading trigger event %d: %w", i, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// unquote is the JSON in raw, whether the host sent it as JSON or as a
// string holding JSON, as it does for some bindings.
func unquote(raw json.RawMessage) json.RawMessage {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return json.RawMessage(s)
	}
	return raw
}

// record is ev as franz-go would have fetched it.
func (ev Event) record() *kgo.Record {
	r := &kgo.Record{Topic: ev.Topic, Partition: ev.Partition, Offset: ev.Offset, Value: ev.Value}
	if ev.Key != nil {
		r.Key = []byte(*ev.Key)
	}
	// The extension writes .NET's round-trip format; a timestamp it could not
	// give stays zero rather than failing a record that is otherwise fine.
	if ts, err := time.Parse(time.RFC3339Nano, ev.Timestamp); err == nil {
		r.Timestamp = ts
	}
	for _, h := range ev.Headers {
		r.Headers = append(r.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
	}
	return r
}
