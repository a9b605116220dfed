package kafkaio

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

var (
	readingType = eventbus.TypeOf(&blev1.ReadingEnriched{})
	erasureType = eventbus.TypeOf(&blev1.SubjectErased{})
)

// Input is one decoded input record: a reading or an erasure.
type Input struct {
	Reading *enriched.Reading
	Erasure *enriched.Erasure
}

// Decode dispatches on the ce_type header (the enriched topic carries two
// event types), checks the contract, maps the message and validates it as
// the engine would. Whether a record is poison therefore depends on its
// bytes alone: a redelivered poison record is recognised again even though
// the engine, which skips offsets it consumed, would not look at it. The
// error of a poison record is an *eventbus.DecodeError whose Reason the
// dead letter carries.
func Decode(r *kgo.Record) (Input, error) {
	typ, _ := eventbus.Header(r, eventbus.HeaderType)
	switch typ {
	case readingType:
		reading, err := decode(r, &blev1.ReadingEnriched{}, mapper.Reading)
		return Input{Reading: reading}, err
	case erasureType:
		erasure, err := decode(r, &blev1.SubjectErased{}, mapper.Erasure)
		return Input{Erasure: erasure}, err
	case "":
		return Input{}, &eventbus.DecodeError{Reason: "missing_header", Err: errors.New("no " + eventbus.HeaderType + " header")}
	}
	return Input{}, &eventbus.DecodeError{Reason: "wrong_type",
		Err: fmt.Errorf("%s %q, want %s or %s", eventbus.HeaderType, typ, readingType, erasureType)}
}

// decode checks r's contract into msg (eventbus.Decode validates it), maps
// it to the domain and validates the result as the engine would.
func decode[M proto.Message, T interface{ Validate() error }](r *kgo.Record, msg M, toDomain func(M) (T, error)) (*T, error) {
	if err := eventbus.Decode(r, msg); err != nil {
		return nil, err
	}
	out, err := toDomain(msg)
	if err != nil {
		return nil, invalid(fmt.Errorf("%w: mapping %s: %w", analyze.ErrInvalid, eventbus.TypeOf(msg), err))
	}
	if err := out.Validate(); err != nil {
		return nil, invalid(fmt.Errorf("%w: %s: %w", analyze.ErrInvalid, eventbus.TypeOf(msg), err))
	}
	return &out, nil
}

// Apply decodes r and hands it to e at r's offset. A poison record's error
// satisfies IsPoison and is an *eventbus.DecodeError, ready for
// eventbus.DLQRecord; the caller marks its offset consumed with e.Skip.
// Any other error is the engine's, and no retry of the record is safe
// until it is understood.
func Apply(e *analyze.Engine, r *kgo.Record) (analyze.Output, error) {
	in, err := Decode(r)
	if err != nil {
		return analyze.Output{}, err
	}
	at := OffsetOf(r)
	var out analyze.Output
	if in.Erasure != nil {
		out, err = e.ApplyErasure(at, *in.Erasure)
	} else {
		out, err = e.ApplyReading(at, *in.Reading)
	}
	if errors.Is(err, analyze.ErrInvalid) {
		err = invalid(err)
	}
	return out, err
}

// OffsetOf is r's position as the engine records it.
func OffsetOf(r *kgo.Record) analyze.Offset {
	return analyze.Offset{Partition: store.Partition{Topic: r.Topic, Partition: r.Partition}, Offset: r.Offset}
}

// IsPoison reports whether err says its record can never be applied: it
// belongs on the dead-letter topic, and its offset counts as consumed.
func IsPoison(err error) bool {
	var de *eventbus.DecodeError
	return errors.As(err, &de) || errors.Is(err, analyze.ErrInvalid)
}

// invalid gives an engine rejection the dead-letter reason "invalid", as a
// contract violation caught while decoding has.
func invalid(err error) error {
	return &eventbus.DecodeError{Reason: "invalid", Err: err}
}
