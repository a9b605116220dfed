// Package geo turns gateway placements and signal strengths into places: geohashes of
// WGS84 positions, distance estimates from RSSI, and device positions trilaterated
// from several gateways' distance estimates.
package geo

import (
	"fmt"
	"math"
	"strings"
)

// geohashAlphabet is the base-32 alphabet of the geohash format (Gustavo Niemeyer,
// geohash.org; described at https://en.wikipedia.org/wiki/Geohash), which leaves out
// a, i, l and o.
const geohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

// MaxGeohashPrecision bounds the length: 12 characters are about 3.7 cm × 1.9 cm,
// finer than any BLE position, and 60 bits still fit the float64 mantissa.
const MaxGeohashPrecision = 12

// LatLon is a WGS84 position in degrees.
type LatLon struct {
	Lat, Lon float64
}

// Validate names the coordinate that lies outside the WGS84 range.
func (p LatLon) Validate() error {
	if math.IsNaN(p.Lat) || p.Lat < -90 || p.Lat > 90 {
		return fmt.Errorf("latitude %v: want a number in [-90, 90]", p.Lat)
	}
	if math.IsNaN(p.Lon) || p.Lon < -180 || p.Lon > 180 {
		return fmt.Errorf("longitude %v: want a number in [-180, 180]", p.Lon)
	}
	return nil
}

// Geohash encodes p with the given number of characters (1 to MaxGeohashPrecision),
// alternately halving the longitude and latitude ranges, longitude first.
func Geohash(p LatLon, precision int) (string, error) {
	if err := p.Validate(); err != nil {
		return "", fmt.Errorf("encoding geohash: %w", err)
	}
	if precision < 1 || precision > MaxGeohashPrecision {
		return "", fmt.Errorf("encoding geohash: precision %d: want 1 to %d", precision, MaxGeohashPrecision)
	}
	lat, lon := interval{-90, 90}, interval{-180, 180}
	var b strings.Builder
	b.Grow(precision)
	evenBit := true
	for range precision {
		var idx byte
		for range 5 {
			idx <<= 1
			if evenBit {
				idx |= lon.halve(p.Lon)
			} else {
				idx |= lat.halve(p.Lat)
			}
			evenBit = !evenBit
		}
		b.WriteByte(geohashAlphabet[idx])
	}
	return b.String(), nil
}

// Box is the cell a geohash names.
type Box struct {
	MinLat, MaxLat, MinLon, MaxLon float64
}

// Contains reports whether p lies in the box (edges included).
func (b Box) Contains(p LatLon) bool {
	return p.Lat >= b.MinLat && p.Lat <= b.MaxLat && p.Lon >= b.MinLon && p.Lon <= b.MaxLon
}

// GeohashBox decodes a geohash into its cell, naming the first invalid character.
func GeohashBox(hash string) (Box, error) {
	if hash == "" {
		return Box{}, fmt.Errorf("decoding geohash: empty string")
	}
	lat, lon := interval{-90, 90}, interval{-180, 180}
	evenBit := true
	for i := 0; i < len(hash); i++ {
		idx := strings.IndexByte(geohashAlphabet, hash[i])
		if idx < 0 {
			return Box{}, fmt.Errorf("decoding geohash %q: character %q at %d is not in the geohash alphabet", hash, hash[i], i)
		}
		for bit := 4; bit >= 0; bit-- {
			set := idx>>bit&1 == 1
			if evenBit {
				lon.narrow(set)
			} else {
				lat.narrow(set)
			}
			evenBit = !evenBit
		}
	}
	return Box{MinLat: lat.lo, MaxLat: lat.hi, MinLon: lon.lo, MaxLon: lon.hi}, nil
}

type interval struct{ lo, hi float64 }

// halve keeps the half of the interval holding v and returns 1 for the upper half.
func (iv *interval) halve(v float64) byte {
	mid := (iv.lo + iv.hi) / 2
	if v >= mid {
		iv.lo = mid
		return 1
	}
	iv.hi = mid
	return 0
}

func (iv *interval) narrow(upper bool) {
	mid := (iv.lo + iv.hi) / 2
	if upper {
		iv.lo = mid
	} else {
		iv.hi = mid
	}
}
