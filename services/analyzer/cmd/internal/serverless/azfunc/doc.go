// Package azfunc adapts the analyzer's serverless handler to an Azure
// Functions custom handler invoked by a Kafka trigger with cardinality MANY:
// the host POSTs each batch to /<function name> in the custom handler
// request format, and this package answers in the response format. With
// commitOnFailure false the Kafka extension commits offsets only after a
// successful answer, so poison records go to the input's dead-letter topic
// from here (before the engine commits): a failed answer would redeliver
// them forever.
package azfunc
