package memstore_test

import (
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) graph.Store { return open(t, t.TempDir()) })
}

func TestConformanceInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) graph.Store { return open(t, "") })
}

// open opens a store in dir ("" for memory only) and closes it when the test ends.
func open(t *testing.T, dir string) *memstore.Store {
	t.Helper()
	s, err := memstore.Open(dir)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
