// Package batchtest holds the recorded batch of enriched records that the
// analyzer's serverless tests hand to every target, the cluster for the
// alerts, and the state the targets leave in PostgreSQL, so each target's
// output can be compared with the service's consumer path
// (platform/serverless/serverlesstest has the platforms' wire formats).
package batchtest
