package pipeline

import (
	"context"
	"errors"
	"strconv"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/platform/eventbus"
	"github.com/bluestream/bluestream/platform/pipelinemetrics"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
)

// idSpace is the UUID namespace of reading ids: a reading's ce_id is a name-
// based UUID (RFC 9562 version 5) of its input's identity in this space.
var idSpace = uuid.MustParse("7d1f3b2e-4c59-4f0a-9a57-6b2f0c1e8d43")

// Stage is the consume-transform-produce step for eventbus.Transactor.
type Stage struct {
	Decoder *Decoder
	// Encoder adds the CloudEvents headers (the Transactor's Encoder).
	Encoder eventbus.Encoder
	// Output is the topic readings go to, normally topic.Readings.
	Output string
}

// Transform implements eventbus.Transform: a record that is not a valid
// AdvertisementReceived returns an error (the Transactor dead-letters it with
// the reason), anything else becomes one ReadingDecoded with the input's key.
func (s *Stage) Transform(ctx context.Context, in *kgo.Record) ([]*kgo.Record, error) {
	var adv blev1.AdvertisementReceived
	if err := eventbus.Decode(in, &adv); err != nil {
		return nil, err
	}
	reading, err := s.Decoder.Reading(ctx, &adv)
	var pe *plugin.Error
	switch {
	case errors.Is(err, plugin.ErrClosed):
		// Shutting down: abort, and the record is decoded after the restart.
		return nil, eventbus.Retry(err)
	case errors.As(err, &pe):
		// The dead-letter reason says which limit the plugin hit, so the
		// record can be replayed once the plugin is fixed.
		return nil, &eventbus.DecodeError{Reason: pe.Reason, Err: err}
	case err != nil:
		return nil, err
	}
	out, err := s.Encoder.Record(ctx, eventbus.Event{
		Topic: s.Output,
		Key:   string(in.Key),
		Msg:   reading,
		ID:    EventID(in),
		Time:  reading.GetDecodedAt().AsTime(),
	})
	if err != nil {
		return nil, err
	}
	// The adapter observes the reading's end-to-end latency once the
	// transaction holding it commits.
	pipelinemetrics.Delivered(ctx, adv.GetReceivedAt().AsTime())
	// Encoder.Record marshals deterministically, so every target publishes
	// the same bytes for the same reading.
	return []*kgo.Record{out}, nil
}

// EventID derives the reading's ce_id from its input: from the input's
// ce_source and ce_id when it has them (a re-sent advertisement keeps its id,
// so its reading does too), else from the record's place in the log. Either
// way a replay or a retried transaction produces the same id.
func EventID(in *kgo.Record) string {
	name := "log\x00" + in.Topic + "\x00" + strconv.Itoa(int(in.Partition)) + "\x00" + strconv.FormatInt(in.Offset, 10)
	if id, ok := eventbus.Header(in, eventbus.HeaderID); ok && id != "" {
		src, _ := eventbus.Header(in, eventbus.HeaderSource)
		name = "ce\x00" + src + "\x00" + id
	}
	return uuid.NewSHA1(idSpace, []byte(name)).String()
}
