package enrich

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/privacy"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// Directory is the part of the registry projection enrichment reads;
// *registry.Registry implements it.
type Directory interface {
	Gateway(id string) (registry.Gateway, error)
	DeviceByAddress(tenant string, addr identity.Address, typ identity.AddressType) (registry.Device, error)
	DeviceByIBeacon(tenant string, id identity.IBeaconID) (registry.Device, error)
	DeviceByEddystone(tenant string, id identity.EddystoneUID) (registry.Device, error)
	AgreementsInForce(tenant, site string, t time.Time) []registry.Agreement
}

var _ Directory = (*registry.Registry)(nil)

// Config tunes enrichment; zero fields take the defaults named on each.
type Config struct {
	// MergeWindow is how long after the first copy other gateways' copies of the same
	// advertisement are merged in. Default 300 ms: gateways forward within tens of ms.
	MergeWindow time.Duration
	// PositionWindow is how old a gateway's last range to a device may be and still
	// count for trilateration. Default 5 s: people walk about 7 m in that time.
	PositionWindow time.Duration
	// PathLoss converts RSSI to distance. Default exponent geo.DefaultPathLossExponent.
	PathLoss geo.PathLoss
	// GeohashPrecision is the length of the gateway geohash. Default 9 (about 5 m).
	GeohashPrecision int
	// Policy gives retention per subject category. Default privacy.DefaultPolicy().
	Policy *privacy.Policy
}

func (c Config) withDefaults() (Config, error) {
	if c.MergeWindow == 0 {
		c.MergeWindow = 300 * time.Millisecond
	}
	if c.PositionWindow == 0 {
		c.PositionWindow = 5 * time.Second
	}
	if c.GeohashPrecision == 0 {
		c.GeohashPrecision = 9
	}
	if c.Policy == nil {
		p := privacy.DefaultPolicy()
		c.Policy = &p
	}
	switch {
	case c.MergeWindow < 0:
		return c, fmt.Errorf("merge_window %v: want a positive duration", c.MergeWindow)
	case c.PositionWindow < 0:
		return c, fmt.Errorf("position_window %v: want a positive duration", c.PositionWindow)
	case c.GeohashPrecision < 1 || c.GeohashPrecision > geo.MaxGeohashPrecision:
		return c, fmt.Errorf("geohash_precision %d: want 1 to %d", c.GeohashPrecision, geo.MaxGeohashPrecision)
	case c.PathLoss.Exponent < 0:
		return c, fmt.Errorf("path_loss.exponent %v: want a positive number", c.PathLoss.Exponent)
	}
	if err := c.Policy.Validate(); err != nil {
		return c, fmt.Errorf("policy: %w", err)
	}
	return c, nil
}

// Enricher turns readings into enriched readings. It keeps window state (open merge
// groups, recent ranges per device) and is not safe for concurrent use: run one per
// input partition, with ble.readings.v1 keyed by device address so that all copies
// of an advertisement and all of a device's readings meet in one Enricher.
type Enricher struct {
	cfg       Config
	dir       Directory
	pseudo    *privacy.Pseudonymizer
	merger    *identity.Merger[Reading]
	positions *positionWindows
}

// New returns an Enricher reading the registry through dir and pseudonymising with pseudo.
func New(cfg Config, dir Directory, pseudo *privacy.Pseudonymizer) (*Enricher, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("configuring enricher: %w", err)
	}
	if dir == nil || pseudo == nil {
		return nil, errors.New("configuring enricher: directory and pseudonymizer are required")
	}
	return &Enricher{
		cfg:       cfg,
		dir:       dir,
		pseudo:    pseudo,
		merger:    identity.NewMerger[Reading](cfg.MergeWindow),
		positions: newPositionWindows(cfg.PositionWindow, cfg.GeohashPrecision),
	}, nil
}

// Add takes one gateway's reading and returns the enriched readings whose merge
// windows its receive time closed (event time: a replay gives the same output). An
// invalid reading or one from an unknown gateway is rejected before it joins a group.
// If enriching a closed group fails, the others are still returned alongside a
// *GroupError for each failed group (joined): r itself was accepted then.
func (e *Enricher) Add(ctx context.Context, r Reading) ([]Enriched, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	gw, err := e.dir.Gateway(r.GatewayID)
	if err != nil {
		return nil, fmt.Errorf("%w: gateway %q: %w", ErrInvalidReading, r.GatewayID, err)
	}
	return e.enrichAll(ctx, e.merger.Add(r.mergeKey(gw.Tenant), r.reception(), r))
}

// Advance moves event time to t, e.g. from a partition's idle timer or a watermark
// the adapter tracks, and returns the readings whose merge windows closed.
func (e *Enricher) Advance(ctx context.Context, t time.Time) ([]Enriched, error) {
	return e.enrichAll(ctx, e.merger.Advance(t))
}

// Flush enriches every open group, at shutdown or at the end of a replay.
func (e *Enricher) Flush(ctx context.Context) ([]Enriched, error) {
	return e.enrichAll(ctx, e.merger.Flush())
}

// Pending reports how many advertisements wait for their merge window to close.
func (e *Enricher) Pending() int { return e.merger.Pending() }

func (e *Enricher) enrichAll(ctx context.Context, closed []identity.Observation[Reading]) ([]Enriched, error) {
	out := make([]Enriched, 0, len(closed))
	var errs []error
	for _, obs := range closed {
		en, err := e.Enrich(ctx, obs)
		if err != nil {
			errs = append(errs, &GroupError{Observation: obs, Err: err})
			continue
		}
		out = append(out, en)
	}
	return out, errors.Join(errs...)
}
