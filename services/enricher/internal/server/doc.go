// Package server implements RegistryService: commands are decided against the
// registry projection, appended to registry.events.v1, and only then applied, so
// the projection never holds what the log does not; queries read the projection.
package server
