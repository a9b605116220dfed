// Package stack runs the whole bluestream system on one machine for `make run`
// and the end-to-end tests: two embedded Kafka clusters, every service pointed
// at them, the built-in mirror and the simulated office. In process mode each
// service is a child process of its own binary; in inprocess mode all of them
// run in the caller's process, with the same flags and ports.
//
// The parts are small packages: build compiles the service binaries from the
// go.work checkout, supervise runs and stops them as children, inprocess runs
// and stops them as goroutines, logtail labels and keeps their log lines,
// health waits for their gRPC health checks, registration puts the office's
// gateways and devices into the enricher's registry, and banner prints where
// to look.
package stack
