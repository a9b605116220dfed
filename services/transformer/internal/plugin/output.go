package plugin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"unicode/utf8"
)

// Output is what a plugin returns for one structure.
type Output struct {
	Measurements []Measurement `json:"measurements"`
	Problems     []string      `json:"problems"`
}

// Measurement is one value a plugin decoded.
type Measurement struct {
	Quantity string  `json:"quantity"`
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
}

// parseOutput checks a plugin's output against what the reading contract
// accepts, so a broken plugin fails here with its name, not in a consumer.
func parseOutput(data []byte) (Output, error) {
	var o Output
	if len(data) == 0 {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return o, fmt.Errorf("parsing output: %w", err)
	}
	for i, m := range o.Measurements {
		switch {
		case m.Quantity == "" || len(m.Quantity) > 64 || !utf8.ValidString(m.Quantity):
			return o, fmt.Errorf("measurements[%d].quantity: want 1-64 bytes of UTF-8, got %q", i, m.Quantity)
		case len(m.Unit) > 32 || !utf8.ValidString(m.Unit):
			return o, fmt.Errorf("measurements[%d].unit: want at most 32 bytes of UTF-8, got %q", i, m.Unit)
		case math.IsNaN(m.Value) || math.IsInf(m.Value, 0):
			return o, fmt.Errorf("measurements[%d].value: not finite", i)
		}
	}
	for i, p := range o.Problems {
		if p == "" || !utf8.ValidString(p) {
			return o, fmt.Errorf("problems[%d]: want a non-empty UTF-8 message", i)
		}
	}
	return o, nil
}
