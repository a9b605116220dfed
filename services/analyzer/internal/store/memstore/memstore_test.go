package memstore_test

import (
	"testing"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/memstore"
	"github.com/bluestream/bluestream/services/analyzer/internal/store/storetest"
)

func TestContract(t *testing.T) {
	storetest.RunContract(t, func() store.Store { return memstore.New() })
}
