package mirror

import (
	"context"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

func TestTranslateFollowsMirrorMaker2(t *testing.T) {
	t.Parallel()
	s := syncStore{}
	s.add(mm2.OffsetSync{Topic: "t", Partition: 0, UpstreamOffset: 9, DownstreamOffset: 9})
	s.add(mm2.OffsetSync{Topic: "t", Partition: 0, UpstreamOffset: 19, DownstreamOffset: 21})
	tests := []struct {
		name     string
		upstream int64
		want     int64
		wantOK   bool
	}{
		{"before_any_sync", 5, 0, false},
		{"exactly_at_sync", 9, 9, true},
		{"past_sync_resumes_after_copy", 10, 10, true},
		{"past_newest_sync", 20, 22, true},
	}
	for _, tt := range tests {
		got, ok := s.translate("t", 0, tt.upstream)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: translate(%d) = %d,%v want %d,%v", tt.name, tt.upstream, got, ok, tt.want, tt.wantOK)
		}
	}
	if got := s.next("t", 0); got != 20 {
		t.Errorf("next = %d, want 20", got)
	}
	if got := s.next("t", 1); got != -1 {
		t.Errorf("next of unmirrored partition = %d, want -1", got)
	}
}

func TestCheckpointsTranslateSourceGroupOffsets(t *testing.T) {
	t.Parallel()
	src := newCluster(t, 1, topic)
	tgt := newCluster(t, 0)
	produceNumbered(t, src, topic, 1, 0, 10)
	adm := kadm.NewClient(newClient(t, src))
	var commit kadm.Offsets
	commit.Add(kadm.Offset{Topic: topic, Partition: 0, At: 10, LeaderEpoch: -1, Metadata: "analyzer"})
	if _, err := adm.CommitOffsets(t.Context(), "analyzer", commit); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(src, tgt)
	cfg.CheckpointInterval = 1 // every step, so the test need not wait a minute
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() { cancel(); <-done }()

	// Poll checkpoints until the one translating the whole batch shows up:
	// earlier steps may run before the copies commit and emit none.
	want := mm2.Checkpoint{Group: "analyzer", Topic: remote, Partition: 0, UpstreamOffset: 10, DownstreamOffset: 10, Metadata: "analyzer"}
	for n := 1; ; n++ {
		recs := consumeCommitted(t, tgt, mm2.CheckpointsTopic("azure"), n)
		cp, err := mm2.DecodeCheckpoint(recs[n-1].Key, recs[n-1].Value)
		if err != nil {
			t.Fatal(err)
		}
		if cp == want {
			return
		}
		if cp.Group != want.Group || cp.Topic != want.Topic {
			t.Fatalf("checkpoint %+v, want one like %+v", cp, want)
		}
	}
}
