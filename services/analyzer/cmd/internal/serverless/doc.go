// Package serverless runs the analyzer's engine over the batches that a
// serverless platform hands a function (an AWS Lambda Kafka event, an Azure
// Functions Kafka trigger invocation). A function instance keeps no state
// between calls: every batch opens the engine on the PostgreSQL store,
// applies its records at their offsets, publishes the alerts, and commits
// state and offsets in one transaction, as the Kubernetes service's consumer
// does. Records an earlier delivery already committed come back as
// duplicates, so a redelivered batch is counted once. The platform adapters
// only translate wire formats into kgo.Records and answers back.
package serverless
