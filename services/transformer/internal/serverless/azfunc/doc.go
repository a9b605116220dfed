// Package azfunc adapts the serverless handler to an Azure Functions custom
// handler invoked by a Kafka trigger with cardinality MANY: the host POSTs
// each batch to /<function name> in the custom handler request format, and
// this package answers in the response format. Offsets are committed by the
// Kafka extension, and with commitOnFailure false only after a successful
// answer, so poison records go to their dead-letter topic from here: a
// failed answer would retry them forever.
package azfunc
