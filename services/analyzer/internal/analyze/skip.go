package analyze

// Skip marks the record at o as consumed without applying it: a record the
// adapter could not even decode (wrong type, bad bytes) goes to the
// dead-letter topic, and its offset must still advance with the next
// commit, or a restart would dead-letter it a second time. It reports
// false when o was consumed before.
func (e *Engine) Skip(o Offset) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.claim(o)
}
