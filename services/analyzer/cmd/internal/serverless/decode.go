package serverless

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
)

var (
	readingType = eventbus.TypeOf(&blev1.ReadingEnriched{})
	erasureType = eventbus.TypeOf(&blev1.SubjectErased{})
)

// input is one decoded record: a reading or an erasure.
type input struct {
	reading *enriched.Reading
	erasure *enriched.Erasure
}

// decode dispatches on ce_type as the service's consumer does and checks
// everything the engine would reject, so whether a record is poison depends
// on its bytes alone: a redelivered poison record is recognised as poison
// again even though its offset is already consumed.
func decode(r *kgo.Record) (input, error) {
	typ, _ := eventbus.Header(r, eventbus.HeaderType)
	switch typ {
	case readingType:
		var msg blev1.ReadingEnriched
		if err := eventbus.Decode(r, &msg); err != nil {
			return input{}, err
		}
		out, err := mapper.Reading(&msg)
		if err == nil {
			err = out.Validate()
		}
		if err != nil {
			return input{}, invalid(fmt.Errorf("%w: mapping %s: %w", analyze.ErrInvalid, readingType, err))
		}
		return input{reading: &out}, nil
	case erasureType:
		var msg blev1.SubjectErased
		if err := eventbus.Decode(r, &msg); err != nil {
			return input{}, err
		}
		out, err := mapper.Erasure(&msg)
		if err == nil {
			err = out.Validate()
		}
		if err != nil {
			return input{}, invalid(fmt.Errorf("%w: mapping %s: %w", analyze.ErrInvalid, erasureType, err))
		}
		return input{erasure: &out}, nil
	case "":
		return input{}, &eventbus.DecodeError{Reason: "missing_header", Err: errors.New("no " + eventbus.HeaderType + " header")}
	}
	return input{}, &eventbus.DecodeError{Reason: "wrong_type",
		Err: fmt.Errorf("%s %q, want %s or %s", eventbus.HeaderType, typ, readingType, erasureType)}
}

// apply hands in to the engine at its offset.
func (in input) apply(e *analyze.Engine, at analyze.Offset) (analyze.Output, error) {
	if in.erasure != nil {
		return e.ApplyErasure(at, *in.erasure)
	}
	return e.ApplyReading(at, *in.reading)
}

// invalid gives an engine rejection the dead-letter reason "invalid", like
// a contract violation caught while decoding (the consumer's reason too).
func invalid(err error) error {
	var de *eventbus.DecodeError
	if errors.As(err, &de) {
		return err
	}
	return &eventbus.DecodeError{Reason: "invalid", Err: err}
}

func isPoison(err error) bool {
	var de *eventbus.DecodeError
	return errors.As(err, &de) || errors.Is(err, analyze.ErrInvalid)
}
