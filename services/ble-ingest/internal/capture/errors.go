package capture

import "fmt"

// CorruptError reports a capture file that cannot be read further. Records read
// before it stay valid; Record is the 1-based number of the record that failed
// and Offset the byte position in the file where reading stopped.
type CorruptError struct {
	Format string
	Record int
	Offset int64
	Err    error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: record %d at byte %d: %v", e.Format, e.Record, e.Offset, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }
