package geo

import (
	"errors"
	"math"
	"testing"
)

// rotatedPlan is a floor plan turned 30° against north near Frankfurt, with metres
// converted to degrees by the local lengths of a degree (111.2 km of latitude,
// 111.2·cos(50.11°) km of longitude).
func rotatedPlan(p Point) LatLon {
	const theta = 30 * math.Pi / 180
	east := p.X*math.Cos(theta) - p.Y*math.Sin(theta)
	north := p.X*math.Sin(theta) + p.Y*math.Cos(theta)
	const lat0, lon0 = 50.1109, 8.6821
	return LatLon{
		Lat: lat0 + north/111_195,
		Lon: lon0 + east/(111_195*math.Cos(lat0*math.Pi/180)),
	}
}

func TestFitPlanMapRecoversRotatedPlan(t *testing.T) {
	t.Parallel()
	var fixes []PlanFix
	for _, p := range room {
		fixes = append(fixes, PlanFix{Plan: p, Position: rotatedPlan(p)})
	}
	m, err := FitPlanMap(fixes)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Point{{7, 3}, {-5, 30}, {19.5, 11.5}} {
		got, want := m.Position(p), rotatedPlan(p)
		if math.Abs(got.Lat-want.Lat) > 1e-9 || math.Abs(got.Lon-want.Lon) > 1e-9 {
			t.Fatalf("Position(%v) = %v, want %v", p, got, want)
		}
	}
}

func TestFitPlanMapRejectsCollinearFixes(t *testing.T) {
	t.Parallel()
	line := []PlanFix{
		{Plan: Point{0, 0}, Position: rotatedPlan(Point{0, 0})},
		{Plan: Point{5, 0}, Position: rotatedPlan(Point{5, 0})},
		{Plan: Point{10, 0}, Position: rotatedPlan(Point{10, 0})},
	}
	if _, err := FitPlanMap(line); !errors.Is(err, ErrCollinearFixes) {
		t.Fatalf("collinear fixes: %v", err)
	}
	if _, err := FitPlanMap(line[:2]); !errors.Is(err, ErrCollinearFixes) {
		t.Fatalf("two fixes: %v", err)
	}
}
