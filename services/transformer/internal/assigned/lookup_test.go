package assigned

import "testing"

// Expected names are from the Bluetooth SIG Assigned Numbers document (company
// identifiers 0x004C and 0x0499, GATT service 0x180F, characteristic 0x2A19,
// appearance category 0x03 "Watch" and sub-category 0x00C1 "Sports Watch").
func TestLookups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fn   func(uint16) (string, bool)
		id   uint16
		want string
	}{
		{"company_apple", Company, 0x004C, "Apple, Inc."},
		{"company_ruuvi", Company, 0x0499, "Ruuvi Innovations Ltd."},
		{"service_battery", Service, 0x180F, "Battery Service"},
		{"characteristic_battery_level", Characteristic, 0x2A19, "Battery Level"},
		{"appearance_watch_category", Appearance, 0x00C0, "Watch"},
		{"appearance_sports_watch", Appearance, 0x00C1, "Watch: Sports Watch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.fn(tt.id)
			if !ok || got != tt.want {
				t.Errorf("lookup(%#04x) = %q, %v; want %q", tt.id, got, ok, tt.want)
			}
		})
	}
	if name, ok := Service(0x0001); ok {
		t.Errorf("Service(0x0001) = %q; no service has that number", name)
	}
}

func TestTablesSorted(t *testing.T) {
	t.Parallel()
	for name, table := range map[string][]entry16{"companies": companies, "services": services, "characteristics": characteristics, "appearances": appearances} {
		for i := 1; i < len(table); i++ {
			if table[i-1].id >= table[i].id {
				t.Fatalf("%s not strictly sorted at %d: %#x then %#x", name, i, table[i-1].id, table[i].id)
			}
		}
	}
}

func BenchmarkCompany(b *testing.B) {
	for b.Loop() {
		Company(0x0499)
	}
}
