package projection

import (
	"slices"
	"strings"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/stats"
)

// ewmaAlpha smooths the rolling mean shown with each measurement; 0.1 gives
// roughly the last twenty readings most of the weight.
const ewmaAlpha = 0.1

// device is the stored state of one device. Field names are short because
// this is the unit persisted per device, and 100,000 of them are normal.
type device struct {
	ID           string            `json:"id"`
	Category     enriched.Category `json:"cat"`
	Restricted   bool              `json:"r,omitempty"`
	FirstSeen    time.Time         `json:"first"`
	LastSeen     time.Time         `json:"last"`
	GatewayID    string            `json:"gw"`
	Zone         string            `json:"zone,omitempty"`
	Position     enriched.Position `json:"pos"`
	RSSI         int32             `json:"rssi"`
	Battery      enriched.Battery  `json:"bat"`
	Measurements []measurement     `json:"ms,omitempty"` // sorted by Quantity
	Interval     interval          `json:"iv"`
	Presence     presence          `json:"pr"`
	Readings     uint64            `json:"n"` // readings applied, late ones included
}

// measurement is the latest value of one quantity with its statistics.
type measurement struct {
	Quantity string        `json:"q"`
	Unit     string        `json:"u,omitempty"`
	Value    float64       `json:"v"`
	At       time.Time     `json:"at"`
	Summary  stats.Summary `json:"s"`
	Rolling  stats.EWMA    `json:"e"`
}

// presence is the device's current session. Zone is where the device is
// counted now; device.Zone keeps the last known zone after it leaves.
type presence struct {
	Present      bool      `json:"p,omitempty"`
	SessionStart time.Time `json:"ss"`
	Zone         string    `json:"z,omitempty"`
	ZoneEntered  time.Time `json:"ze"`
	// Candidate is a zone the device has been reported in since
	// CandidateSince, CandidateSeen times in a row, without moving yet.
	Candidate      string    `json:"c,omitempty"`
	CandidateSince time.Time `json:"cs"`
	CandidateSeen  uint32    `json:"cn,omitempty"`
}

// propose counts a reading from zoneKey, a zone other than the current
// one, and reports whether the move is confirmed and since when.
func (pr *presence) propose(zoneKey string, t time.Time, needed int) (since time.Time, confirmed bool) {
	if pr.Candidate != zoneKey {
		pr.Candidate, pr.CandidateSince, pr.CandidateSeen = zoneKey, t, 0
	}
	pr.CandidateSeen++
	if int(pr.CandidateSeen) < needed {
		return time.Time{}, false
	}
	since = pr.CandidateSince
	pr.clearCandidate()
	return since, true
}

// since is the earliest event time a change of the device's presence may
// still be dated at: a pending move dates from its first reading, a
// disappearance from the last sighting.
func (d *device) since() time.Time {
	if d.Presence.Candidate != "" && d.Presence.CandidateSince.Before(d.LastSeen) {
		return d.Presence.CandidateSince
	}
	return d.LastSeen
}

func (pr *presence) clearCandidate() {
	pr.Candidate, pr.CandidateSince, pr.CandidateSeen = "", time.Time{}, 0
}

// record updates the latest values from r. Late readings (older than what
// is stored) still feed statistics but do not overwrite newer values.
func (d *device) record(r enriched.Reading, t time.Time) {
	d.Readings++
	late := t.Before(d.LastSeen)
	if !late {
		d.LastSeen = t
		d.GatewayID = r.GatewayID
		if !r.NoRSSI {
			d.RSSI = r.RSSI
		}
		if r.Position.Known {
			d.Position = r.Position
		}
		if r.Battery.Known {
			d.Battery = r.Battery
		}
		if r.AdvInterval > 0 {
			d.Interval.Announced = r.AdvInterval
		}
	}
	for _, m := range r.Measurements {
		d.recordMeasurement(m, t)
	}
}

func (d *device) recordMeasurement(in enriched.Measurement, t time.Time) {
	i, found := slices.BinarySearchFunc(d.Measurements, in.Quantity, func(m measurement, q string) int {
		return strings.Compare(m.Quantity, q)
	})
	if !found {
		d.Measurements = slices.Insert(d.Measurements, i, measurement{Quantity: in.Quantity})
	}
	m := &d.Measurements[i]
	m.Summary.Add(in.Value)
	m.Rolling.Update(in.Value, ewmaAlpha)
	if !t.Before(m.At) {
		m.Value, m.Unit, m.At = in.Value, in.Unit, t
	}
}
