package hexlines

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/pipeline"
)

// legacyMax is the longest legacy advertising payload; longer ones can only
// have come from extended advertising.
const legacyMax = 31

// Stats counts what a run did.
type Stats struct {
	Lines, Readings, Errors int
}

// errorLine is what a bad input line produces.
type errorLine struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// Run decodes every line of in and writes one JSON line per input line to out:
// the ReadingDecoded in protojson, or {"line":N,"error":"..."}. Blank lines and
// lines starting with # are skipped. now stamps the readings (receive and
// decode time are unknown for payloads from a log). Only failing to read in or
// write out stops it.
func Run(ctx context.Context, in io.Reader, out io.Writer, d *pipeline.Decoder, now func() time.Time) (Stats, error) {
	var st Stats
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	w := bufio.NewWriter(out)
	var compact bytes.Buffer
	for sc.Scan() {
		st.Lines++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		js, err := decodeLine(ctx, string(text), d, now)
		if err != nil {
			st.Errors++
			js, _ = json.Marshal(errorLine{Line: st.Lines, Error: err.Error()})
		} else {
			st.Readings++
			// protojson varies its whitespace from build to build on purpose;
			// compacting makes the output comparable with other decoders' by diff.
			compact.Reset()
			if err := json.Compact(&compact, js); err != nil {
				return st, fmt.Errorf("compacting line %d: %w", st.Lines, err)
			}
			js = compact.Bytes()
		}
		if _, err := w.Write(append(js, '\n')); err != nil {
			return st, fmt.Errorf("writing line %d: %w", st.Lines, err)
		}
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("reading line %d: %w", st.Lines+1, err)
	}
	if err := w.Flush(); err != nil {
		return st, fmt.Errorf("writing: %w", err)
	}
	return st, nil
}

func decodeLine(ctx context.Context, text string, d *pipeline.Decoder, now func() time.Time) ([]byte, error) {
	l, err := parseLine(text)
	if err != nil {
		return nil, err
	}
	at := timestamppb.New(now())
	adv := &blev1.AdvertisementReceived{
		GatewayId:  "cli",
		ReceivedAt: at,
		Source:     blev1.SourceKind_SOURCE_KIND_REPLAY,
		Advertisement: &blev1.ScannedAdvertisement{
			ScannedAt: at,
			Address:   l.addr,
			Rssi:      l.rssi,
			Payload:   l.payload,
		},
	}
	if len(l.payload) > legacyMax {
		adv.Advertisement.EventType = blev1.AdvertisingEventType_ADVERTISING_EVENT_TYPE_EXTENDED
	}
	reading, err := d.Reading(ctx, adv)
	if err != nil {
		return nil, err
	}
	return protojson.Marshal(reading)
}
