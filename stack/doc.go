// Package stack runs the whole bluestream system on one machine for `make run`:
// two embedded Kafka clusters, the five services and the built-in mirror.
package stack
