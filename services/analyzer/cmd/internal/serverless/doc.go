// Package serverless is the analyzer's core on serverless platforms: the
// serverless.Core and serverless.Ticker that the platform adapters
// (platform/serverless/awslambda and azfunc) drive. A function instance
// keeps no state between calls: every batch opens the engine on the
// PostgreSQL store, applies its records at their offsets, publishes the
// alerts, and commits state and offsets in one transaction, as the
// Kubernetes service's consumer does. Records an earlier delivery already
// committed come back as duplicates, so a redelivered batch is counted
// once. A scheduled tick moves event time on to the wall clock while the
// input is idle, as the consumer does when caught up, so silent devices
// time out without new readings.
package serverless
