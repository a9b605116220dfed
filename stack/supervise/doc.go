// Package supervise runs service binaries as child processes: it learns the
// address each one serves on from its own log, keeps the last lines of output for
// error reports, and stops them with a signal, killing only those that outstay
// their grace period.
package supervise
