// Package eventbus produces and consumes bluestream's Protobuf events over Kafka
// with franz-go: CloudEvents binary-mode headers, W3C trace context in headers
// (kotel), dead-letter routing with the reason in headers, and a transactional
// consume-transform-produce loop.
package eventbus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"buf.build/go/protovalidate"
	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"
)

// CloudEvents Kafka protocol binding, binary content mode: the value is the
// event data, the attributes travel as ce_-prefixed headers.
const (
	HeaderSpecVersion = "ce_specversion"
	HeaderID          = "ce_id"
	HeaderSource      = "ce_source"
	HeaderType        = "ce_type"
	HeaderTime        = "ce_time"
	HeaderContentType = "content-type"

	SpecVersion         = "1.0"
	ContentTypeProtobuf = "application/protobuf"
)

// Event is one message to publish.
type Event struct {
	Topic string
	// Key is the aggregate id (device or gateway), so one aggregate's events stay
	// ordered in one partition.
	Key string
	Msg proto.Message
	// ID becomes ce_id; a random UUID when empty. Give a deterministic one where a
	// retry must produce the same event.
	ID string
	// Time becomes ce_time and the record timestamp; now when zero.
	Time time.Time
}

// Encoder turns events into records with CloudEvents headers.
type Encoder struct {
	// Source becomes ce_source, e.g. "//bluestream/transformer".
	Source string
	Now    func() time.Time
}

// Record encodes e. The record carries ctx, so the produce hook injects the trace
// context of the span in ctx into its headers.
func (enc Encoder) Record(ctx context.Context, e Event) (*kgo.Record, error) {
	// Deterministic, so the same event yields the same bytes on every target
	// (service, Lambda, Azure Functions) and a retry is byte-identical.
	value, err := proto.MarshalOptions{Deterministic: true}.Marshal(e.Msg)
	if err != nil {
		return nil, fmt.Errorf("marshalling %s: %w", e.Msg.ProtoReflect().Descriptor().FullName(), err)
	}
	id, at := e.ID, e.Time
	if id == "" {
		id = uuid.NewString()
	}
	if at.IsZero() {
		at = enc.now()
	}
	return &kgo.Record{
		Topic:     e.Topic,
		Key:       []byte(e.Key),
		Value:     value,
		Timestamp: at,
		Context:   ctx,
		Headers: []kgo.RecordHeader{
			{Key: HeaderSpecVersion, Value: []byte(SpecVersion)},
			{Key: HeaderID, Value: []byte(id)},
			{Key: HeaderSource, Value: []byte(enc.Source)},
			{Key: HeaderType, Value: []byte(TypeOf(e.Msg))},
			{Key: HeaderTime, Value: []byte(at.UTC().Format(time.RFC3339Nano))},
			{Key: HeaderContentType, Value: []byte(ContentTypeProtobuf)},
		},
	}, nil
}

func (enc Encoder) now() time.Time {
	if enc.Now != nil {
		return enc.Now()
	}
	return time.Now()
}

// TypeOf is the ce_type of a message: its full Protobuf name.
func TypeOf(m proto.Message) string { return string(m.ProtoReflect().Descriptor().FullName()) }

// Header returns the value of the first header named key, and whether it exists.
func Header(r *kgo.Record, key string) (string, bool) {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value), true
		}
	}
	return "", false
}

// DecodeError says why a record cannot be turned into an event; it is what a
// consumer puts in the dead-letter headers.
type DecodeError struct {
	// Reason is a short machine-readable kind: missing_header, wrong_type,
	// wrong_content_type, unmarshal, invalid.
	Reason string
	Err    error
}

func (e *DecodeError) Error() string { return e.Reason + ": " + e.Err.Error() }
func (e *DecodeError) Unwrap() error { return e.Err }

var validator = mustValidator()

func mustValidator() protovalidate.Validator {
	v, err := protovalidate.New()
	if err != nil {
		panic(err)
	}
	return v
}

// Decode reads r into into, after checking its CloudEvents headers name into's
// type, and validates it against the contract's rules.
func Decode(r *kgo.Record, into proto.Message) error {
	if ct, ok := Header(r, HeaderContentType); ok && ct != ContentTypeProtobuf {
		return &DecodeError{Reason: "wrong_content_type", Err: fmt.Errorf("content-type %q, want %q", ct, ContentTypeProtobuf)}
	}
	typ, ok := Header(r, HeaderType)
	if !ok {
		return &DecodeError{Reason: "missing_header", Err: errors.New("no " + HeaderType + " header")}
	}
	if want := TypeOf(into); typ != want {
		return &DecodeError{Reason: "wrong_type", Err: fmt.Errorf("%s %q, want %q", HeaderType, typ, want)}
	}
	if err := proto.Unmarshal(r.Value, into); err != nil {
		return &DecodeError{Reason: "unmarshal", Err: fmt.Errorf("unmarshalling %s: %w", typ, err)}
	}
	if err := validator.Validate(into); err != nil {
		return &DecodeError{Reason: "invalid", Err: err}
	}
	return nil
}
