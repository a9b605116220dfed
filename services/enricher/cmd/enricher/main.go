// Command enricher joins decoded readings with the event-sourced registry and
// publishes pseudonymised ReadingEnriched events on ble.enriched.v1 exactly once
// per input; it serves RegistryService, whose commands become registry.events.v1.
package main

import (
	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/services/enricher/service"
)

func main() { app.Main("enricher", service.New()) }
