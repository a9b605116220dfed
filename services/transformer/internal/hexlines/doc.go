// Package hexlines is the core of `transformer decode`: advertising payloads
// as hex, one per line (optionally "address,rssi,hex"), in; one JSON reading
// per line out. A bad line gives an error line naming it and the run goes on,
// so a log with a few broken lines still decodes.
package hexlines
