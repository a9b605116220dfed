package enriched

import "strings"

// Zone locates a reading in the site hierarchy. Zone names are only unique
// within their floor, so every level is part of the identity.
type Zone struct {
	Site     string
	Building string
	Floor    string
	Zone     string
}

// IsZero reports whether the reading carries no zone at all (the gateway is
// not placed yet).
func (z Zone) IsZero() bool { return z == Zone{} }

// Key joins the levels into one identifier usable as a map or store key.
// "/" cannot appear inside a level (Validate rejects it), so Key is unambiguous.
func (z Zone) Key() string {
	if z.IsZero() {
		return ""
	}
	return z.Site + "/" + z.Building + "/" + z.Floor + "/" + z.Zone
}

// ParseZoneKey is the inverse of Key.
func ParseZoneKey(key string) (Zone, bool) {
	parts := strings.Split(key, "/")
	if len(parts) != 4 {
		return Zone{}, false
	}
	return Zone{Site: parts[0], Building: parts[1], Floor: parts[2], Zone: parts[3]}, true
}
