package plugin

import (
	"context"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
)

// Input kinds, the first byte of a plugin's input.
const (
	kindManufacturer = 0
	kindServiceData  = 1
)

// Extend runs the plugins selected by the structures in ad and appends what
// they decoded to out; offset is where ad's payload starts in the whole
// advertisement. A failing plugin returns an *Error and nothing is appended
// for it, so the caller can dead-letter the record with the reason.
func (r *Registry) Extend(ctx context.Context, ad *adstruct.Summary, offset int, out *blev1.DecodedPayload) error {
	s := r.acquire()
	defer s.inflight.Done()
	if s.closed {
		return ErrClosed
	}
	if len(s.modules) == 0 {
		return nil
	}
	for _, md := range ad.Manufacturer {
		if m := s.byCompany[md.CompanyID]; m != nil {
			if err := run(ctx, m, kindManufacturer, md.CompanyID, md.Data, offset+md.Offset, adstruct.TypeManufacturerData, out); err != nil {
				return err
			}
		}
	}
	for _, sd := range ad.ServiceData {
		u, ok := sd.UUID.Short16()
		if m := s.byUUID[u]; ok && m != nil {
			if err := run(ctx, m, kindServiceData, u, sd.Data, offset+sd.Offset, sd.Type, out); err != nil {
				return err
			}
		}
	}
	return nil
}

func run(ctx context.Context, m *module, kind byte, id uint16, data []byte, at int, typ adstruct.Type, out *blev1.DecodedPayload) error {
	input := make([]byte, 0, 3+len(data))
	input = append(input, kind, byte(id), byte(id>>8))
	input = append(input, data...)
	raw, err := m.call(ctx, input)
	if err != nil {
		return err
	}
	o, err := parseOutput(raw)
	if err != nil {
		return &Error{Plugin: m.manifest.Name, Reason: ReasonOutput, Err: err}
	}
	name := m.manifest.Name
	if len(o.Measurements) > 0 {
		found := false
		for _, f := range out.Formats {
			found = found || f == name
		}
		if !found {
			out.Formats = append(out.Formats, name)
		}
	}
	for _, ms := range o.Measurements {
		out.Measurements = append(out.Measurements, &blev1.Measurement{Quantity: ms.Quantity, Value: ms.Value, Unit: ms.Unit, Format: name})
	}
	for _, p := range o.Problems {
		out.Problems = append(out.Problems, &blev1.DecodeProblem{Offset: uint32(at), AdType: uint32(typ), Message: name + ": " + p})
	}
	return nil
}
