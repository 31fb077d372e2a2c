package ndjson_test

import (
	"bytes"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// openNeo4j returns an empty store on the Neo4j that NEO4J_URI names,
// through internal/neo4jtest: the test holds the lock on its one database
// while it runs (so tests of other packages take turns with it), and it is
// wiped before and after. Without NEO4J_URI the test skips, unless CI is
// set. Opening a second store in a test wipes what the first held: the
// round trips open the next store only when done with the last one.
func openNeo4j(t *testing.T) graph.Store {
	t.Helper()
	return neo4jtest.Open(t, neo4jtest.Config(t))
}

// TestRoundTripMemoryNeo4j: the embedded store exports, Neo4j imports and
// exports the same bytes, and the embedded store imports that again; the
// answers are the same on all three.
func TestRoundTripMemoryNeo4j(t *testing.T) {
	neo4jtest.Config(t) // skip before doing anything without a Neo4j
	src := openMemory(t)
	loadFixture(t, src)
	chain(t, "memstore", src, next{"neo4j", openNeo4j}, next{"memstore", openMemory})
}

// TestRoundTripNeo4jMemory: the other way, from a graph built (and merged)
// in Neo4j. Its export is also the export of the same writes made to the
// embedded store: the format does not depend on the backend.
func TestRoundTripNeo4jMemory(t *testing.T) {
	src := openNeo4j(t)
	loadFixture(t, src)
	out := chain(t, "neo4j", src, next{"memstore", openMemory}, next{"neo4j", openNeo4j})

	mem := openMemory(t)
	loadFixture(t, mem)
	if want := export(t, mem); !bytes.Equal(out, want) {
		t.Errorf("the same writes export differently from Neo4j and the embedded store:\n%s", lineDiff(want, out))
	}
}
