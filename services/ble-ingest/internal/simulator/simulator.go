package simulator

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// Simulator is a running simulation. It is not safe for concurrent use.
type Simulator struct {
	cfg       Config
	rng       *rand.Rand
	devices   []*Device
	byID      map[string]*Device
	queue     schedule
	now       time.Time
	incidents []Incident
}

// New builds the fleet: devices are numbered per kind ("ruuvi-3") and placed in
// random zones, all drawn from the seed.
func New(cfg Config) (*Simulator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("simulator config: %w", err)
	}
	cfg = cfg.withDefaults()
	s := &Simulator{
		cfg:  cfg,
		rng:  rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9E3779B97F4A7C15)),
		byID: map[string]*Device{},
		now:  cfg.Start,
	}
	for _, g := range cfg.Fleet {
		for i := range g.Count {
			d := newDevice(fmt.Sprintf("%s-%d", g.Kind, i+1), g.Kind, g.Interval, cfg.Start, s.rng)
			s.place(d, s.rng.IntN(len(cfg.Zones)))
			s.devices = append(s.devices, d)
			s.byID[d.ID] = d
		}
	}
	s.queue = schedule{devices: s.devices}
	for i := range s.devices {
		s.queue.order = append(s.queue.order, i)
	}
	heap.Init(&s.queue)
	return s, nil
}

// Devices returns the fleet in creation order.
func (s *Simulator) Devices() []*Device { return s.devices }

// Now returns the virtual time the simulation has reached.
func (s *Simulator) Now() time.Time { return s.now }

// Inject schedules an incident; it takes effect at the device's first
// advertisement at or after inc.At.
func (s *Simulator) Inject(inc Incident) error {
	if _, ok := s.byID[inc.DeviceID]; !ok {
		return fmt.Errorf("incident: no device %q", inc.DeviceID)
	}
	if err := inc.validate(); err != nil {
		return fmt.Errorf("incident: %w", err)
	}
	s.incidents = append(s.incidents, inc)
	return nil
}

// Step advances the virtual clock to until and returns the advertisements the
// gateways received on the way, in time order (ties in device order). The copies
// of one transmission heard by several gateways share one Payload slice.
func (s *Simulator) Step(until time.Time) ([]advert.Advertisement, error) {
	var out []advert.Advertisement
	for s.queue.Len() > 0 {
		d := s.devices[s.queue.order[0]]
		if d.next.After(until) {
			break
		}
		ads, err := s.emit(d)
		if err != nil {
			return out, err
		}
		out = append(out, ads...)
		// advDelay: the spec adds 0-10 ms of random delay to every interval. Times
		// stay on whole microseconds, the resolution of btsnoop and HCI logs.
		d.next = d.next.Add(d.Interval + time.Duration(s.rng.Int64N(10_000))*time.Microsecond)
		heap.Fix(&s.queue, 0)
	}
	if until.After(s.now) {
		s.now = until
	}
	return out, nil
}

func (s *Simulator) emit(d *Device) ([]advert.Advertisement, error) {
	at := d.next
	s.applyIncidents(d, at)
	if d.silent {
		return nil, nil
	}
	d.evolve(d.Interval, s.rng)
	if s.rng.Float64() < s.cfg.MoveProbability {
		s.place(d, s.rng.IntN(len(s.cfg.Zones)))
	}
	payload, err := d.payload(at)
	if err != nil {
		return nil, fmt.Errorf("device %s: %w", d.ID, err)
	}
	d.sent++
	channel := uint8(37 + d.sent%3)
	var out []advert.Advertisement
	for _, g := range s.cfg.Gateways {
		rssi := pathLossRSSI(g.RSSIAt1m, float64(d.TxPowerDBm), s.cfg.PathLossExponent, g.Pos.Distance(d.pos)) + s.rng.NormFloat64()*s.cfg.NoiseDB
		if rssi < s.cfg.SensitivityDBm {
			continue
		}
		out = append(out, advert.Advertisement{
			GatewayID:    g.ID,
			ReceivedAt:   at,
			Address:      d.Address,
			AddressType:  advert.AddressRandom,
			RSSI:         int8(math.Max(-127, math.Min(20, math.Round(rssi)))),
			PHY:          advert.PHY1M,
			Channel:      channel,
			ChannelKnown: true,
			EventType:    eventType(d.Kind),
			Payload:      payload,
			Source:       advert.SourceSimulator,
		})
	}
	return out, nil
}

func (s *Simulator) applyIncidents(d *Device, at time.Time) {
	kept := s.incidents[:0]
	for _, inc := range s.incidents {
		if inc.DeviceID == d.ID && !inc.At.After(at) {
			inc.apply(d)
			continue
		}
		kept = append(kept, inc)
	}
	s.incidents = kept
}

func (s *Simulator) place(d *Device, zone int) {
	d.zone, d.pos = zone, randomPoint(s.cfg.Zones[zone].Area, s.rng)
}

// eventType is what each kind sends: beacons and sensors are non-connectable,
// plain devices connectable and scannable.
func eventType(k Kind) advert.EventType {
	if k == KindPlain {
		return advert.EventAdvInd
	}
	return advert.EventAdvNonconnInd
}
