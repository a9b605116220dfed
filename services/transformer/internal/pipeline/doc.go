// Package pipeline is the transformer's transport-free core: an
// AdvertisementReceived goes in, a ReadingDecoded comes out, the same bytes
// wherever it runs (Kubernetes, Lambda, Azure Functions), because the output
// depends only on the input. Stage adapts it to eventbus.Transactor records.
package pipeline
