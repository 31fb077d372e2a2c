package graph

import "testing"

func TestBatchAddCombinesDuplicates(t *testing.T) {
	doc1, doc2 := DocumentID("a"), DocumentID("b")
	p := EntityID(KindPerson, "p")
	ev := EntityID(KindEvent, "e")
	rel := func(doc string) Relation {
		id := RelationID(ParticipatedIn, p, ev, "party")
		return Relation{ID: id, Type: ParticipatedIn, From: p, To: ev, Role: "party",
			Evidence: []Evidence{{ID: EvidenceID(id, doc, 0, 4), Document: doc, Start: 0, End: 4, Confidence: 0.5}}}
	}
	var b Batch
	b.Add(Batch{Documents: []Document{{ID: doc1}}, Entities: []Entity{{ID: p, Kind: KindPerson, Name: "P", Aliases: []string{"x"}}}, Relations: []Relation{rel(doc1)}})
	b.Add(Batch{Documents: []Document{{ID: doc2}}, Entities: []Entity{{ID: p, Kind: KindPerson, Name: "P", Aliases: []string{"y"}}}, Relations: []Relation{rel(doc2)}})
	if len(b.Entities) != 1 || len(b.Relations) != 1 || len(b.Documents) != 2 {
		t.Fatalf("got %d entities, %d relations, %d documents; want 1, 1, 2", len(b.Entities), len(b.Relations), len(b.Documents))
	}
	if got := b.Entities[0].Aliases; len(got) != 2 {
		t.Errorf("aliases = %v, want x and y", got)
	}
	r := b.Relations[0]
	if r.EvidenceCount != 2 || r.Confidence != 0.75 {
		t.Errorf("evidence_count = %d, confidence = %v; want 2 and 0.75", r.EvidenceCount, r.Confidence)
	}
}
