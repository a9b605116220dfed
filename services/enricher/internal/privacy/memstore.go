package privacy

// MemoryKeystore keeps keys in process memory: for tests, single-process runs and as
// the cache in front of a durable store. Keys die with the process.
type MemoryKeystore struct{ keyTable }

var _ Keystore = (*MemoryKeystore)(nil)

// NewMemoryKeystore returns an empty in-memory keystore.
func NewMemoryKeystore() *MemoryKeystore { return &MemoryKeystore{newKeyTable()} }
