// Package source holds ble-ingest's local sources — capture replay, the
// simulated fleet and a local HCI controller — as adapters that feed the same
// ingest core the gateway RPC feeds, so every source yields the same events.
package source
