// Package gen holds the Go code generated from proto/ by `make generate`; nothing
// here is edited by hand.
package gen
