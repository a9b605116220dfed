package enriched

import "fmt"

// Category is the data-protection subject category of a device. The zero
// value is unknown, like a Protobuf enum's unspecified value, so a missing
// field maps to it.
type Category uint8

// Subject categories.
const (
	CategoryUnknown Category = iota
	CategoryEmployee
	CategoryVisitor
	CategoryAsset
	CategorySensor
)

var categoryNames = [...]string{"unknown", "employee", "visitor", "asset", "sensor"}

// String returns the lower-case name used in logs, filters and state.
func (c Category) String() string {
	if int(c) < len(categoryNames) {
		return categoryNames[c]
	}
	return fmt.Sprintf("category(%d)", uint8(c))
}

// ParseCategory is the inverse of String.
func ParseCategory(s string) (Category, error) {
	for i, name := range categoryNames {
		if name == s {
			return Category(i), nil
		}
	}
	return CategoryUnknown, fmt.Errorf("unknown subject category %q", s)
}

// Valid reports whether c is one of the defined categories.
func (c Category) Valid() bool { return int(c) < len(categoryNames) }
