// Package batchtest holds the recorded batch of advertisement records that
// the transformer's serverless tests hand to every target, and the cluster
// they publish readings to (platform/serverless/serverlesstest has the
// platforms' wire formats and the rest).
package batchtest
