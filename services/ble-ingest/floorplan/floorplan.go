// Package floorplan is the simulated office: its zones and where its gateways
// stand. It is public so that the simulator, which places devices on it, and
// the stack, which registers the same gateways with the enricher, cannot
// disagree: a reading from a gateway the registry does not know goes to the DLQ.
package floorplan

import "math"

// Point is a position on the floor plan in metres.
type Point struct{ X, Y float64 }

// Distance is the straight-line distance between p and q in metres.
func (p Point) Distance(q Point) float64 { return math.Hypot(p.X-q.X, p.Y-q.Y) }

// Rect is an axis-aligned rectangle; Min is the lower-left corner.
type Rect struct{ Min, Max Point }

// Valid reports whether r has an area.
func (r Rect) Valid() bool { return r.Max.X > r.Min.X && r.Max.Y > r.Min.Y }

// Contains reports whether p lies in r, its lower and left edges included, so
// that zones sharing an edge do not both claim a point on it.
func (r Rect) Contains(p Point) bool {
	return p.X >= r.Min.X && p.X < r.Max.X && p.Y >= r.Min.Y && p.Y < r.Max.Y
}

// Zone is a named area of the floor plan.
type Zone struct {
	ID   string
	Area Rect
}

// Gateway is a receiver at a fixed position.
type Gateway struct {
	ID  string
	Pos Point
	// RSSIAt1m is what the gateway measures from a 0 dBm device 1 m away.
	RSSIAt1m float64
}

// Plan is one floor: its zones and its gateways.
type Plan struct {
	Zones    []Zone
	Gateways []Gateway
}

// ZoneOf returns the zone holding p.
func (p Plan) ZoneOf(pt Point) (Zone, bool) {
	for _, z := range p.Zones {
		if z.Area.Contains(pt) {
			return z, true
		}
	}
	return Zone{}, false
}

// Office is a small office: four zones of a 30 × 20 m floor, a gateway in each.
// Each call returns a plan of its own, free to change.
func Office() Plan {
	return Plan{
		Zones: []Zone{
			{ID: "lobby", Area: Rect{Point{0, 0}, Point{10, 10}}},
			{ID: "open-space", Area: Rect{Point{10, 0}, Point{30, 10}}},
			{ID: "lab", Area: Rect{Point{0, 10}, Point{15, 20}}},
			{ID: "warehouse", Area: Rect{Point{15, 10}, Point{30, 20}}},
		},
		Gateways: []Gateway{
			{ID: "gw-lobby", Pos: Point{5, 5}, RSSIAt1m: -45},
			{ID: "gw-open-space", Pos: Point{20, 5}, RSSIAt1m: -45},
			{ID: "gw-lab", Pos: Point{7, 15}, RSSIAt1m: -45},
			{ID: "gw-warehouse", Pos: Point{22, 15}, RSSIAt1m: -45},
		},
	}
}
