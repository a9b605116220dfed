package mapper

import (
	"errors"
	"fmt"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/enrich"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// Reading maps a decoded reading from ble.readings.v1 to the enricher's input.
// Anonymous advertisements carry no address; they are readings only when a beacon
// identity names the device, which enrich checks.
func Reading(in *blev1.ReadingDecoded) (enrich.Reading, error) {
	rx := in.GetReceived()
	adv := rx.GetAdvertisement()
	if adv == nil {
		return enrich.Reading{}, errors.New("received.advertisement: must be set")
	}
	typ, err := addressType("received.advertisement.address_type", adv.GetAddressType())
	if err != nil {
		return enrich.Reading{}, err
	}
	out := enrich.Reading{
		GatewayID:   rx.GetGatewayId(),
		AddressType: typ,
		RSSI:        adv.GetRssi(),
		// The contract says rssi is 0 then; validation holds it to that.
		RSSIUnavailable: adv.GetRssiUnavailable(),
		Payload:         adv.GetPayload(),
	}
	if rx.GetReceivedAt() != nil {
		out.ReceivedAt = rx.GetReceivedAt().AsTime()
	}
	switch n := len(adv.GetAddress()); n {
	case 0:
	case 6:
		out.Address = identity.Address(adv.GetAddress())
	default:
		return enrich.Reading{}, fmt.Errorf("received.advertisement.address: %d bytes, want 6", n)
	}
	dec := in.GetDecoded()
	switch {
	case adv.TxPower != nil:
		tx := adv.GetTxPower()
		out.TxPower = &tx
	case dec.GetAdvertisingData() != nil && dec.GetAdvertisingData().TxPower != nil:
		tx := dec.GetAdvertisingData().GetTxPower()
		out.TxPower = &tx
	}
	for _, m := range dec.GetMeasurements() {
		out.Measurements = append(out.Measurements, enrich.Measurement{Name: m.GetQuantity(), Value: m.GetValue(), Unit: m.GetUnit()})
	}
	for i, id := range dec.GetIdentities() {
		field := fmt.Sprintf("decoded.identities[%d]", i)
		switch k := id.GetKind().(type) {
		case *blev1.Identity_Ibeacon:
			b, err := ibeaconFromProto(field+".ibeacon", k.Ibeacon)
			if err != nil {
				return enrich.Reading{}, err
			}
			out.IBeacon = &b
			// 0 dBm at 1 m is no real beacon's calibration: the field was left unset.
			if mp := k.Ibeacon.GetMeasuredPower(); mp != 0 {
				out.MeasuredPower = &mp
			}
		case *blev1.Identity_EddystoneUid:
			e, err := eddystoneFromProto(field+".eddystone_uid", k.EddystoneUid)
			if err != nil {
				return enrich.Reading{}, err
			}
			out.Eddystone = &e
		}
	}
	return out, nil
}
