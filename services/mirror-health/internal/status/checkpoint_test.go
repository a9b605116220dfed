package status

import (
	"testing"
	"time"
)

func TestCheckpointLag(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	now := t0.Add(time.Hour)
	tests := []struct {
		name       string
		in         CheckpointObservation
		wantLag    int64
		wantStatus Status
		wantRule   Rule
	}{
		{"current", CheckpointObservation{UpstreamOffset: 90, SourceCommitted: 100, EmittedAt: now.Add(-time.Minute)}, 10, OK, RuleCheckpointCurrent},
		{"old_but_group_idle", CheckpointObservation{UpstreamOffset: 100, SourceCommitted: 100, EmittedAt: now.Add(-time.Hour)}, 0, OK, RuleCheckpointCurrent},
		{"old_and_behind", CheckpointObservation{UpstreamOffset: 40, SourceCommitted: 100, EmittedAt: now.Add(-time.Hour)}, 60, Warn, RuleCheckpointStale},
		{"commit_unknown", CheckpointObservation{UpstreamOffset: 40, SourceCommitted: -1, EmittedAt: now.Add(-time.Hour)}, -1, Warn, RuleCheckpointStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := evaluateCheckpoint(cfg, now, tt.in)
			if r.LagRecords != tt.wantLag || r.Status != tt.wantStatus || r.Rule != tt.wantRule {
				t.Errorf("got lag %d %s/%s, want %d %s/%s", r.LagRecords, r.Status, r.Rule, tt.wantLag, tt.wantStatus, tt.wantRule)
			}
		})
	}
}

func TestConfigValidateNamesField(t *testing.T) {
	t.Parallel()
	bad := DefaultConfig()
	bad.HeartbeatTimeout = 0
	if err := bad.Validate(); err == nil || err.Error() != "status.heartbeat_timeout: must be positive" {
		t.Errorf("err = %v", err)
	}
	bad = DefaultConfig()
	bad.WindowSize = 1
	if _, err := NewEvaluator(bad, Guard{SourceAlias: "azure"}); err == nil {
		t.Error("window size 1 accepted")
	}
	if _, err := NewEvaluator(DefaultConfig(), Guard{}); err == nil {
		t.Error("empty source alias accepted")
	}
}
