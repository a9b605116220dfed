// Package storetest is the contract every store.Store implementation must
// pass, so the embedded store and the PostgreSQL store behave the same.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// RunContract runs the suite. open returns a new, empty store for each
// subtest; the suite closes it.
func RunContract(t *testing.T, open func() store.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"empty_store_has_nothing", emptyStoreHasNothing},
		{"commit_makes_entries_and_offsets_visible", commitMakesEntriesAndOffsetsVisible},
		{"nil_value_deletes_and_empty_value_is_kept", nilValueDeletesAndEmptyValueIsKept},
		{"later_commits_overwrite", laterCommitsOverwrite},
		{"scan_returns_prefix_in_key_order", scanReturnsPrefixInKeyOrder},
		{"scan_stops_at_callback_error", scanStopsAtCallbackError},
		{"invalid_batch_applies_nothing", invalidBatchAppliesNothing},
		{"cancelled_commit_applies_nothing", cancelledCommitAppliesNothing},
		{"offsets_of_other_partitions_are_kept", offsetsOfOtherPartitionsAreKept},
		{"returned_values_are_copies", returnedValuesAreCopies},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open()
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.run(t, s)
		})
	}
}

var (
	p0 = store.Partition{Topic: "azure.ble.enriched.v1", Partition: 0}
	p1 = store.Partition{Topic: "azure.ble.enriched.v1", Partition: 1}
	p2 = store.Partition{Topic: "registry.events.v1", Partition: 0}
)

// Put is a mutation setting key to value.
func Put(key, value string) store.Mutation { return store.Mutation{Key: key, Value: []byte(value)} }

// MustCommit commits b or fails t.
func MustCommit(t *testing.T, s store.Store, b store.Batch) {
	t.Helper()
	if err := s.Commit(t.Context(), b); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// Snapshot reads every entry and offset, to compare whole-store states.
func Snapshot(t *testing.T, s store.Store) string {
	t.Helper()
	var buf bytes.Buffer
	err := s.Scan(t.Context(), "", func(k string, v []byte) error {
		fmt.Fprintf(&buf, "%q=%q\n", k, v)
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	offs, err := s.Offsets(t.Context())
	if err != nil {
		t.Fatalf("Offsets: %v", err)
	}
	for _, p := range slices.SortedFunc(maps.Keys(offs), func(a, b store.Partition) int {
		return bytes.Compare([]byte(a.String()), []byte(b.String()))
	}) {
		fmt.Fprintf(&buf, "offset %s=%d\n", p, offs[p])
	}
	return buf.String()
}

func wantValue(t *testing.T, s store.Store, key, want string) {
	t.Helper()
	got, err := s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if string(got) != want {
		t.Errorf("Get(%q) = %q, want %q", key, got, want)
	}
}

func wantMissing(t *testing.T, s store.Store, key string) {
	t.Helper()
	if _, err := s.Get(t.Context(), key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(%q) error = %v, want ErrNotFound", key, err)
	}
}

func emptyStoreHasNothing(t *testing.T, s store.Store) {
	wantMissing(t, s, "device/a")
	if got := Snapshot(t, s); got != "" {
		t.Errorf("new store holds:\n%s", got)
	}
}

func commitMakesEntriesAndOffsetsVisible(t *testing.T, s store.Store) {
	MustCommit(t, s, store.Batch{
		Mutations: []store.Mutation{Put("device/a", "A"), Put("zone/x", "X")},
		Offsets:   map[store.Partition]int64{p0: 42, p1: 7},
	})
	wantValue(t, s, "device/a", "A")
	wantValue(t, s, "zone/x", "X")
	offs, err := s.Offsets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := map[store.Partition]int64{p0: 42, p1: 7}; !maps.Equal(offs, want) {
		t.Errorf("Offsets = %v, want %v", offs, want)
	}
}

func nilValueDeletesAndEmptyValueIsKept(t *testing.T, s store.Store) {
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{Put("a", "1"), Put("b", "2")}})
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{{Key: "a"}, {Key: "b", Value: []byte{}}, {Key: "never-written"}}})
	wantMissing(t, s, "a")
	wantValue(t, s, "b", "")
}

func laterCommitsOverwrite(t *testing.T, s store.Store) {
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{Put("k", "old")}, Offsets: map[store.Partition]int64{p0: 1}})
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{Put("k", "new")}, Offsets: map[store.Partition]int64{p0: 2}})
	wantValue(t, s, "k", "new")
	if offs, _ := s.Offsets(t.Context()); offs[p0] != 2 {
		t.Errorf("offset = %d, want 2", offs[p0])
	}
}

func scanReturnsPrefixInKeyOrder(t *testing.T, s store.Store) {
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{
		Put("device/b", "2"), Put("device/a", "1"), Put("device/a/x", "3"), Put("device0", "no"),
		Put("devic", "no"), Put("zone/a", "no"), Put("device/\xff", "4"),
	}})
	var got []string
	err := s.Scan(t.Context(), "device/", func(k string, v []byte) error {
		got = append(got, k+"="+string(v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"device/a=1", "device/a/x=3", "device/b=2", "device/\xff=4"}; !slices.Equal(got, want) {
		t.Errorf("Scan(device/) = %q, want %q", got, want)
	}
}

func scanStopsAtCallbackError(t *testing.T, s store.Store) {
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{Put("a", "1"), Put("b", "2"), Put("c", "3")}})
	stop := errors.New("stop here")
	calls := 0
	err := s.Scan(t.Context(), "", func(string, []byte) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Scan returned %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func invalidBatchAppliesNothing(t *testing.T, s store.Store) {
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{Put("k", "v1")}, Offsets: map[store.Partition]int64{p0: 10}})
	before := Snapshot(t, s)
	bad := []store.Batch{
		{Mutations: []store.Mutation{Put("k", "v2"), Put("", "x")}, Offsets: map[store.Partition]int64{p0: 11}},
		{Mutations: []store.Mutation{Put("k", "v2")}, Offsets: map[store.Partition]int64{p0: 11, p1: -1}},
		{Mutations: []store.Mutation{Put("k", "v2")}, Offsets: map[store.Partition]int64{{Topic: "", Partition: 0}: 1}},
		{Mutations: []store.Mutation{Put("k", "v2")}, Offsets: map[store.Partition]int64{{Topic: "t", Partition: -1}: 1}},
	}
	for i, b := range bad {
		if err := s.Commit(t.Context(), b); err == nil {
			t.Errorf("bad batch %d: Commit succeeded, want error", i)
		}
	}
	if after := Snapshot(t, s); after != before {
		t.Errorf("rejected batches changed the store:\nbefore\n%s\nafter\n%s", before, after)
	}
}

func cancelledCommitAppliesNothing(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Commit(ctx, store.Batch{Mutations: []store.Mutation{Put("k", "v")}, Offsets: map[store.Partition]int64{p0: 1}}); err == nil {
		t.Error("Commit with a cancelled context succeeded")
	}
	if got := Snapshot(t, s); got != "" {
		t.Errorf("cancelled commit left:\n%s", got)
	}
}

func offsetsOfOtherPartitionsAreKept(t *testing.T, s store.Store) {
	MustCommit(t, s, store.Batch{Offsets: map[store.Partition]int64{p0: 5, p1: 6, p2: 7}})
	MustCommit(t, s, store.Batch{Offsets: map[store.Partition]int64{p1: 60}})
	offs, err := s.Offsets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := map[store.Partition]int64{p0: 5, p1: 60, p2: 7}; !maps.Equal(offs, want) {
		t.Errorf("Offsets = %v, want %v", offs, want)
	}
}

func returnedValuesAreCopies(t *testing.T, s store.Store) {
	in := []byte("value")
	MustCommit(t, s, store.Batch{Mutations: []store.Mutation{{Key: "k", Value: in}}})
	in[0] = 'X' // the caller reuses its buffer
	got, err := s.Get(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	got[0] = 'Y'
	wantValue(t, s, "k", "value")
}
