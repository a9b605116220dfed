package status

import (
	"testing"
	"time"
)

func TestLagTime(t *testing.T) {
	t.Parallel()
	withOldest := series([2]int64{100, 40}, [2]int64{150, 90})
	withOldest[1].OldestUnreplicated = withOldest[1].At.Add(-42 * time.Second)
	tests := []struct {
		name       string
		obs        []Observation
		want       time.Duration
		wantMethod LagTimeMethod
	}{
		{"no_lag", series([2]int64{100, 100}), 0, LagTimeNoLag},
		{"record_timestamp", withOldest, 42 * time.Second, LagTimeRecordTimestamp},
		// Offset 49 was produced when the end offset passed 50: halfway
		// between t0 (end 0) and t0+10s (end 100), 15s before t0+20s.
		{"interpolated", series([2]int64{0, 0}, [2]int64{100, 0}, [2]int64{200, 49}), 15 * time.Second, LagTimeInterpolated},
		// 10 records/s; offset 899 was produced 10s before the window's
		// first observation, which is 20s old.
		{"extrapolated", series([2]int64{1000, 800}, [2]int64{1100, 850}, [2]int64{1200, 899}), 30 * time.Second, LagTimeExtrapolated},
		{"unknown_without_rate", series([2]int64{100, 50}, [2]int64{100, 50}), 0, LagTimeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, method := lagTime(tt.obs)
			if got != tt.want || method != tt.wantMethod {
				t.Errorf("lagTime = %v by %s, want %v by %s", got, method, tt.want, tt.wantMethod)
			}
		})
	}
}
