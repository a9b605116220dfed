// Package server is the transformer's Connect API: Decode for any internal
// caller or a person debugging a payload, ListDecoders, and ReloadPlugins. It
// is a thin adapter over package pipeline.
package server
