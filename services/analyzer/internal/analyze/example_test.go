package analyze_test

import (
	"context"
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/analyze"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
)

// An adapter's loop in miniature: apply records with their offsets,
// publish the alerts, commit.
func ExampleEngine() {
	ctx := context.Background()
	e, err := analyze.Open(ctx, memstore.New(), analyze.Config{})
	if err != nil {
		panic(err)
	}
	p := store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, pct := range []float64{30, 12, 11, 25} {
		r := enriched.Reading{
			DeviceID: "pseudo-7f3a", GatewayID: "gw-1", EventTime: start.Add(time.Duration(i) * time.Minute),
			Category: enriched.CategoryAsset,
			Zone:     enriched.Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "lab"},
			Battery:  enriched.Battery{Known: true, Percent: pct},
		}
		out, err := e.ApplyReading(analyze.Offset{Partition: p, Offset: int64(i)}, r)
		if err != nil {
			panic(err)
		}
		for _, ev := range out.Alerts {
			fmt.Println(ev.Type, ev.Alert.Rule, ev.Alert.DeviceID, ev.At.Format(time.TimeOnly))
		}
	}
	if err := e.Commit(ctx); err != nil {
		panic(err)
	}
	occ, _ := e.Occupancy("ber/b1/2/lab", 5*time.Minute)
	fmt.Println("lab occupancy:", occ.Current, "next offset:", e.Offsets()[p])
	// Output:
	// raised battery_low pseudo-7f3a 09:01:00
	// resolved battery_low pseudo-7f3a 09:03:00
	// lab occupancy: 1 next offset: 4
}
