package neo4jstore_test

import (
	"fmt"
	"testing"

	"github.com/polgraph/polgraph/graph"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
)

// TestApplyReadsOnlyItsDocuments: an actor named, and a relation
// evidenced, in many reports is read by a write only as far as the
// write's own documents go, so that what a write carries does not grow
// with the graph (RELIABILITY.md, the soak's memory).
func TestApplyReadsOnlyItsDocuments(t *testing.T) {
	cfg := testConfig(t)
	s := open(t, cfg)
	actor := graph.EntityID(graph.KindPerson, "much reported")
	event := graph.EntityID(graph.KindEvent, "much reported event")
	rel := graph.RelationID(graph.ParticipatedIn, actor, event, "party")
	report := func(i int) *graph.Batch {
		doc := graph.DocumentID(fmt.Sprintf("https://example.org/report/%d", i))
		text := "The actor took part in the event."
		return &graph.Batch{
			Documents: []graph.Document{{ID: doc, Title: fmt.Sprint("report ", i), Text: text, Published: fmt.Sprintf("2025-01-%02d", i)}},
			Entities: []graph.Entity{
				{ID: actor, Kind: graph.KindPerson, Name: "Much Reported", Mentions: []graph.Mention{{Document: doc, Start: 4, End: 9, Text: "actor"}}},
				{ID: event, Kind: graph.KindEvent, Name: "The event"},
			},
			Relations: []graph.Relation{{ID: rel, Type: graph.ParticipatedIn, From: actor, To: event, Role: "party",
				Evidence: []graph.Evidence{{ID: graph.EvidenceID(rel, doc, 4, 32), Document: doc, Start: 4, End: 32,
					Text: text[4:32], Rule: "test", Confidence: 0.5 + float64(i)/100, Date: fmt.Sprintf("2025-01-%02d", i)}}}},
		}
	}
	const reports = 12
	for i := 1; i <= reports; i++ {
		if _, err := s.Apply(bg, report(i)); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := s.Relation(bg, rel)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Evidence) != reports || stored.FirstSeen != "2025-01-01" || stored.LastSeen != "2025-01-12" {
		t.Fatalf("stored relation has %d pieces, %s..%s; want %d, 2025-01-01..2025-01-12", len(stored.Evidence),
			stored.FirstSeen, stored.LastSeen, reports)
	}

	again := report(5)
	doc := again.Documents[0].ID
	ents, rels, err := neo4jstore.ReadForApply(bg, s, again)
	if err != nil {
		t.Fatal(err)
	}
	if e := ents[actor]; e == nil || len(e.Mentions) != 1 || e.Mentions[0].Document != doc {
		t.Errorf("Apply of report 5 read the actor's mentions %+v; want only report 5's one", e)
	}
	if r := rels[rel]; r == nil || len(r.Evidence) != 1 || r.Evidence[0].Document != doc {
		t.Errorf("Apply of report 5 read the relation's evidence %+v; want only report 5's piece", r)
	}
	res, err := s.Apply(bg, again)
	if err != nil {
		t.Fatal(err)
	}
	if res != (graph.ApplyResult{Unchanged: 4}) {
		t.Errorf("report 5 again: %+v, want 4 unchanged", res)
	}
	// A new report reads none of the others, and the whole is derived.
	ents, rels, err = neo4jstore.ReadForApply(bg, s, report(reports+1))
	if err != nil {
		t.Fatal(err)
	}
	if e := ents[actor]; e == nil || len(e.Mentions) != 0 {
		t.Errorf("a new report read the actor's mentions %+v; want none", e)
	}
	if r := rels[rel]; r == nil || len(r.Evidence) != 0 {
		t.Errorf("a new report read the relation's evidence %+v; want none", r)
	}
	if _, err := s.Apply(bg, report(reports+1)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Relation(bg, rel)
	if err != nil {
		t.Fatal(err)
	}
	want := graph.Derive(got)
	if len(got.Evidence) != reports+1 || got.EvidenceCount != want.EvidenceCount || got.Confidence != want.Confidence ||
		got.LastSeen != "2025-01-13" || got.FirstSeen != "2025-01-01" {
		t.Errorf("after report 13: %d pieces, count %d, confidence %v, %s..%s; the evidence gives %d, %v, %s..%s",
			len(got.Evidence), got.EvidenceCount, got.Confidence, got.FirstSeen, got.LastSeen,
			want.EvidenceCount, want.Confidence, want.FirstSeen, want.LastSeen)
	}
	e, err := s.Entity(bg, actor)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Mentions) != reports+1 {
		t.Errorf("the actor has %d mentions, want %d", len(e.Mentions), reports+1)
	}
}
