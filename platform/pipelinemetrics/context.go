package pipelinemetrics

import (
	"context"
	"time"
)

type batchKey struct{}

// ContextWithBatch returns ctx carrying b, for adapters that hand records to a
// per-record transform (eventbus.Transform) which knows a reading's receive
// time but not the transaction it belongs to.
func ContextWithBatch(ctx context.Context, b *Batch) context.Context {
	return context.WithValue(ctx, batchKey{}, b)
}

// Delivered notes a reading on the batch ctx carries, if any: see
// Batch.Delivered.
func Delivered(ctx context.Context, receivedAt time.Time) {
	b, _ := ctx.Value(batchKey{}).(*Batch)
	b.Delivered(receivedAt)
}
