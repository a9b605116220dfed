package projection

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// partitionStreams is a busy stretch in two zones spread over two
// partitions by device: visitors arriving, moving between the zones and
// going silent, with every partition's readings in event-time order.
func partitionStreams() [2][]enriched.Reading {
	var parts [2][]enriched.Reading
	for step := range 90 { // 10 s apart: 15 minutes
		at := time.Duration(step) * 10 * time.Second
		for v := range 6 {
			if step < v*8 || (v%3 == 0 && step > 50+v) {
				continue // arrives late; some leave early
			}
			z := zoneA
			if (step/(12+v))%2 == 1 {
				z = zoneB
			}
			parts[v%2] = append(parts[v%2], reading(fmt.Sprintf("v%d", v), at+time.Duration(v)*time.Second, z))
		}
	}
	return parts
}

// applyInterleaved hands both partitions over in chunks, ticking and
// settling at the low watermark less a lateness as the engine does, and
// finally ticks past every timeout.
func applyInterleaved(p *Projection, parts [2][]enriched.Reading, chunks [2]int) {
	const lateness = 10 * time.Second
	var newest [2]time.Time
	for len(parts[0])+len(parts[1]) > 0 {
		for i, n := range chunks {
			n = min(n, len(parts[i]))
			for _, r := range parts[i][:n] {
				newest[i] = r.EventTime
				if !newest[0].IsZero() && !newest[1].IsZero() {
					low := newest[0]
					if newest[1].Before(low) {
						low = newest[1]
					}
					p.Tick(low.Add(-lateness))
					p.Settle(low.Add(-lateness))
				}
				p.Apply(r)
			}
			parts[i] = parts[i][n:]
		}
	}
	p.Tick(t0.Add(30 * time.Minute))
	p.Settle(t0.Add(30 * time.Minute))
}

func TestOccupancy_peaks_do_not_depend_on_partition_interleaving(t *testing.T) {
	t.Parallel()
	occupancies := func(p *Projection) string {
		var b bytes.Buffer
		for _, z := range []enriched.Zone{zoneA, zoneB} {
			for _, w := range []time.Duration{time.Minute, 5 * time.Minute, time.Hour} {
				for _, end := range []time.Duration{3 * time.Minute, 9 * time.Minute, 15 * time.Minute} {
					o, err := p.Occupancy(z.Key(), t0.Add(end), w)
					if err != nil {
						t.Fatal(err)
					}
					fmt.Fprintf(&b, "%s %s@%s: peak %d mean %v\n", z.Zone, w, end, o.Peak, o.Mean)
				}
			}
		}
		return b.String()
	}
	want := newProjection(t, Config{})
	applyInterleaved(want, partitionStreams(), [2]int{1, 1})
	wantOcc, wantDump := occupancies(want), dump(t, want)
	if !bytes.Contains([]byte(wantOcc), []byte("peak 5")) {
		t.Fatalf("stream too thin to compare:\n%s", wantOcc)
	}
	for _, chunks := range [][2]int{{50, 3}, {2, 70}, {500, 1}} {
		t.Run(fmt.Sprintf("chunks_%d_%d", chunks[0], chunks[1]), func(t *testing.T) {
			t.Parallel()
			got := newProjection(t, Config{})
			applyInterleaved(got, partitionStreams(), chunks)
			if occ := occupancies(got); occ != wantOcc {
				t.Errorf("occupancy differs:\ngot\n%s\nwant\n%s", occ, wantOcc)
			}
			if d := dump(t, got); !bytes.Equal(d, wantDump) {
				t.Errorf("state differs:\ngot  %s\nwant %s", d, wantDump)
			}
		})
	}
}

func TestOccupancy_mean_is_time_weighted(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	// a is in the lab for the whole minute, b for its second half only.
	applyEvery(p, "a", zoneA, 0, time.Minute, 10*time.Second)
	applyEvery(p, "b", zoneA, 30*time.Second, time.Minute, 10*time.Second)
	p.Tick(t0.Add(10 * time.Minute)) // both leave at minute 1
	p.Settle(t0.Add(10 * time.Minute))
	got, err := p.Occupancy(zoneA.Key(), t0.Add(59*time.Second), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// Minute 0 is settled: 1 device for 30 s, then 2 for 30 s.
	if got.Peak != 2 || got.Mean != 1.5 {
		t.Errorf("minute 0: peak %d mean %v, want 2 and 1.5", got.Peak, got.Mean)
	}
	got, err = p.Occupancy(zoneA.Key(), t0.Add(10*time.Minute), 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// Minutes 1-10: both there at the instant of minute 1, then nobody.
	if got.Peak != 2 || got.Mean != 0 {
		t.Errorf("minutes 1-10: peak %d mean %v, want 2 and 0", got.Peak, got.Mean)
	}
}

func TestDevice_counts_readings_late_ones_included(t *testing.T) {
	t.Parallel()
	p := newProjection(t, Config{})
	applyEvery(p, "s1", zoneA, 0, time.Minute, 10*time.Second) // 7 readings
	p.Apply(reading("s1", 5*time.Second, zoneA))               // late
	d, ok := p.Device("s1")
	if !ok || d.Readings != 8 {
		t.Errorf("readings = %d, want 8", d.Readings)
	}
	restored := newProjection(t, Config{})
	if err := p.Dump(restored.Load); err != nil {
		t.Fatal(err)
	}
	if d, _ := restored.Device("s1"); d.Readings != 8 {
		t.Errorf("restored readings = %d, want 8", d.Readings)
	}
}
