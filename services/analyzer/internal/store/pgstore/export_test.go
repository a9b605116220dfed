package pgstore

// SetScanPageSize makes Scan read n entries per query, so tests can cross
// page boundaries with a few keys.
func SetScanPageSize(s *Store, n int) { s.pageSize = n }
