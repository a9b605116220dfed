package stats

import "math"

// Summary holds count, extremes and Welford's running mean and variance of
// every value seen.
type Summary struct {
	Count int64   `json:"n"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
	M2    float64 `json:"m2"`
}

// Add folds x in.
func (s *Summary) Add(x float64) {
	s.Count++
	if s.Count == 1 {
		s.Min, s.Max, s.Mean, s.M2 = x, x, x, 0
		return
	}
	s.Min = math.Min(s.Min, x)
	s.Max = math.Max(s.Max, x)
	delta := x - s.Mean
	s.Mean += delta / float64(s.Count)
	s.M2 += delta * (x - s.Mean)
}

// Variance is the sample variance; zero below two values.
func (s Summary) Variance() float64 {
	if s.Count < 2 {
		return 0
	}
	return s.M2 / float64(s.Count-1)
}
