// Package batchtest holds the recorded batch of advertisement records that
// the serverless targets' tests hand to every target, and an embedded Kafka
// cluster to publish readings to, so each target's output can be read back
// and compared byte for byte.
package batchtest
