package geo

import (
	"strings"
	"testing"
)

func TestGeohashPublishedExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		p         LatLon
		precision int
		want      string
	}{
		// https://en.wikipedia.org/wiki/Geohash: 57.64911,10.40744 (Jutland) is u4pruydqqvj.
		{name: "wikipedia_jutland", p: LatLon{57.64911, 10.40744}, precision: 11, want: "u4pruydqqvj"},
		// geohash.org/ezs42 is the classic example cell near León, Spain (42.6, −5.6).
		{name: "wikipedia_ezs42", p: LatLon{42.605, -5.603}, precision: 5, want: "ezs42"},
		{name: "origin", p: LatLon{0, 0}, precision: 4, want: "s000"},
		{name: "south_west_corner", p: LatLon{-90, -180}, precision: 3, want: "000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Geohash(tt.p, tt.precision)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Geohash(%v, %d) = %s, want %s", tt.p, tt.precision, got, tt.want)
			}
		})
	}
}

func TestGeohashBoxContainsPoint(t *testing.T) {
	t.Parallel()
	// Frankfurt (Main) Hauptbahnhof, roughly.
	p := LatLon{50.1071, 8.6636}
	for precision := 1; precision <= MaxGeohashPrecision; precision++ {
		h, err := Geohash(p, precision)
		if err != nil {
			t.Fatal(err)
		}
		box, err := GeohashBox(h)
		if err != nil {
			t.Fatal(err)
		}
		if !box.Contains(p) {
			t.Fatalf("box of %s = %+v does not contain %v", h, box, p)
		}
		if precision > 1 {
			parent, _ := Geohash(p, precision-1)
			if !strings.HasPrefix(h, parent) {
				t.Fatalf("%s does not extend its parent %s", h, parent)
			}
		}
	}
}

func TestGeohashRejectsBadInput(t *testing.T) {
	t.Parallel()
	bad := []struct {
		p         LatLon
		precision int
		mention   string
	}{
		{LatLon{91, 0}, 5, "latitude"},
		{LatLon{0, -181}, 5, "longitude"},
		{LatLon{0, 0}, 0, "precision"},
		{LatLon{0, 0}, 13, "precision"},
	}
	for _, b := range bad {
		_, err := Geohash(b.p, b.precision)
		if err == nil || !strings.Contains(err.Error(), b.mention) {
			t.Errorf("Geohash(%v, %d) error = %v, want one naming %s", b.p, b.precision, err, b.mention)
		}
	}
	if _, err := GeohashBox("u4pa"); err == nil || !strings.Contains(err.Error(), `'a'`) {
		t.Errorf("GeohashBox with 'a' error = %v", err)
	}
}
