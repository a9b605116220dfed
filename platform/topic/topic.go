// Package topic names bluestream's Kafka topics. Names carry a version: a breaking
// change to a topic's events makes a .v2 topic, never rewrites .v1.
package topic

const (
	// Advertisements carries AdvertisementReceived: raw, personal data, primary only.
	Advertisements = "ble.advertisements.v1"
	// Readings carries ReadingDecoded: still raw addresses, primary only.
	Readings = "ble.readings.v1"
	// Enriched carries ReadingEnriched and SubjectErased: pseudonymised, mirrored.
	Enriched = "ble.enriched.v1"
	// RegistryEvents carries RegistryEvent: the registry aggregate's log.
	RegistryEvents = "registry.events.v1"
	// Alerts carries AlertRaised and AlertResolved.
	Alerts = "analyzer.alerts.v1"
	// MirrorHealth carries ReplicationStatus.
	MirrorHealth = "mirror.health.v1"
)

// DLQSuffix ends the name of a topic's dead-letter queue.
const DLQSuffix = ".dlq"

// DLQ returns the dead-letter topic of t.
func DLQ(t string) string { return t + DLQSuffix }

// Remote returns the name MirrorMaker 2 gives t on the target cluster when it
// replicates from the cluster with the given alias: "azure.ble.enriched.v1".
func Remote(sourceAlias, t string) string { return sourceAlias + "." + t }
