// Package batchtest holds the recorded batch of enriched records that the
// analyzer's serverless targets' tests hand to every target, the wire
// formats the platforms deliver them in, and an embedded Kafka cluster for
// the alerts, so each target's output can be read back and compared with
// the service's consumer path.
package batchtest
