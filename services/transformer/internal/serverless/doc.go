// Package serverless runs the transformer's pipeline over the batches that a
// serverless platform hands a function (an AWS Lambda Kafka event, an Azure
// Functions Kafka trigger invocation). The platform adapters only translate
// their wire formats into kgo.Records and back; what a record becomes, which
// records are poison and how the trace continues is decided here, once, so
// every target publishes the same bytes as the Kubernetes service.
package serverless
