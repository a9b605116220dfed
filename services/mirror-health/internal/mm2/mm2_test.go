package mm2

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// The expected bytes below are written out by hand from the layouts in
// Heartbeat.java, Checkpoint.java and OffsetSync.java, not produced by this
// package, so an encoder bug cannot hide behind a matching decoder bug.

func TestHeartbeatBytes(t *testing.T) {
	t.Parallel()
	wantKey := []byte{
		0x00, 0x05, 'a', 'z', 'u', 'r', 'e',
		0x00, 0x03, 'a', 'w', 's',
	}
	wantValue := []byte{
		0x00, 0x00, // version 0
		0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, // 1700000000000 ms
	}
	hb := Heartbeat{SourceClusterAlias: "azure", TargetClusterAlias: "aws", Timestamp: time.UnixMilli(1_700_000_000_000)}
	key, err := hb.Key()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, wantKey) {
		t.Errorf("key = % x, want % x", key, wantKey)
	}
	if got := hb.Value(); !bytes.Equal(got, wantValue) {
		t.Errorf("value = % x, want % x", got, wantValue)
	}
	back, err := DecodeHeartbeat(wantKey, wantValue)
	if err != nil {
		t.Fatal(err)
	}
	if back.SourceClusterAlias != "azure" || back.TargetClusterAlias != "aws" || !back.Timestamp.Equal(hb.Timestamp) {
		t.Errorf("decoded %+v, want %+v", back, hb)
	}
}

func TestCheckpointBytes(t *testing.T) {
	t.Parallel()
	wantKey := []byte{
		0x00, 0x02, 'g', '1',
		0x00, 0x01, 't',
		0x00, 0x00, 0x00, 0x07, // partition 7
	}
	wantValue := []byte{
		0x00, 0x00, // version 0
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, // upstream 256
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, // downstream 255
		0x00, 0x02, 'm', 'd',
	}
	cp := Checkpoint{Group: "g1", Topic: "t", Partition: 7, UpstreamOffset: 256, DownstreamOffset: 255, Metadata: "md"}
	key, err := cp.Key()
	if err != nil {
		t.Fatal(err)
	}
	value, err := cp.Value()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, wantKey) || !bytes.Equal(value, wantValue) {
		t.Errorf("encoded key % x value % x, want % x / % x", key, value, wantKey, wantValue)
	}
	back, err := DecodeCheckpoint(wantKey, wantValue)
	if err != nil {
		t.Fatal(err)
	}
	if back != cp {
		t.Errorf("decoded %+v, want %+v", back, cp)
	}
}

func TestOffsetSyncBytes(t *testing.T) {
	t.Parallel()
	wantKey := []byte{0x00, 0x01, 'x', 0xff, 0xff, 0xff, 0xff} // partition -1
	wantValue := []byte{
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	}
	s := OffsetSync{Topic: "x", Partition: -1, UpstreamOffset: 10, DownstreamOffset: 2}
	key, err := s.Key()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, wantKey) || !bytes.Equal(s.Value(), wantValue) {
		t.Errorf("encoded key % x value % x, want % x / % x", key, s.Value(), wantKey, wantValue)
	}
	back, err := DecodeOffsetSync(wantKey, wantValue)
	if err != nil {
		t.Fatal(err)
	}
	if back != s {
		t.Errorf("decoded %+v, want %+v", back, s)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	t.Parallel()
	goodHBKey := []byte{0x00, 0x01, 'a', 0x00, 0x01, 'b'}
	goodHBValue := []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	tests := []struct {
		name    string
		decode  func() error
		wantErr string
	}{
		{"heartbeat_truncated_key", func() error { _, err := DecodeHeartbeat(goodHBKey[:4], goodHBValue); return err }, "targetClusterAlias"},
		{"heartbeat_version_1", func() error {
			_, err := DecodeHeartbeat(goodHBKey, []byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 1})
			return err
		}, "unsupported version 1"},
		{"heartbeat_trailing_bytes", func() error { _, err := DecodeHeartbeat(goodHBKey, append(goodHBValue, 9)); return err }, "1 trailing bytes"},
		{"heartbeat_negative_length", func() error { _, err := DecodeHeartbeat([]byte{0xff, 0xff}, goodHBValue); return err }, "negative STRING length"},
		{"heartbeat_bad_utf8", func() error {
			_, err := DecodeHeartbeat([]byte{0, 1, 0xff, 0, 1, 'b'}, goodHBValue)
			return err
		}, "sourceClusterAlias: not valid UTF-8"},
		{"checkpoint_missing_metadata", func() error {
			_, err := DecodeCheckpoint([]byte{0, 1, 'g', 0, 1, 't', 0, 0, 0, 0}, make([]byte, 18))
			return err
		}, "metadata length"},
		{"offset_sync_short_value", func() error { _, err := DecodeOffsetSync([]byte{0, 1, 't', 0, 0, 0, 0}, make([]byte, 15)); return err }, "field offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.decode()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestTruncationIsDetectable(t *testing.T) {
	t.Parallel()
	_, err := DecodeOffsetSync([]byte{0, 1}, nil)
	if !errors.Is(err, errTruncated) {
		t.Fatalf("err = %v, want errTruncated", err)
	}
}

func TestEncodeRejectsOversizedString(t *testing.T) {
	t.Parallel()
	_, err := Checkpoint{Group: strings.Repeat("g", 40000)}.Key()
	if err == nil || !strings.Contains(err.Error(), "checkpoint group") {
		t.Fatalf("err = %v, want an error naming checkpoint group", err)
	}
	_, err = Heartbeat{SourceClusterAlias: "a", TargetClusterAlias: "\xff"}.Key()
	if err == nil || !strings.Contains(err.Error(), "targetClusterAlias") {
		t.Fatalf("err = %v, want an error naming targetClusterAlias", err)
	}
}

func TestTopicNames(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{RemoteTopic("azure", "ble.enriched.v1"), "azure.ble.enriched.v1"},
		{CheckpointsTopic("azure"), "azure.checkpoints.internal"},
		{OffsetSyncsTopic("aws"), "mm2-offset-syncs.aws.internal"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	alias, topic, ok := SplitRemoteTopic("azure.ble.enriched.v1")
	if !ok || alias != "azure" || topic != "ble.enriched.v1" {
		t.Errorf("SplitRemoteTopic = %q %q %v", alias, topic, ok)
	}
	if _, _, ok := SplitRemoteTopic("heartbeats"); ok {
		t.Error("SplitRemoteTopic(heartbeats) reported a remote topic")
	}
	for topic, want := range map[string]bool{
		"azure.checkpoints.internal": true, "__consumer_offsets": true,
		"mm2-configs.azure-internal": true, "azure.ble.enriched.v1": false, "heartbeats": false,
	} {
		if got := IsInternalTopic(topic); got != want {
			t.Errorf("IsInternalTopic(%q) = %v, want %v", topic, got, want)
		}
	}
}
