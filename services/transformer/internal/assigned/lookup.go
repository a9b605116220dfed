package assigned

import "sort"

// entry16 is one name for a 16-bit number.
type entry16 struct {
	id   uint16
	name string
}

// find searches a table sorted by id; lookups do not allocate.
func find(table []entry16, id uint16) (string, bool) {
	i := sort.Search(len(table), func(i int) bool { return table[i].id >= id })
	if i < len(table) && table[i].id == id {
		return table[i].name, true
	}
	return "", false
}

// Company returns the name of a Bluetooth SIG company identifier.
func Company(id uint16) (string, bool) { return find(companies, id) }

// Service returns the name of a 16-bit GATT service or member service UUID.
func Service(uuid uint16) (string, bool) { return find(services, uuid) }

// Characteristic returns the name of a 16-bit GATT characteristic UUID.
func Characteristic(uuid uint16) (string, bool) { return find(characteristics, uuid) }

// Appearance returns the name of a GAP appearance value: the sub-category name
// when one is defined, else the category name (bits 15-6 are the category).
func Appearance(v uint16) (string, bool) {
	if name, ok := find(appearances, v); ok {
		return name, true
	}
	return find(appearances, v&^0x3F)
}
