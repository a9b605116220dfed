package enrich

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// scenario simulates n advertising rounds of a mixed fleet walking through the office:
// the employee badge (rotating RPA), the visitor phone, the forklift iBeacon and
// unknown phones, each heard by the gateways within range with log-normal shadowing.
func scenario(n int) []Reading {
	rng := rand.New(rand.NewPCG(7, 11))
	model := geo.PathLoss{}
	var out []Reading
	for round := range n {
		at := ms(round * 100)
		for dev := range 4 {
			pos := geo.Point{X: rng.Float64() * 20, Y: rng.Float64() * 12}
			base := Reading{AddressType: identity.AddressRandom, Payload: []byte{byte(round), byte(round >> 8), byte(dev)}}
			switch dev {
			case 0:
				base.Address = badgeRPA(byte(round / 50))
			case 1:
				base.Address = visitorAddr
			case 2:
				base.Address, base.IBeacon = unknownPhone, &assetBeacon
			default:
				base.Address = identity.Address{0x1F, 0x00, 0x00, byte(rng.IntN(3)), byte(round), 0x01}
			}
			for i, g := range gateways[:4] {
				d := math.Max(0.3, math.Hypot(pos.X-g.Placement.Plan.X, pos.Y-g.Placement.Plan.Y))
				rssi := model.RSSI(d, -59) + rng.NormFloat64()*2
				if rssi < -85 {
					continue // out of range
				}
				r := base
				r.GatewayID, r.RSSI = g.GatewayID, int32(math.Round(rssi))
				r.ReceivedAt = at.Add(time.Duration(i*5+dev) * time.Millisecond)
				out = append(out, r)
			}
		}
	}
	return out
}
