package neo4jstore_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/polgraph/polgraph/graph"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
	"github.com/polgraph/polgraph/graph/storetest"
)

// TestMigrateListsFromVersion2 writes the fixture, turns the graph back
// into schema version 2 by hand (mentions and evidence as one JSON
// property each), and opens it again: the migration must give back the
// same graph, with the old properties gone, and later writes must build on
// it.
func TestMigrateListsFromVersion2(t *testing.T) {
	cfg := testConfig(t)
	s := open(t, cfg)
	if _, err := s.Apply(bg, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	before := scanAll(t, s)
	sess := rawSession(t, cfg)
	run := func(cypher string, params map[string]any) {
		t.Helper()
		res, err := sess.Run(bg, cypher, params)
		if err == nil {
			_, err = res.Consume(bg)
		}
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
	}
	mentioned, evidenced := 0, 0
	for _, o := range before {
		switch {
		case o.Entity != nil && len(o.Entity.Mentions) > 0:
			b, _ := json.Marshal(o.Entity.Mentions)
			run("MATCH (n:Entity {id: $id}) SET n.mentions = $json", map[string]any{"id": o.Entity.ID, "json": string(b)})
			mentioned++
		case o.Relation != nil:
			b, _ := json.Marshal(o.Relation.Evidence)
			docs := []string{}
			for _, e := range o.Relation.Evidence {
				docs = append(docs, e.Document)
			}
			run("MATCH ()-[r {id: $id}]->() SET r.evidence = $json, r.evidence_documents = $docs "+
				"REMOVE r.confidence_values, r.confidence_counts", map[string]any{"id": o.Relation.ID, "json": string(b), "docs": docs})
			evidenced++
		}
	}
	if mentioned == 0 || evidenced == 0 {
		t.Fatalf("fixture has %d entities with mentions and %d relations", mentioned, evidenced)
	}
	run("MATCH (n) WHERE n:Mentions OR n:Evidence DELETE n", nil)
	run("MATCH (m:Meta {name: 'schema'}) SET m.version = 2", nil)

	s2, err := neo4jstore.Open(bg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.Ready(bg); err != nil {
		t.Fatal(err)
	}
	after := scanAll(t, s2)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the migrated graph differs from the one written:\n before %d objects\n after  %d objects", len(before), len(after))
		for i := range min(len(before), len(after)) {
			if !reflect.DeepEqual(before[i], after[i]) {
				b, _ := json.Marshal(before[i])
				a, _ := json.Marshal(after[i])
				t.Errorf("first difference:\n before %s\n after  %s", b, a)
				break
			}
		}
	}
	count := func(cypher string) int64 {
		t.Helper()
		res, err := sess.Run(bg, cypher, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := res.Single(bg)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := rec.Values[0].(int64)
		return n
	}
	if n := count("MATCH (n:Entity) WHERE n.mentions IS NOT NULL RETURN count(n)"); n != 0 {
		t.Errorf("%d entities still have a mentions property", n)
	}
	if n := count("MATCH ()-[r]->() WHERE r.evidence IS NOT NULL OR r.evidence_documents IS NOT NULL RETURN count(r)"); n != 0 {
		t.Errorf("%d relationships still have an evidence property", n)
	}
	if n := count("MATCH ()-[r]->() WHERE r.confidence_values IS NULL AND type(r) <> 'NAMES' RETURN count(r)"); n != 0 {
		t.Errorf("%d relationships have no confidence tally", n)
	}
	if n := count("MATCH (m:Meta {name: 'schema'}) RETURN m.version"); n != 3 {
		t.Errorf("schema version %d, want 3", n)
	}

	// A later report that changes a piece of a migrated relation's
	// evidence: what Apply derives from the tally the migration made
	// must be what the whole evidence gives.
	var rel *graph.Relation
	for _, o := range before {
		if o.Relation != nil && len(o.Relation.Evidence) >= 2 {
			rel = o.Relation
			break
		}
	}
	if rel == nil {
		t.Fatal("the fixture has no relation with two pieces of evidence")
	}
	in := *rel
	piece := rel.Evidence[0]
	piece.Confidence = 0.11
	in.Evidence = []graph.Evidence{piece}
	if _, err := s2.Apply(bg, &graph.Batch{Relations: []graph.Relation{in}}); err != nil {
		t.Fatal(err)
	}
	got, err := s2.Relation(bg, rel.ID)
	if err != nil {
		t.Fatal(err)
	}
	whole := *rel
	whole.Evidence = append([]graph.Evidence{piece}, rel.Evidence[1:]...)
	want := graph.Derive(whole)
	if got.Confidence != want.Confidence || got.EvidenceCount != want.EvidenceCount || got.FirstSeen != want.FirstSeen ||
		got.LastSeen != want.LastSeen || !reflect.DeepEqual(got.Evidence, want.Evidence) {
		t.Errorf("relation %s after a later Apply: confidence %v, %d evidence, %s..%s; want %v, %d, %s..%s",
			rel.ID, got.Confidence, got.EvidenceCount, got.FirstSeen, got.LastSeen,
			want.Confidence, want.EvidenceCount, want.FirstSeen, want.LastSeen)
	}
	if got.Confidence == rel.Confidence {
		t.Errorf("confidence stayed %v though a piece went from %v to 0.11", got.Confidence, rel.Evidence[0].Confidence)
	}
}

func scanAll(t *testing.T, s graph.Store) []graph.Object {
	t.Helper()
	var out []graph.Object
	if err := s.Scan(bg, func(o graph.Object) error { out = append(out, o); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}
