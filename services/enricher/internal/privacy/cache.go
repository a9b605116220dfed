package privacy

import "sync"

// pseudonymCache remembers computed pseudonyms. A nil cache caches nothing, so the
// pseudonymizer needs no branches for the uncached case.
type pseudonymCache struct {
	mu      sync.Mutex
	entries map[cacheKey]Pseudonym
	size    int
}

type cacheKey struct {
	tenant    string
	subject   string
	anonymous bool
	ref       string
	period    int64
}

func newPseudonymCache(size int) *pseudonymCache {
	if size <= 0 {
		return nil
	}
	return &pseudonymCache{entries: make(map[cacheKey]Pseudonym, size), size: size}
}

func (c *pseudonymCache) get(k cacheKey) (Pseudonym, bool) {
	if c == nil {
		return Pseudonym{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.entries[k]
	return p, ok
}

func (c *pseudonymCache) put(k cacheKey, p Pseudonym) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.size {
		// Starting over keeps the bound without bookkeeping; periods roll over anyway.
		clear(c.entries)
	}
	c.entries[k] = p
}

func (c *pseudonymCache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
