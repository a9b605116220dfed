package status

import (
	"fmt"
	"slices"
)

// Window keeps the newest observations of one partition, oldest first, like
// Burrow's per-partition ring of offsets.
type Window struct {
	size int
	obs  []Observation
}

// NewWindow returns an empty window holding at most size observations.
func NewWindow(size int) (*Window, error) {
	if size < 2 {
		return nil, fmt.Errorf("window size %d: need at least 2 observations to see a trend", size)
	}
	return &Window{size: size}, nil
}

// Add appends an observation, dropping the oldest when full. Observations
// must arrive in time order; an older one means a confused clock and is
// refused rather than silently reordering the trend.
func (w *Window) Add(o Observation) error {
	if n := len(w.obs); n > 0 && o.At.Before(w.obs[n-1].At) {
		return fmt.Errorf("observation at %s is older than the newest one at %s", o.At, w.obs[n-1].At)
	}
	if len(w.obs) == w.size {
		w.obs = slices.Delete(w.obs, 0, 1)
	}
	w.obs = append(w.obs, o)
	return nil
}

// Observations returns a copy of the window, oldest first.
func (w *Window) Observations() []Observation {
	return slices.Clone(w.obs)
}

// Full reports whether the window holds as many observations as it can;
// Burrow only judges trends over a complete window.
func (w *Window) Full() bool { return len(w.obs) == w.size }
