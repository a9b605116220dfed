package mm2

import "strings"

// Topic naming follows MirrorMaker 2's DefaultReplicationPolicy
// (connect/mirror-client DefaultReplicationPolicy.java) with its default
// separator ".".
const (
	// Separator joins the source alias and the upstream topic name.
	Separator = "."
	// HeartbeatsTopic is where heartbeats are emitted on each cluster; on the
	// target it also appears mirrored as "<source>.heartbeats".
	HeartbeatsTopic = "heartbeats"
)

// RemoteTopic names the target copy of a source topic: "azure" and
// "ble.enriched.v1" give "azure.ble.enriched.v1".
func RemoteTopic(sourceAlias, topic string) string {
	return sourceAlias + Separator + topic
}

// SplitRemoteTopic reverses RemoteTopic. It reports false when the name has no
// separator, i.e. the topic is not a remote topic.
func SplitRemoteTopic(remote string) (sourceAlias, topic string, ok bool) {
	sourceAlias, topic, ok = strings.Cut(remote, Separator)
	if !ok || sourceAlias == "" || topic == "" {
		return "", "", false
	}
	return sourceAlias, topic, true
}

// CheckpointsTopic is the target-cluster topic holding checkpoints for
// groups consumed on the cluster with the given alias.
func CheckpointsTopic(sourceAlias string) string {
	return sourceAlias + ".checkpoints.internal"
}

// OffsetSyncsTopic names the offset-syncs topic after the *other* cluster of
// the flow: MirrorMaker 2 keeps it on the source by default and then names it
// after the target ("mm2-offset-syncs.aws.internal"); with
// offset-syncs.topic.location=target it lives on the target and is named after
// the source (MirrorSourceConfig.offsetSyncsTopic).
func OffsetSyncsTopic(otherAlias string) string {
	return "mm2-offset-syncs." + otherAlias + ".internal"
}

// IsInternalTopic reports whether MirrorMaker 2 treats the topic as internal
// and never replicates it (DefaultReplicationPolicy.isInternalTopic).
func IsInternalTopic(topic string) bool {
	return strings.HasSuffix(topic, ".internal") ||
		strings.HasSuffix(topic, "-internal") ||
		strings.HasPrefix(topic, "__") ||
		strings.HasPrefix(topic, ".")
}
