package status

import (
	"strings"
	"testing"
)

func TestGuardFlagsTopicsOffTheAllowList(t *testing.T) {
	t.Parallel()
	e := newTestEvaluator(t, DefaultConfig())
	targetTopics := []string{
		"azure.ble.enriched.v1",           // allowed
		"azure.ble.enriched.v1.dlq",       // the analyzer's DLQ of an allowed topic
		"heartbeats",                      // MirrorMaker 2's own
		"azure.heartbeats",                // replicated heartbeats
		"azure.checkpoints.internal",      // MirrorMaker 2 internal
		"analyzer.alerts.v1",              // the target's own topic
		"azure.ble.advertisements.v1",     // raw addresses, mirrored
		"ble.advertisements.v1",           // raw addresses, copied without prefix
		"azure.ble.readings.v1",           // not on the allow-list
		"azure.ble.advertisements.v1.dlq", // a DLQ of raw addresses is raw addresses
	}
	r := e.Evaluate(Flow{At: t0, LatestHeartbeat: t0, TargetTopics: targetTopics})
	want := []struct {
		topic string
		rule  Rule
	}{
		{"azure.ble.advertisements.v1", RuleSensitiveTopic},
		{"ble.advertisements.v1", RuleSensitiveTopic},
		{"azure.ble.readings.v1", RuleTopicNotAllowListed},
		{"azure.ble.advertisements.v1.dlq", RuleSensitiveTopic},
	}
	if len(r.Violations) != len(want) {
		t.Fatalf("violations = %+v, want %d", r.Violations, len(want))
	}
	for i, w := range want {
		v := r.Violations[i]
		if v.TargetTopic != w.topic || v.Rule != w.rule || !strings.Contains(v.Reason, v.SourceTopic) {
			t.Errorf("violation %d = %+v, want %s for %s with a reason naming the source topic", i, v, w.rule, w.topic)
		}
	}
	if r.Status != Err || r.Rule != RuleSensitiveTopic {
		t.Errorf("overall = %s/%s, want ERR/%s", r.Status, r.Rule, RuleSensitiveTopic)
	}
}

func TestAllowListMatchesWholeNames(t *testing.T) {
	t.Parallel()
	a, err := NewAllowList(`ble\.enriched\.v1`, `registry\..*`)
	if err != nil {
		t.Fatal(err)
	}
	for topic, want := range map[string]bool{
		"ble.enriched.v1": true, "ble.enriched.v1.dlq": false, "xble.enriched.v1": false,
		"registry.events.v1": true, "ble.advertisements.v1": false,
	} {
		if got := a.Allows(topic); got != want {
			t.Errorf("Allows(%q) = %v, want %v", topic, got, want)
		}
	}
	if _, err := NewAllowList("ok", "(unclosed"); err == nil || !strings.Contains(err.Error(), "allow_list[1]") {
		t.Errorf("err = %v, want it to name allow_list[1]", err)
	}
}
