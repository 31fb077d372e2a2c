package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func (s *suite) scanTests() []subtest {
	return []subtest{
		{"Scan/Fixture", s.testScanFixture},
		{"Scan/Pages", s.testScanPages},
		{"Scan/StopsAtError", s.testScanStops},
		{"Scan/AfterMerge", s.testScanAfterMerge},
	}
}

// scanAll returns what Scan gives, in its order.
func scanAll(t *testing.T, st graph.Store) []graph.Object {
	t.Helper()
	var out []graph.Object
	if err := st.Scan(ctx(), func(o graph.Object) error { out = append(out, o); return nil }); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return out
}

// scanOrder checks Scan's order: documents by id, entities by kind then
// id, relations by type then id, each object exactly one of the three.
func scanOrder(t *testing.T, objs []graph.Object) (docs, ents, rels int) {
	t.Helper()
	stage, last := 0, ""
	for i, o := range objs {
		set := 0
		var st int
		var key string
		if o.Document != nil {
			set, st, key = set+1, 0, o.Document.ID
		}
		if o.Entity != nil {
			set, st, key = set+1, 1, fmt.Sprintf("%02d %s", slices.Index(graph.Kinds, o.Entity.Kind), o.Entity.ID)
			if o.Entity.Kind == graph.KindDocument {
				t.Errorf("object %d: Scan gave a document's own node %s as an entity", i, o.Entity.ID)
			}
		}
		if o.Relation != nil {
			set, st, key = set+1, 2, fmt.Sprintf("%02d %s", slices.Index(graph.RelTypes, o.Relation.Type), o.Relation.ID)
		}
		if set != 1 {
			t.Fatalf("object %d has %d fields set, want exactly one", i, set)
		}
		if st < stage || st == stage && key <= last {
			t.Fatalf("object %d (%s) is out of order after %s", i, key, last)
		}
		stage, last = st, key
		switch st {
		case 0:
			docs++
		case 1:
			ents++
		default:
			rels++
		}
	}
	return docs, ents, rels
}

// testScanFixture: Scan gives every object of the fixture once, each as the
// single-object reads give it.
func (s *suite) testScanFixture(t *testing.T) {
	st := s.fixtureStore(t)
	objs := scanAll(t, st)
	docs, ents, rels := scanOrder(t, objs)
	b := Fixture()
	if docs != len(b.Documents) || ents != len(b.Entities) || rels != len(b.Relations) {
		t.Errorf("Scan gave %d documents, %d entities, %d relations; the fixture has %d, %d, %d",
			docs, ents, rels, len(b.Documents), len(b.Entities), len(b.Relations))
	}
	for _, o := range objs {
		switch {
		case o.Document != nil:
			d, err := st.Document(ctx(), o.Document.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "scanned document "+d.ID, *o.Document, d)
		case o.Entity != nil:
			sameJSON(t, "scanned entity "+o.Entity.Name, *o.Entity, mustEntity(t, st, o.Entity.ID))
		default:
			r, err := st.Relation(ctx(), o.Relation.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "scanned relation "+r.ID, *o.Relation, r)
		}
	}
}

// testScanPages scans more objects of one kind and type than a backend reads
// at a time.
func (s *suite) testScanPages(t *testing.T) {
	st := s.open(t)
	n := graph.ScanPage + graph.ScanPage/2
	doc := docGazetteer()
	b := &graph.Batch{Documents: []graph.Document{doc.Document}}
	region := graph.Entity{ID: graph.EntityID(graph.KindPlace, "scan region"), Kind: graph.KindPlace, Name: "Scan Region"}
	b.Entities = append(b.Entities, region)
	for i := range n {
		name := fmt.Sprintf("Scan Town %04d", i)
		town := graph.Entity{ID: graph.EntityID(graph.KindPlace, name), Kind: graph.KindPlace, Name: name}
		b.Entities = append(b.Entities, town)
		b.Relations = append(b.Relations, rel(graph.LocatedIn, town.ID, region.ID, "", "", doc.ev(2, "Tripoli", 1)))
	}
	mustApply(t, st, b)
	docs, ents, rels := scanOrder(t, scanAll(t, st))
	if docs != 1 || ents != n+1 || rels != n {
		t.Errorf("Scan gave %d documents, %d entities, %d relations; want 1, %d, %d", docs, ents, rels, n+1, n)
	}
}

func (s *suite) testScanStops(t *testing.T) {
	st := s.fixtureStore(t)
	stop := errors.New("enough")
	calls := 0
	err := st.Scan(ctx(), func(graph.Object) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("Scan with fn failing on the third object: %v after %d calls; want fn's error after 3", err, calls)
	}
}

// testScanAfterMerge: an entity merged away is not scanned; the one it went
// into is, with its relations.
func (s *suite) testScanAfterMerge(t *testing.T) {
	st := s.fixtureStore(t)
	if _, err := st.Merge(ctx(), KhaledHaftar, KhalifaHaftar); err != nil {
		t.Fatal(err)
	}
	for _, o := range scanAll(t, st) {
		if o.Entity != nil && o.Entity.ID == KhalifaHaftar {
			t.Errorf("Scan gave the merged-away entity %s", KhalifaHaftar)
		}
		if r := o.Relation; r != nil && (r.From == KhalifaHaftar || r.To == KhalifaHaftar) {
			t.Errorf("Scan gave relation %s still joined to the merged-away entity", r.ID)
		}
	}
}
