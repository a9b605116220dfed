package geo

import (
	"math"
	"testing"
)

func TestPathLossDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		exponent       float64
		rssi, rssiAt1m float64
		want           float64
	}{
		{name: "at_one_metre", exponent: 2, rssi: -59, rssiAt1m: -59, want: 1},
		{name: "free_space_10m", exponent: 2, rssi: -79, rssiAt1m: -59, want: 10},
		{name: "indoor_n3_10m", exponent: 3, rssi: -89, rssiAt1m: -59, want: 10},
		{name: "default_exponent", exponent: 0, rssi: -65, rssiAt1m: -59, want: math.Pow(10, 6.0/20)},
		{name: "closer_than_1m", exponent: 2, rssi: -53, rssiAt1m: -59, want: math.Pow(10, -6.0/20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := PathLoss{Exponent: tt.exponent}
			got, err := m.Distance(tt.rssi, tt.rssiAt1m)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("Distance = %v, want %v", got, tt.want)
			}
			if back := m.RSSI(got, tt.rssiAt1m); math.Abs(back-tt.rssi) > 1e-9 {
				t.Fatalf("RSSI(Distance) = %v, want %v", back, tt.rssi)
			}
		})
	}
}

func TestPathLossRejectsBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		m              PathLoss
		rssi, rssiAt1m float64
	}{
		{PathLoss{Exponent: -1}, -70, -59},
		{PathLoss{Exponent: math.NaN()}, -70, -59},
		{PathLoss{}, 0, -59},
		{PathLoss{}, 5, -59},
		{PathLoss{}, math.NaN(), -59},
		{PathLoss{}, -70, math.Inf(-1)},
		{PathLoss{}, -70, 30},
	}
	for _, c := range cases {
		if d, err := c.m.Distance(c.rssi, c.rssiAt1m); err == nil {
			t.Errorf("%+v.Distance(%v, %v) = %v, want error", c.m, c.rssi, c.rssiAt1m, d)
		}
	}
}
