package consumer

import (
	"fmt"
	"math"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched/enrichedtest"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// site produces a reproducible stretch of a site's day, steps of 30 s from
// t0: sensors with a temperature wave, one with a draining battery, visitors
// walking between two zones, an employee badge without an agreement, an
// erasure and two records no analyzer could use.
func (e *env) site(fromStep, toStep int) (last time.Time) {
	var recs []*kgo.Record
	zones := []string{"lobby", "lab"}
	for step := fromStep; step < toStep; step++ {
		at := t0.Add(time.Duration(step) * 30 * time.Second)
		last = at
		for s := range 4 {
			id := fmt.Sprintf("sensor-%d", s)
			temp := 21 + 2*math.Sin(float64(step+s)/7)
			battery := 90.0
			if s == 0 {
				battery = max(90-float64(step), 3) // crosses 15 % at step 76
			}
			recs = append(recs, e.event(id, enrichedtest.Reading(id, zones[s%2], blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, at,
				enrichedtest.Measure("temperature", temp, "Cel"), enrichedtest.Measure("battery", battery, "%")), at))
		}
		for v := range 3 {
			id := fmt.Sprintf("visitor-%d", v)
			recs = append(recs, e.event(id, enrichedtest.Reading(id, zones[(step/10+v)%2], blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR, at), at))
		}
		recs = append(recs, e.event("badge-1", enrichedtest.Reading("badge-1", "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE, at), at))
		if step == 50 {
			erase := &blev1.SubjectErased{DevicePseudonyms: []string{"visitor-2"}, ErasedAt: timestamppb.New(at), RequestId: "req-1"}
			recs = append(recs, e.event("visitor-2", erase, at))
		}
		if step == 20 {
			bad := e.event("sensor-1", enrichedtest.Reading("sensor-1", "lab", blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR, at), at)
			bad.Value = []byte{0xff, 0xff, 0xff} // not Protobuf
			recs = append(recs, bad)
			alien := e.event("sensor-2", &blev1.Place{Site: "x"}, at) // a type the topic does not carry
			recs = append(recs, alien)
		}
	}
	e.produce(recs...)
	return last
}
