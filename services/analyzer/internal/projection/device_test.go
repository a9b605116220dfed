package projection

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

func TestDevice_keeps_latest_values_and_statistics(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	for i, temp := range []float64{20, 22, 24} {
		r := reading("s1", time.Duration(i)*time.Minute, zoneA)
		r.Measurements = []enriched.Measurement{
			{Quantity: "temperature", Value: temp, Unit: "Cel"},
			{Quantity: "humidity", Value: 40 + float64(i), Unit: "%"},
		}
		r.Battery = enriched.Battery{Known: true, Percent: 90 - float64(i)}
		r.Position = enriched.Position{Known: true, X: float64(i), Y: 2, ErrorM: 1.5}
		p.Apply(r)
	}
	v, ok := p.Device("s1")
	if !ok {
		t.Fatal("device s1 not found")
	}
	if v.Battery.Percent != 88 || v.Position.X != 2 || !v.LastSeen.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("latest battery %v, x %v, last seen %v; want 88, 2, +2m", v.Battery.Percent, v.Position.X, v.LastSeen)
	}
	if len(v.Measurements) != 2 || v.Measurements[0].Quantity != "humidity" {
		t.Fatalf("measurements = %+v, want humidity then temperature", v.Measurements)
	}
	temp := v.Measurements[1]
	if temp.Value != 24 || temp.Count != 3 || temp.Min != 20 || temp.Max != 24 || temp.Mean != 22 || temp.Unit != "Cel" {
		t.Errorf("temperature = %+v, want latest 24, count 3, min 20, max 24, mean 22", temp)
	}
}

func TestDevices_filters_and_pages(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	for i := range 7 {
		z := zoneA
		if i%2 == 1 {
			z = zoneB
		}
		r := reading(fmt.Sprintf("d%d", i), time.Duration(i)*time.Second, z)
		if i == 6 {
			r.Category = enriched.CategoryAsset
		}
		p.Apply(r)
	}
	var got []string
	f := DeviceFilter{Zone: zoneA.Key(), Limit: 2}
	for pages := 0; ; pages++ {
		page, next := p.Devices(f)
		for _, v := range page {
			got = append(got, v.ID)
		}
		if next == "" || pages > 5 {
			break
		}
		f.After = next
	}
	if want := []string{"d0", "d2", "d4", "d6"}; !slices.Equal(got, want) {
		t.Errorf("zone lab pages = %v, want %v", got, want)
	}
	p.Erase("d2") // a cursor naming a device erased between pages still works
	if page, _ := p.Devices(DeviceFilter{Zone: zoneA.Key(), After: "d2", Limit: 1}); len(page) != 1 || page[0].ID != "d4" {
		t.Errorf("page after erased cursor d2 = %v, want [d4]", page)
	}
	page, _ := p.Devices(DeviceFilter{Categories: []enriched.Category{enriched.CategoryAsset}})
	if len(page) != 1 || page[0].ID != "d6" {
		t.Errorf("asset filter = %d devices, want d6 only", len(page))
	}
	page, _ = p.Devices(DeviceFilter{SeenSince: t0.Add(5 * time.Second)})
	if len(page) != 2 {
		t.Errorf("seen-since +5s = %d devices, want 2 (d5, d6)", len(page))
	}
}
