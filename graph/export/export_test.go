package export

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/storetest"
)

// fixtureStore returns an embedded store holding the conformance suite's
// fixture graph (see graph/storetest's package doc for its picture).
func fixtureStore(t *testing.T) graph.Store {
	t.Helper()
	st := memstore.OpenMemory()
	t.Cleanup(func() { st.Close() })
	if _, err := st.Apply(context.Background(), storetest.Fixture()); err != nil {
		t.Fatalf("applying the fixture: %v", err)
	}
	return st
}

// selectAll exports the whole fixture graph.
func selectAll(t *testing.T) (graph.Store, *Graph) {
	t.Helper()
	st := fixtureStore(t)
	g, err := Select(context.Background(), st, Filter{})
	if err != nil {
		t.Fatalf("Select: %v", err)
	}
	return st, g
}

// write runs a writer into a buffer.
func write(t *testing.T, fn func(io.Writer, *Graph) error, g *Graph) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := fn(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func node(t *testing.T, g *Graph, id string) *graph.Entity {
	t.Helper()
	for i := range g.Nodes {
		if g.Nodes[i].ID == id {
			return &g.Nodes[i]
		}
	}
	t.Fatalf("no node %s", id)
	return nil
}

// relationBetween finds the relation of type typ from one entity to
// another.
func relationBetween(t *testing.T, g *Graph, typ graph.RelType, from, to string) *graph.Relation {
	t.Helper()
	for i := range g.Relations {
		if r := &g.Relations[i]; r.Type == typ && r.From == from && r.To == to {
			return r
		}
	}
	t.Fatalf("no %s relation from %s to %s", typ, from, to)
	return nil
}

func evidenceTotal(g *Graph) int {
	n := 0
	for _, r := range g.Relations {
		n += len(r.Evidence)
	}
	return n
}
