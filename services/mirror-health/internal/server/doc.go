// Package server is mirror-health's RPC edge: it answers
// GetReplicationStatus with the newest evaluation and streams every new one
// to WatchReplicationStatus callers. The collector loop hands evaluations to
// a Hub; handlers only read from it, so a slow RPC client never holds up the
// collector.
package server
