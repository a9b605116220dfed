// Package stats provides streaming statistics that fit in a few words of
// state and serialise exactly, so projections restored from a snapshot
// continue with the same numbers an uninterrupted run would have.
package stats
