package enriched

import (
	"errors"
	"fmt"
	"time"
)

// Erasure asks the analyzer to forget subjects: the enricher has destroyed
// their keys, and every projection derived from their pseudonyms must go.
type Erasure struct {
	// Subjects are the device pseudonyms to drop.
	Subjects    []string
	RequestedAt time.Time
}

// Validate names the first field that makes the erasure unusable.
func (e Erasure) Validate() error {
	if len(e.Subjects) == 0 {
		return errors.New("subjects: need at least one pseudonym")
	}
	for i, s := range e.Subjects {
		if s == "" {
			return fmt.Errorf("subjects[%d]: must not be empty", i)
		}
	}
	return nil
}
