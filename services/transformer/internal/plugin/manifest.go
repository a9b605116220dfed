package plugin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
)

// Manifest says what a plugin is called and what selects it.
type Manifest struct {
	Name         string   `json:"name"`
	CompanyIDs   []uint16 `json:"company_ids"`
	ServiceUUIDs []string `json:"service_uuids"` // 16-bit, as 4 hex digits, e.g. "fcd2"

	uuids []uint16
}

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// parseManifest reads and checks a manifest; errors name the field.
func parseManifest(data []byte) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("parsing manifest: %w", err)
	}
	if !validName.MatchString(m.Name) {
		return m, fmt.Errorf("name: want 1-63 lower-case letters, digits, '.', '_' or '-', got %q", m.Name)
	}
	if len(m.CompanyIDs) == 0 && len(m.ServiceUUIDs) == 0 {
		return m, fmt.Errorf("company_ids, service_uuids: a plugin needs at least one selector")
	}
	for i, s := range m.ServiceUUIDs {
		v, err := strconv.ParseUint(s, 16, 16)
		if err != nil || len(s) != 4 {
			return m, fmt.Errorf("service_uuids[%d]: want a 16-bit UUID as 4 hex digits, got %q", i, s)
		}
		m.uuids = append(m.uuids, uint16(v))
		m.ServiceUUIDs[i] = fmt.Sprintf("%04x", v) // one spelling in listings
	}
	return m, nil
}
