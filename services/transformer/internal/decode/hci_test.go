package decode

import (
	"errors"

	"github.com/bluestream/bluestream/services/transformer/internal/adstruct"
)

// hciReport is the part of an HCI LE Advertising Report the tests need.
type hciReport struct {
	addr adstruct.Address
	rssi int8
	data []byte
}

// parseHCIReport reads the first report of an HCI event packet "04 3E ..." with
// subevent LE Advertising Report (0x02) or LE Extended Advertising Report (0x0D)
// (Core Specification v5.4, Vol 4, Part E, 7.7.65.2 and 7.7.65.13).
func parseHCIReport(b []byte) (hciReport, error) {
	if len(b) < 5 || b[0] != 0x04 || b[1] != 0x3E {
		return hciReport{}, errors.New("not an HCI LE meta event")
	}
	sub, body := b[3], b[5:] // skip parameter length and number of reports
	var addrAt, lenAt int
	switch sub {
	case 0x02:
		addrAt, lenAt = 2, 8
	case 0x0D:
		addrAt, lenAt = 3, 23
	default:
		return hciReport{}, errors.New("subevent is not an advertising report")
	}
	if len(body) < lenAt+1 || len(body) < lenAt+1+int(body[lenAt]) {
		return hciReport{}, errors.New("advertising report cut short")
	}
	var r hciReport
	for i := range 6 {
		r.addr[i] = body[addrAt+5-i]
	}
	n := int(body[lenAt])
	r.data = body[lenAt+1 : lenAt+1+n]
	if sub == 0x02 {
		if len(body) > lenAt+1+n {
			r.rssi = int8(body[lenAt+1+n])
		}
	} else {
		r.rssi = int8(body[13])
	}
	return r, nil
}
