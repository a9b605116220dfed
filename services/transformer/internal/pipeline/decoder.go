package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
	"github.com/bluestream/bluestream/services/transformer/internal/decode"
	"github.com/bluestream/bluestream/services/transformer/internal/mapper"
)

// MaxPayload is the longest advertising payload or scan response: 31 bytes
// for legacy advertising, 1650 for extended advertising data reassembled from
// its fragments (the most a controller may advertise).
const MaxPayload = 1650

// Decoder decodes advertisements. The zero value decodes with no keys and
// stamps readings with the advertisement's receive time. It is safe for
// concurrent use.
type Decoder struct {
	// Keys finds per-device keys of encrypted formats; nil means none.
	Keys decode.KeyLookup
	// Now stamps decoded_at. Nil uses the advertisement's received_at, which
	// makes the output a function of the input alone.
	Now func() time.Time
	// Plugins decode what the built-in decoders do not; nil means none.
	Plugins Extension

	results sync.Pool // *decode.Result, so warm decodes reuse their slices
}

// Extension adds decoders beyond the built-in ones (package plugin). Extend
// appends what it decoded from the structures in ad to out; offset is where
// ad's payload starts in the advertisement. An error fails the whole reading.
type Extension interface {
	Extend(ctx context.Context, ad *adstruct.Summary, offset int, out *blev1.DecodedPayload) error
}

// Reading decodes one advertisement into the event published for it. A
// payload that only partly decodes still gives a reading, with the problems
// listed; an error means the advertisement itself is unusable.
func (d *Decoder) Reading(ctx context.Context, adv *blev1.AdvertisementReceived) (*blev1.ReadingDecoded, error) {
	a := adv.GetAdvertisement()
	if a == nil {
		return nil, errors.New("advertisement: missing")
	}
	var addr adstruct.Address
	if len(a.GetAddress()) == len(addr) {
		copy(addr[:], a.GetAddress())
	}
	payload, err := d.Payload(ctx, a.GetPayload(), a.GetScanResponse(), addr)
	if err != nil {
		return nil, err
	}
	at := adv.GetReceivedAt()
	if d.Now != nil {
		at = timestamppb.New(d.Now())
	} else if at == nil {
		return nil, errors.New("received_at: missing, and no clock to stamp decoded_at")
	}
	return &blev1.ReadingDecoded{Received: adv, Decoded: payload, DecodedAt: at}, nil
}

// Payload decodes an advertising payload and its scan response (may be empty)
// from the device at addr. Problem offsets in the scan response count on from
// the end of the payload.
func (d *Decoder) Payload(ctx context.Context, payload, scanResponse []byte, addr adstruct.Address) (*blev1.DecodedPayload, error) {
	if len(payload) > MaxPayload {
		return nil, fmt.Errorf("payload: %d bytes, at most %d allowed", len(payload), MaxPayload)
	}
	if len(scanResponse) > MaxPayload {
		return nil, fmt.Errorf("scan_response: %d bytes, at most %d allowed", len(scanResponse), MaxPayload)
	}
	r, _ := d.results.Get().(*decode.Result)
	if r == nil {
		r = new(decode.Result)
	}
	defer d.results.Put(r)
	opts := decode.Options{Address: addr, Keys: d.Keys}
	out := &blev1.DecodedPayload{}
	parts := [2][]byte{payload, scanResponse}
	for i, part := range parts {
		if i > 0 && len(part) == 0 {
			break
		}
		offset := 0
		if i > 0 {
			offset = len(payload)
		}
		decode.Decode(part, opts, r)
		mapper.Append(out, r, offset)
		if d.Plugins != nil {
			if err := d.Plugins.Extend(ctx, &r.AD, offset, out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
