package geo

import (
	"errors"
	"fmt"
	"math"
)

// PlanFix ties a floor-plan point to its WGS84 position, e.g. a gateway's two coordinates.
type PlanFix struct {
	Plan     Point
	Position LatLon
}

// PlanMap converts floor-plan metres to WGS84. Over a building an affine map is exact
// to well below BLE accuracy: it absorbs the plan's rotation against north, its
// scale and the shrinking of longitude degrees with latitude.
type PlanMap struct {
	lat, lon [3]float64 // value = c[0]·x + c[1]·y + c[2]
}

// ErrCollinearFixes reports fixes that cannot pin down a plane.
var ErrCollinearFixes = errors.New("plan fixes are collinear")

// FitPlanMap fits the affine map by least squares to at least three fixes that do not
// lie on one line.
func FitPlanMap(fixes []PlanFix) (PlanMap, error) {
	if len(fixes) < 3 {
		return PlanMap{}, fmt.Errorf("fitting plan map: %d fixes, need at least 3: %w", len(fixes), ErrCollinearFixes)
	}
	// Normal equations AᵀA·c = Aᵀb with rows (x, y, 1), centred for conditioning.
	var cx, cy float64
	for _, f := range fixes {
		cx += f.Plan.X
		cy += f.Plan.Y
	}
	cx /= float64(len(fixes))
	cy /= float64(len(fixes))
	var ata [3][3]float64
	var atLat, atLon [3]float64
	for _, f := range fixes {
		row := [3]float64{f.Plan.X - cx, f.Plan.Y - cy, 1}
		for i := range 3 {
			for j := range 3 {
				ata[i][j] += row[i] * row[j]
			}
			atLat[i] += row[i] * f.Position.Lat
			atLon[i] += row[i] * f.Position.Lon
		}
	}
	lat, okLat := solve3(ata, atLat)
	lon, okLon := solve3(ata, atLon)
	if !okLat || !okLon {
		return PlanMap{}, fmt.Errorf("fitting plan map: %w", ErrCollinearFixes)
	}
	// Undo the centring: c0·(x−cx) + c1·(y−cy) + c2 = c0·x + c1·y + (c2 − c0·cx − c1·cy).
	lat[2] -= lat[0]*cx + lat[1]*cy
	lon[2] -= lon[0]*cx + lon[1]*cy
	return PlanMap{lat: lat, lon: lon}, nil
}

// Position maps a floor-plan point to WGS84.
func (m PlanMap) Position(p Point) LatLon {
	return LatLon{
		Lat: m.lat[0]*p.X + m.lat[1]*p.Y + m.lat[2],
		Lon: m.lon[0]*p.X + m.lon[1]*p.Y + m.lon[2],
	}
}

// solve3 solves a 3×3 system by Cramer's rule; ok is false when it is singular.
func solve3(a [3][3]float64, b [3]float64) ([3]float64, bool) {
	det := det3(a)
	scale := 0.0
	for i := range 3 {
		for j := range 3 {
			scale = math.Max(scale, math.Abs(a[i][j]))
		}
	}
	if scale == 0 || math.Abs(det) < 1e-9*scale*scale*scale {
		return [3]float64{}, false
	}
	var x [3]float64
	for col := range 3 {
		m := a
		for row := range 3 {
			m[row][col] = b[row]
		}
		x[col] = det3(m) / det
	}
	return x, true
}

func det3(a [3][3]float64) float64 {
	return a[0][0]*(a[1][1]*a[2][2]-a[1][2]*a[2][1]) -
		a[0][1]*(a[1][0]*a[2][2]-a[1][2]*a[2][0]) +
		a[0][2]*(a[1][0]*a[2][1]-a[1][1]*a[2][0])
}
