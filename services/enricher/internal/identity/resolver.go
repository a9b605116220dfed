package identity

import (
	"crypto/cipher"
	"sync"
)

// Resolver maps resolvable private addresses to the owners of the IRKs that generated
// them. Resolution tries every key (the spec offers no shortcut), so results are
// cached per address: a device keeps one RPA for minutes and is heard many times.
type Resolver struct {
	mu       sync.RWMutex
	keys     []ownedKey
	cache    map[Address]string
	cacheCap int
	// generation counts key changes so a scan that raced with Set is not cached.
	generation uint64
}

type ownedKey struct {
	owner string
	block cipher.Block
}

// NewResolver returns an empty resolver whose cache holds at most cacheCap addresses
// (a non-positive cacheCap disables caching).
func NewResolver(cacheCap int) *Resolver {
	return &Resolver{cache: make(map[Address]string), cacheCap: cacheCap}
}

// Set replaces the keys registered for owner (an empty list removes the owner), and
// forgets cached results so no address resolves to a key that is gone.
func (r *Resolver) Set(owner string, keys []IRK) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept := r.keys[:0:0]
	for _, k := range r.keys {
		if k.owner != owner {
			kept = append(kept, k)
		}
	}
	for _, k := range keys {
		kept = append(kept, ownedKey{owner: owner, block: k.cipher()})
	}
	r.keys = kept
	r.generation++
	clear(r.cache)
}

// Resolve returns the owner whose IRK generated a, if any.
func (r *Resolver) Resolve(a Address) (owner string, ok bool) {
	if a[0]>>6 != 0b01 {
		return "", false
	}
	r.mu.RLock()
	owner, ok = r.cache[a]
	if ok {
		r.mu.RUnlock()
		return owner, owner != ""
	}
	keys, generation := r.keys, r.generation
	r.mu.RUnlock()
	for _, k := range keys {
		if ah(k.block, a.Prand()) == a.Hash() {
			owner = k.owner
			break
		}
	}
	r.remember(a, owner, generation)
	return owner, owner != ""
}

// remember caches a result, including misses (empty owner), because unknown phones
// outnumber registered badges and would otherwise cost a full key scan on every copy.
func (r *Resolver) remember(a Address, owner string, generation uint64) {
	if r.cacheCap <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if generation != r.generation {
		return
	}
	if len(r.cache) >= r.cacheCap {
		// Dropping everything keeps the bound simple; rotation makes old entries stale anyway.
		clear(r.cache)
	}
	r.cache[a] = owner
}
