package status

import "testing"

func TestForTopicsJudgesOnlyTheChosenTopics(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.WindowSize = 3
	e := newTestEvaluator(t, cfg)
	healthy := series([2]int64{10, 10}, [2]int64{20, 20}, [2]int64{30, 30})
	stalled := series([2]int64{10, 5}, [2]int64{20, 5}, [2]int64{30, 5})
	for i := range healthy {
		if err := e.Observe(PartitionKey{Topic: "ble.enriched.v1", Partition: 0}, healthy[i]); err != nil {
			t.Fatal(err)
		}
		if err := e.Observe(PartitionKey{Topic: "other.v1", Partition: 0}, stalled[i]); err != nil {
			t.Fatal(err)
		}
	}
	at := healthy[len(healthy)-1].At
	r := e.Evaluate(Flow{At: at, LatestHeartbeat: at, Checkpoints: []CheckpointObservation{
		{Group: "analyzer", Topic: "azure.ble.enriched.v1", EmittedAt: at, SourceCommitted: -1},
		{Group: "analyzer", Topic: "azure.other.v1", EmittedAt: at, SourceCommitted: -1},
	}})
	if r.Status != Err || r.Rule != RuleStalled {
		t.Fatalf("whole flow: %s %s, want ERR %s", r.Status, r.Rule, RuleStalled)
	}
	only := r.ForTopics("ble.enriched.v1")
	if only.Status != OK || only.Rule != RuleAllPartitionsOK {
		t.Errorf("ble.enriched.v1 alone: %s %s, want OK %s", only.Status, only.Rule, RuleAllPartitionsOK)
	}
	if len(only.Partitions) != 1 || only.Partitions[0].Topic != "ble.enriched.v1" {
		t.Errorf("partitions %+v, want only ble.enriched.v1", only.Partitions)
	}
	if len(only.Checkpoints) != 1 || only.Checkpoints[0].Topic != "azure.ble.enriched.v1" {
		t.Errorf("checkpoints %+v, want only azure.ble.enriched.v1", only.Checkpoints)
	}
	if got := r.ForTopics(); got.Status != r.Status || len(got.Partitions) != 2 {
		t.Errorf("no topics: %s with %d partitions, want the whole report", got.Status, len(got.Partitions))
	}
}
