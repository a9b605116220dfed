package ingest

import (
	"container/list"
	"sort"
	"time"
)

// Gateway is what ingest knows of one gateway.
type Gateway struct {
	ID             string
	LastSeen       time.Time
	Advertisements uint64
	LastSequence   uint64
}

type gatewayState struct {
	Gateway
	window window
}

// gateways keeps per-gateway state for at most max gateways, evicting the least
// recently seen, so a flood of made-up gateway ids cannot exhaust memory. An
// evicted gateway's retries are no longer recognised: they are published again
// (at-least-once, with the same ce_id) rather than lost.
type gateways struct {
	max  int
	lru  *list.List // front: most recently seen; values *gatewayState
	byID map[string]*list.Element
}

func newGateways(max int) *gateways {
	return &gateways{max: max, lru: list.New(), byID: map[string]*list.Element{}}
}

func (g *gateways) get(id string) *gatewayState {
	if e, ok := g.byID[id]; ok {
		return e.Value.(*gatewayState)
	}
	return nil
}

// touch returns the gateway's state, creating it, and marks it most recent.
func (g *gateways) touch(id string) *gatewayState {
	if e, ok := g.byID[id]; ok {
		g.lru.MoveToFront(e)
		return e.Value.(*gatewayState)
	}
	if g.lru.Len() >= g.max {
		oldest := g.lru.Back()
		g.lru.Remove(oldest)
		delete(g.byID, oldest.Value.(*gatewayState).ID)
	}
	s := &gatewayState{Gateway: Gateway{ID: id}}
	g.byID[id] = g.lru.PushFront(s)
	return s
}

func (g *gateways) list() []Gateway {
	out := make([]Gateway, 0, g.lru.Len())
	for e := g.lru.Front(); e != nil; e = e.Next() {
		out = append(out, e.Value.(*gatewayState).Gateway)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
