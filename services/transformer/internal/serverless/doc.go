// Package serverless is the transformer's core on serverless platforms: the
// serverless.Core that the platform adapters (platform/serverless/awslambda
// and azfunc) drive with each batch they are handed. What a record becomes,
// which records are poison and how the trace continues is decided here,
// once, so every target publishes the same bytes as the Kubernetes service.
package serverless
