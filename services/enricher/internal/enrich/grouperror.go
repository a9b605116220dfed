package enrich

import (
	"errors"

	"github.com/bluestream/bluestream/services/enricher/internal/identity"
)

// ErrUnenrichable marks an observation whose copies were valid readings when
// they arrived but that cannot be enriched, e.g. because every receiving gateway
// was retired while its merge window was open. Trying again fails the same way,
// so adapters dead-letter its copies instead of stopping the stream.
var ErrUnenrichable = errors.New("cannot enrich observation")

// GroupError is the failure of one closed merge group. Its receivers name the
// copies (gateway and receive time) so an adapter can find their input records.
type GroupError struct {
	Observation identity.Observation[Reading]
	Err         error
}

func (e *GroupError) Error() string { return e.Err.Error() }
func (e *GroupError) Unwrap() error { return e.Err }

// GroupErrors splits err as Add, Advance and Flush return it into the failed
// groups and whatever else went wrong (nil when only groups failed).
func GroupErrors(err error) (groups []*GroupError, rest error) {
	if err == nil {
		return nil, nil
	}
	if ge, ok := err.(*GroupError); ok {
		return []*GroupError{ge}, nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil, err
	}
	var others []error
	for _, e := range joined.Unwrap() {
		g, r := GroupErrors(e)
		groups = append(groups, g...)
		if r != nil {
			others = append(others, r)
		}
	}
	return groups, errors.Join(others...)
}
