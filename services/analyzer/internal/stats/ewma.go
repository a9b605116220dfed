package stats

import "math"

// EWMA is an exponentially weighted moving mean and variance. Recent values
// weigh more, so the statistics follow slow drift (a warming room) while a
// sudden jump still stands out against them.
type EWMA struct {
	N    int64   `json:"n"`
	Mean float64 `json:"m"`
	Var  float64 `json:"v"`
}

// Update folds x in with smoothing factor alpha in (0, 1]. The first value
// seeds the mean; variance uses the incremental form from Finch (2009),
// "Incremental calculation of weighted mean and variance".
func (e *EWMA) Update(x, alpha float64) {
	e.N++
	if e.N == 1 {
		e.Mean, e.Var = x, 0
		return
	}
	diff := x - e.Mean
	incr := alpha * diff
	e.Mean += incr
	e.Var = (1 - alpha) * (e.Var + diff*incr)
}

// StdDev is the square root of Var.
func (e EWMA) StdDev() float64 { return math.Sqrt(e.Var) }

// ZScore says how many standard deviations x lies from the mean. ok is false
// while the spread is zero, because any z-score would then be meaningless.
func (e EWMA) ZScore(x float64) (z float64, ok bool) {
	sd := e.StdDev()
	if sd == 0 || e.N == 0 {
		return 0, false
	}
	return (x - e.Mean) / sd, true
}
