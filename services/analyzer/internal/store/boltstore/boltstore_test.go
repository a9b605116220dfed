package boltstore_test

import (
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/boltstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/storetest"
)

func TestContract(t *testing.T) {
	storetest.RunContract(t, func() store.Store {
		s, err := boltstore.Open(t.TempDir())
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

func TestReopen_keeps_committed_state(t *testing.T) {
	dir := t.TempDir()
	s, err := boltstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := store.Partition{Topic: "azure.ble.enriched.v1", Partition: 3}
	err = s.Commit(t.Context(), store.Batch{
		Mutations: []store.Mutation{{Key: "device/a", Value: []byte("A")}},
		Offsets:   map[store.Partition]int64{p: 99},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = boltstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.Get(t.Context(), "device/a")
	offs, oerr := s.Offsets(t.Context())
	if err != nil || oerr != nil || string(v) != "A" || offs[p] != 99 {
		t.Errorf("after reopen: value %q (%v), offset %d (%v); want A and 99", v, err, offs[p], oerr)
	}
}
