// Package registry is the event-sourced aggregate of gateways, devices and
// works-council agreements: commands are checked against the current projection and
// become events; applying events (live or replayed from registry.events.v1) builds
// the projection the enricher queries.
package registry

import (
	"errors"
	"fmt"
)

// Errors a command can fail with. The RPC edge maps them to not_found,
// already_exists, aborted and invalid_argument; test with errors.Is.
var (
	ErrNotFound        = errors.New("not found")
	ErrAlreadyExists   = errors.New("already exists")
	ErrVersionConflict = errors.New("version conflict")
	ErrInvalid         = errors.New("invalid")
)

// InvalidError names the command field that is wrong and why.
type InvalidError struct {
	Field  string
	Reason string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }

// Is makes errors.Is(err, ErrInvalid) hold.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ConflictError reports the version a command expected and the one it found.
type ConflictError struct {
	AggregateID string
	Expected    uint64
	Actual      uint64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: expected version %d, current version is %d", e.AggregateID, e.Expected, e.Actual)
}

// Is makes errors.Is(err, ErrVersionConflict) hold.
func (e *ConflictError) Is(target error) bool { return target == ErrVersionConflict }
