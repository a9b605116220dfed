// Package stack runs the whole bluestream system on one machine for `make run`
// and the end-to-end tests: two embedded Kafka clusters, every service binary as
// a child process pointed at them, the built-in mirror and the simulated office.
//
// The parts are small packages: build compiles the service binaries from the
// go.work checkout, supervise runs and stops them, health waits for their gRPC
// health checks, registration puts the office's gateways and devices into the
// enricher's registry, and banner prints where to look. In-process mode (all
// services in one process) is not built yet.
package stack
