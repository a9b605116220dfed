// Package e2e holds the end-to-end tests that run an advertisement through every
// service: ingest, transformer, enricher, mirror and analyzer.
package e2e
