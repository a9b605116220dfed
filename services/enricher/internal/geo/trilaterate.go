package geo

import (
	"errors"
	"fmt"
	"math"
)

// Point is a position on a floor plan, in metres.
type Point struct {
	X, Y float64
}

func (p Point) sub(q Point) Point { return Point{p.X - q.X, p.Y - q.Y} }
func (p Point) norm() float64     { return math.Hypot(p.X, p.Y) }

// Range is one gateway's distance estimate to the device.
type Range struct {
	Anchor   Point
	Distance float64 // metres
	// Weight is the inverse variance of Distance; zero means 1/Distance², which suits
	// RSSI ranging, whose error grows in proportion to the distance.
	Weight float64
}

// Estimate is a trilaterated position with its uncertainty.
type Estimate struct {
	Position Point
	// ErrorMetres is the distance root-mean-square (DRMS) of the position: the square
	// root of the trace of the estimated covariance s²·(JᵀWJ)⁻¹, with s² the weighted
	// residual variance, floored as varianceFactor explains.
	ErrorMetres float64
	// ResidualRMS is the root mean square of the range residuals, in metres.
	ResidualRMS float64
	Ranges      int
	Iterations  int
}

// ErrDegenerateGeometry reports anchors that cannot fix a position, such as fewer than
// three distinct gateways or gateways on one line.
var ErrDegenerateGeometry = errors.New("degenerate gateway geometry")

// Trilateration settings; they are fixed because the problem is tiny and well scaled.
const (
	maxIterations = 50
	stepTolerance = 1e-6 // metres
	minSeparation = 0.01 // metres between anchor and estimate before the Jacobian breaks down
)

// Trilaterate finds the position that best fits the ranges in the weighted least
// squares sense, by Gauss-Newton iteration from the weighted centroid of the anchors.
func Trilaterate(ranges []Range) (Estimate, error) {
	if err := validateRanges(ranges); err != nil {
		return Estimate{}, fmt.Errorf("trilaterating: %w", err)
	}
	weights := rangeWeights(ranges)
	if collinear(ranges, weights) {
		return Estimate{}, fmt.Errorf("trilaterating: %w: the %d gateways lie on one line", ErrDegenerateGeometry, len(ranges))
	}
	p := weightedCentroid(ranges)
	est := Estimate{Ranges: len(ranges)}
	for est.Iterations = 1; est.Iterations <= maxIterations; est.Iterations++ {
		n, _, ok := normalEquations(ranges, weights, p)
		if !ok {
			return Estimate{}, fmt.Errorf("trilaterating: %w: normal equations are singular", ErrDegenerateGeometry)
		}
		step := n.solve()
		p = Point{p.X + step.X, p.Y + step.Y}
		if step.norm() < stepTolerance {
			break
		}
	}
	est.Iterations = min(est.Iterations, maxIterations)
	n, sumWR2, ok := normalEquations(ranges, weights, p)
	if !ok {
		return Estimate{}, fmt.Errorf("trilaterating: %w: normal equations are singular at the solution", ErrDegenerateGeometry)
	}
	est.Position = p
	est.ResidualRMS = residualRMS(ranges, p)
	est.ErrorMetres = math.Sqrt(n.inverseTrace() * varianceFactor(sumWR2, ranges))
	return est, nil
}

func validateRanges(ranges []Range) error {
	if len(ranges) < 3 {
		return fmt.Errorf("%w: %d ranges, need at least 3", ErrDegenerateGeometry, len(ranges))
	}
	for i, r := range ranges {
		if !(r.Distance > 0) || math.IsInf(r.Distance, 0) {
			return fmt.Errorf("range %d: distance %v: want a positive finite number", i, r.Distance)
		}
		if r.Weight < 0 || math.IsNaN(r.Weight) || math.IsInf(r.Weight, 0) {
			return fmt.Errorf("range %d: weight %v: want zero (automatic) or a positive finite number", i, r.Weight)
		}
		if math.IsNaN(r.Anchor.X) || math.IsNaN(r.Anchor.Y) || math.IsInf(r.Anchor.X, 0) || math.IsInf(r.Anchor.Y, 0) {
			return fmt.Errorf("range %d: anchor %v: want finite coordinates", i, r.Anchor)
		}
	}
	return nil
}

func rangeWeights(ranges []Range) []float64 {
	w := make([]float64, len(ranges))
	for i, r := range ranges {
		w[i] = r.Weight
		if w[i] == 0 {
			w[i] = 1 / (r.Distance * r.Distance)
		}
	}
	return w
}

// weightedCentroid starts the iteration near the closest gateways, which keeps
// Gauss-Newton away from the mirror solution outside the anchor hull.
func weightedCentroid(ranges []Range) Point {
	var sx, sy, sw float64
	for _, r := range ranges {
		w := 1 / r.Distance
		sx += w * r.Anchor.X
		sy += w * r.Anchor.Y
		sw += w
	}
	return Point{sx / sw, sy / sw}
}

// collinear reports whether the anchors' weighted scatter matrix is (nearly) rank one:
// its smaller eigenvalue is tiny compared with the larger one.
func collinear(ranges []Range, weights []float64) bool {
	var c Point
	var sw float64
	for i, r := range ranges {
		c.X += weights[i] * r.Anchor.X
		c.Y += weights[i] * r.Anchor.Y
		sw += weights[i]
	}
	c = Point{c.X / sw, c.Y / sw}
	var s sym2
	for i, r := range ranges {
		d := r.Anchor.sub(c)
		s.add(weights[i], d.X, d.Y)
	}
	tr, det := s.xx+s.yy, s.xx*s.yy-s.xy*s.xy
	disc := math.Sqrt(math.Max(tr*tr/4-det, 0))
	large, small := tr/2+disc, tr/2-disc
	return large == 0 || small/large < 1e-9
}

// normalEquations builds JᵀWJ and JᵀW·(−r) at p, and returns Σ w·r².
func normalEquations(ranges []Range, weights []float64, p Point) (normalSystem, float64, bool) {
	var n normalSystem
	var sumWR2 float64
	for i, r := range ranges {
		d := p.sub(r.Anchor)
		dist := d.norm()
		if dist < minSeparation {
			// On top of an anchor the gradient direction is undefined; nudge it.
			d, dist = Point{minSeparation, 0}, minSeparation
		}
		jx, jy := d.X/dist, d.Y/dist
		res := dist - r.Distance
		w := weights[i]
		n.a.add(w, jx, jy)
		n.bx -= w * jx * res
		n.by -= w * jy * res
		sumWR2 += w * res * res
	}
	return n, sumWR2, n.a.det() > 1e-12*(n.a.xx+n.a.yy)*(n.a.xx+n.a.yy)
}

func residualRMS(ranges []Range, p Point) float64 {
	var s float64
	for _, r := range ranges {
		res := p.sub(r.Anchor).norm() - r.Distance
		s += res * res
	}
	return math.Sqrt(s / float64(len(ranges)))
}

// minRelativeRangeError floors the error estimate for automatic weights (1/d²): a
// perfect fit of three or four ranges is luck, not proof of 10 % ranging. Real RSSI
// ranging is worse (about 35 % for 3 dB shadowing at n = 2), which the residuals show.
const minRelativeRangeError = 0.1

// varianceFactor estimates s², the variance of a unit-weight observation, from the
// residuals with n−2 degrees of freedom, never below the a-priori value: 1 when every
// weight was given (weights are inverse variances), minRelativeRangeError² otherwise.
func varianceFactor(sumWR2 float64, ranges []Range) float64 {
	prior := 1.0
	for _, r := range ranges {
		if r.Weight == 0 {
			prior = minRelativeRangeError * minRelativeRangeError
			break
		}
	}
	return math.Max(sumWR2/float64(len(ranges)-2), prior)
}

// sym2 is a symmetric 2×2 matrix.
type sym2 struct{ xx, xy, yy float64 }

func (s *sym2) add(w, x, y float64) {
	s.xx += w * x * x
	s.xy += w * x * y
	s.yy += w * y * y
}

func (s sym2) det() float64 { return s.xx*s.yy - s.xy*s.xy }

type normalSystem struct {
	a      sym2
	bx, by float64
}

// solve returns A⁻¹b by Cramer's rule, exact enough for a well-conditioned 2×2 system.
func (n normalSystem) solve() Point {
	det := n.a.det()
	return Point{
		X: (n.a.yy*n.bx - n.a.xy*n.by) / det,
		Y: (n.a.xx*n.by - n.a.xy*n.bx) / det,
	}
}

// inverseTrace is trace(A⁻¹) = (xx + yy) / det for a 2×2 matrix.
func (n normalSystem) inverseTrace() float64 { return (n.a.xx + n.a.yy) / n.a.det() }
