// Package registration puts the simulated office into the enricher's registry:
// its gateways (with their zones and positions) when the stack starts, and each
// device the first time one of its readings appears, so enriched readings carry
// zones and subject categories from the first minute of `make run`.
package registration
