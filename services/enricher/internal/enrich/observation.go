package enrich

import (
	"context"
	"fmt"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// Enrich turns one merged observation into an enriched reading. Add and Flush call it
// for closed merge groups; callers without merging can wrap a single reading with
// Single.
func (e *Enricher) Enrich(ctx context.Context, obs identity.Observation[Reading]) (Enriched, error) {
	first := obs.First
	strongest, err := e.strongestActive(obs)
	if err != nil {
		return Enriched{}, err
	}
	geohash, err := geo.Geohash(strongest.Placement.Position, e.cfg.GeohashPrecision)
	if err != nil {
		return Enriched{}, fmt.Errorf("%w: gateway %q: %w", ErrUnenrichable, strongest.ID, err)
	}
	receivers, ranges := e.receivers(obs)
	subj, err := e.identify(ctx, strongest, first, obs.FirstSeen)
	if err != nil {
		return Enriched{}, fmt.Errorf("enriching: %w", err)
	}
	out := Enriched{
		Tenant:          strongest.Tenant,
		ObservedAt:      obs.FirstSeen,
		DevicePseudonym: subj.device.Value,
		OwnerPseudonym:  subj.owner,
		KeyPeriod:       subj.device.Period,
		Registered:      subj.registered,
		Geo: Geo{
			Site:     strongest.Placement.Site,
			Building: strongest.Placement.Building,
			Floor:    strongest.Placement.Floor,
			Zone:     strongest.Placement.Zone,
			Geohash:  geohash,
		},
		Receivers:    receivers,
		Measurements: append([]Measurement(nil), first.Measurements...),
		Privacy:      subj.tags,
	}
	if len(receivers) > 0 && receivers[0].GatewayID == strongest.ID {
		out.Geo.DistanceMetres = receivers[0].DistanceMetres
	}
	// Ranges of devices that may not be located are not even kept.
	if subj.mayLocate {
		out.Geo.Position = e.positions.update(subj.windowKey, strongest.Placement, ranges, obs.FirstSeen)
	}
	return out, nil
}

// strongestActive returns the strongest receiver's gateway, skipping gateways retired
// while the merge window was open: the zone then comes from the next strongest.
func (e *Enricher) strongestActive(obs identity.Observation[Reading]) (registry.Gateway, error) {
	for _, rx := range obs.Receivers {
		if gw, err := e.dir.Gateway(rx.GatewayID); err == nil {
			return gw, nil
		}
	}
	return registry.Gateway{}, fmt.Errorf("%w: none of the %d receiving gateways is registered any more: %w", ErrUnenrichable, len(obs.Receivers), registry.ErrNotFound)
}

// Single wraps one reading as an observation of its own, for enriching without
// merging (a unary RPC, a test).
func Single(r Reading) identity.Observation[Reading] {
	return identity.Observation[Reading]{
		FirstSeen: r.ReceivedAt,
		First:     r,
		Receivers: []identity.Receiver{r.reception()},
	}
}

// receivers lists the receptions with their distance estimates, strongest first, and
// the ranges for trilateration. Gateways retired since the copy arrived are left out.
func (e *Enricher) receivers(obs identity.Observation[Reading]) ([]Receiver, []placedRange) {
	out := make([]Receiver, 0, len(obs.Receivers))
	ranges := make([]placedRange, 0, len(obs.Receivers))
	for _, rx := range obs.Receivers {
		gw, err := e.dir.Gateway(rx.GatewayID)
		if err != nil {
			continue
		}
		if rx.RSSI == identity.NoRSSI {
			out = append(out, Receiver{GatewayID: rx.GatewayID, RSSIUnavailable: true, ReceivedAt: rx.At})
			continue
		}
		d, err := e.cfg.PathLoss.Distance(float64(rx.RSSI), referenceRSSI(gw, obs.First))
		if err != nil {
			// The reading was validated and the gateway's calibration was validated by
			// the registry, so this is an exotic combination; report the reception
			// without a distance rather than drop it.
			d = 0
		}
		out = append(out, Receiver{GatewayID: rx.GatewayID, RSSI: int32(rx.RSSI), DistanceMetres: d, ReceivedAt: rx.At})
		if d > 0 {
			ranges = append(ranges, placedRange{gateway: gw.ID, placement: gw.Placement, distance: d, at: rx.At})
		}
	}
	return out, ranges
}

// referenceRSSI is the expected RSSI at 1 m for this device at this gateway: the
// device's own measured power if it announces one; otherwise the gateway's
// calibration (taken with a 0 dBm transmitter) shifted by the advertised TX power,
// assuming 0 dBm when the device does not say.
func referenceRSSI(gw registry.Gateway, r Reading) float64 {
	if r.MeasuredPower != nil {
		return float64(*r.MeasuredPower)
	}
	ref := gw.RSSIAt1m
	if r.TxPower != nil {
		ref += float64(*r.TxPower)
	}
	return ref
}
