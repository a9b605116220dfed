package status

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

const step = 10 * time.Second

// series builds one observation per step from (sourceEnd, replicated) pairs.
func series(pairs ...[2]int64) []Observation {
	out := make([]Observation, len(pairs))
	for i, p := range pairs {
		out[i] = Observation{At: t0.Add(time.Duration(i) * step), SourceEnd: p[0], Replicated: p[1], TargetEnd: p[1]}
	}
	return out
}

func newTestEvaluator(t *testing.T, cfg Config) *Evaluator {
	t.Helper()
	allow, err := NewAllowList(`ble\.enriched\.v1`)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEvaluator(cfg, Guard{SourceAlias: "azure", Allow: allow, Sensitive: []string{"ble.advertisements.v1"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLagScenarios(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.WindowSize = 5
	withMaxLag := cfg
	withMaxLag.MaxLag = 30 * time.Second
	key := PartitionKey{Topic: "ble.enriched.v1", Partition: 0}
	fresh := t0.Add(4 * step) // heartbeat at the newest observation
	stale := t0.Add(4*step - time.Minute)
	tests := []struct {
		name          string
		cfg           Config
		obs           []Observation
		heartbeat     time.Time
		wantPartition Status
		wantRule      Rule
		wantOverall   Status
		wantOverRule  Rule
	}{
		{"caught_up_once_in_window", cfg, series([2]int64{100, 100}, [2]int64{110, 105}, [2]int64{120, 110}, [2]int64{130, 115}, [2]int64{140, 120}),
			fresh, OK, RuleZeroLagInWindow, OK, RuleAllPartitionsOK},
		{"catching_up", cfg, series([2]int64{200, 100}, [2]int64{200, 120}, [2]int64{200, 140}, [2]int64{200, 160}, [2]int64{200, 180}),
			fresh, OK, RuleLagDecreasing, OK, RuleAllPartitionsOK},
		{"lag_dips_once_then_grows", cfg, series([2]int64{110, 100}, [2]int64{115, 110}, [2]int64{130, 120}, [2]int64{150, 130}, [2]int64{170, 140}),
			fresh, OK, RuleLagDecreasing, OK, RuleAllPartitionsOK},
		{"stalled_while_source_grows", cfg, series([2]int64{100, 50}, [2]int64{110, 50}, [2]int64{120, 50}, [2]int64{130, 50}, [2]int64{140, 50}),
			fresh, Stall, RuleStalled, Err, RuleStalled},
		{"stalled_with_fixed_lag", cfg, series([2]int64{100, 50}, [2]int64{100, 50}, [2]int64{100, 50}, [2]int64{100, 50}, [2]int64{100, 50}),
			fresh, Stall, RuleStalled, Err, RuleStalled},
		{"falling_behind", cfg, series([2]int64{20, 10}, [2]int64{40, 20}, [2]int64{60, 30}, [2]int64{80, 40}, [2]int64{100, 50}),
			fresh, Warn, RuleLagNotDecreasing, Warn, RuleLagNotDecreasing},
		{"progressing_with_constant_lag", cfg, series([2]int64{20, 10}, [2]int64{30, 20}, [2]int64{40, 30}, [2]int64{50, 40}, [2]int64{60, 50}),
			fresh, Warn, RuleLagNotDecreasing, Warn, RuleLagNotDecreasing},
		{"mirror_stopped_with_lag", cfg, series([2]int64{100, 50}, [2]int64{110, 60}, [2]int64{120, 70}, [2]int64{130, 70}, [2]int64{140, 70}),
			stale, Stop, RuleStopped, Err, RuleHeartbeatsStale},
		{"mirror_stopped_but_caught_up", cfg, series([2]int64{100, 100}, [2]int64{100, 100}, [2]int64{100, 100}, [2]int64{100, 100}, [2]int64{100, 100}),
			stale, OK, RuleZeroLagInWindow, Err, RuleHeartbeatsStale},
		{"replicated_offset_rewound", cfg, series([2]int64{100, 90}, [2]int64{110, 100}, [2]int64{120, 10}, [2]int64{130, 20}, [2]int64{140, 30}),
			fresh, Err, RuleRewind, Err, RuleRewind},
		{"window_not_yet_full", cfg, series([2]int64{100, 50}, [2]int64{110, 50}, [2]int64{120, 50}),
			fresh, OK, RuleWindowIncomplete, OK, RuleAllPartitionsOK},
		{"lag_decreasing_but_too_old", withMaxLag, series([2]int64{1000, 100}, [2]int64{1010, 200}, [2]int64{1020, 300}, [2]int64{1030, 400}, [2]int64{1040, 500}),
			fresh, Warn, RuleLagAboveLimit, Warn, RuleLagAboveLimit},
		{"no_heartbeats_ever", cfg, series([2]int64{100, 100}, [2]int64{100, 100}),
			time.Time{}, OK, RuleZeroLagInWindow, Warn, RuleHeartbeatsMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEvaluator(t, tt.cfg)
			for _, o := range tt.obs {
				if err := e.Observe(key, o); err != nil {
					t.Fatal(err)
				}
			}
			r := e.Evaluate(Flow{At: tt.obs[len(tt.obs)-1].At, LatestHeartbeat: tt.heartbeat})
			if len(r.Partitions) != 1 {
				t.Fatalf("got %d partition reports, want 1", len(r.Partitions))
			}
			p := r.Partitions[0]
			if p.Status != tt.wantPartition || p.Rule != tt.wantRule {
				t.Errorf("partition = %s/%s, want %s/%s", p.Status, p.Rule, tt.wantPartition, tt.wantRule)
			}
			if r.Status != tt.wantOverall || r.Rule != tt.wantOverRule {
				t.Errorf("overall = %s/%s, want %s/%s", r.Status, r.Rule, tt.wantOverall, tt.wantOverRule)
			}
		})
	}
}

func TestWorstPartitionDecidesOverall(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.WindowSize = 3
	e := newTestEvaluator(t, cfg)
	healthy := series([2]int64{10, 10}, [2]int64{20, 20}, [2]int64{30, 30})
	behind := series([2]int64{20, 10}, [2]int64{40, 20}, [2]int64{60, 30})
	stuck := series([2]int64{20, 10}, [2]int64{30, 10}, [2]int64{40, 10})
	for i := range 3 {
		for p, obs := range [][]Observation{healthy, behind, stuck} {
			if err := e.Observe(PartitionKey{"ble.enriched.v1", int32(p)}, obs[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	r := e.Evaluate(Flow{At: t0.Add(2 * step), LatestHeartbeat: t0.Add(2 * step)})
	if r.Status != Err || r.Rule != RuleStalled {
		t.Errorf("overall = %s/%s, want ERR/%s", r.Status, r.Rule, RuleStalled)
	}
	wantPartitions := []Status{OK, Warn, Stall}
	for i, p := range r.Partitions {
		if p.Partition != int32(i) || p.Status != wantPartitions[i] {
			t.Errorf("partition %d = %s, want partition %d %s", p.Partition, p.Status, i, wantPartitions[i])
		}
	}
	// healthy moves 10/s per step of 10s: 1 rec/s; behind 1 rec/s; stuck 0.
	if r.Throughput != 2 {
		t.Errorf("throughput = %v records/s, want 2", r.Throughput)
	}
}

func TestPartitionFigures(t *testing.T) {
	t.Parallel()
	e := newTestEvaluator(t, DefaultConfig())
	key := PartitionKey{"ble.enriched.v1", 3}
	obs := series([2]int64{100, 40}, [2]int64{150, 90})
	obs[1].TargetEnd = 95 // transaction markers make target offsets run ahead
	obs[1].OldestUnreplicated = obs[1].At.Add(-42 * time.Second)
	obs[1].LatestReplicated = obs[1].At.Add(-43 * time.Second)
	for _, o := range obs {
		if err := e.Observe(key, o); err != nil {
			t.Fatal(err)
		}
	}
	p := e.Evaluate(Flow{At: obs[1].At, LatestHeartbeat: obs[1].At}).Partitions[0]
	if p.SourceEnd != 150 || p.Replicated != 90 || p.TargetEnd != 95 || p.LagRecords != 60 {
		t.Errorf("offsets = %+v", p)
	}
	if p.LagTime != 42*time.Second || p.LagTimeMethod != LagTimeRecordTimestamp {
		t.Errorf("lag time = %v by %s, want 42s by record timestamp", p.LagTime, p.LagTimeMethod)
	}
	if p.Throughput != 5 {
		t.Errorf("throughput = %v, want 5 records/s", p.Throughput)
	}
}

func TestObserveRejectsTimeGoingBackwards(t *testing.T) {
	t.Parallel()
	e := newTestEvaluator(t, DefaultConfig())
	key := PartitionKey{"ble.enriched.v1", 0}
	if err := e.Observe(key, Observation{At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := e.Observe(key, Observation{At: t0.Add(-time.Second)}); err == nil {
		t.Fatal("observation older than the window's newest was accepted")
	}
}

func TestNoObservationsIsNotFound(t *testing.T) {
	t.Parallel()
	r := newTestEvaluator(t, DefaultConfig()).Evaluate(Flow{At: t0, LatestHeartbeat: t0})
	if r.Status != NotFound || r.Rule != RuleNoObservations {
		t.Errorf("overall = %s/%s, want NOTFOUND/%s", r.Status, r.Rule, RuleNoObservations)
	}
}
