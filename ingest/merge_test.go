package ingest

import (
	"context"
	"reflect"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
)

// TestCrossDocumentEvents: the same meeting told by two outlets (dated a
// day apart) (in Arabic and in English) becomes one event carrying both
// reports' evidence; a different meeting of one of the same people stays
// apart; statements are never merged; re-ingesting changes nothing.
func TestCrossDocumentEvents(t *testing.T) {
	ctx := context.Background()
	st := memstore.OpenMemory()
	defer st.Close()
	p := testPipeline(t)
	reports := []Article{
		{URL: "https://example.org/ar/1", Outlet: "example.org", Language: "ar", Published: "2025-10-20",
			Text: "التقى خالد حفتر أمس في مدينة سرت وفدا من أعيان مصراتة. وأكد خالد حفتر أن اللقاء كان إيجابيا."},
		{URL: "https://example.com/en/2", Outlet: "example.com", Language: "en", Published: "2025-10-22",
			Text: "Khaled Haftar met Misrata notables in Sirte on Saturday. Khaled Haftar said the talks were positive."},
		{URL: "https://example.net/en/3", Outlet: "example.net", Language: "en", Published: "2025-10-21",
			Text: "Khaled Haftar met Aguila Saleh in Benghazi on Monday."},
	}
	var merges []graph.MergeRecord
	for _, a := range reports {
		b, err := p.Extract(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		_, m, err := Store(ctx, st, b)
		if err != nil {
			t.Fatal(err)
		}
		merges = append(merges, m...)
	}
	if len(merges) != 1 {
		t.Fatalf("%d merges, want 1 (the second report's meeting): %+v", len(merges), merges)
	}
	khaled := graph.EntityID(graph.KindPerson, "person/khaled-haftar")
	page, err := st.Events(ctx, graph.EventQuery{Actor: khaled, Types: []string{"meeting"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Fatalf("%d meetings of Khaled Haftar, want 2 (Misrata notables; Aguila Saleh): %+v", len(page.Items), page.Items)
	}
	var misrata graph.Entity
	for _, e := range page.Items {
		if e.ID == merges[0].Keep {
			misrata = e
		}
	}
	// Kept: the first report's event; dated by the earliest report
	// (Saturday the 18th), whatever the order.
	if misrata.ID == "" || misrata.Date != "2025-10-18" || len(misrata.MergedFrom) != 1 {
		t.Fatalf("kept meeting %+v, want the first report's, dated 2025-10-18, one event merged in", misrata)
	}
	rels, err := st.Relations(ctx, graph.RelationQuery{Entity: misrata.ID, Types: []graph.RelType{graph.Reports}, Direction: graph.Incoming})
	if err != nil {
		t.Fatal(err)
	}
	if len(rels.Items) != 2 {
		t.Errorf("the merged meeting is reported by %d documents, want 2", len(rels.Items))
	}
	part, err := st.Relations(ctx, graph.RelationQuery{Entity: misrata.ID, Types: []graph.RelType{graph.ParticipatedIn}, Direction: graph.Incoming})
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]bool{}
	for _, r := range part.Items {
		if r.From == khaled {
			for _, ev := range r.Evidence {
				docs[ev.Document] = true
			}
		}
	}
	if len(docs) != 2 {
		t.Errorf("Khaled Haftar's participation has evidence from %d reports, want 2", len(docs))
	}
	stmts, err := st.Events(ctx, graph.EventQuery{Actor: khaled, Types: []string{"statement"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts.Items) != 2 {
		t.Errorf("%d statements by Khaled Haftar, want 2: statements are not merged", len(stmts.Items))
	}

	before, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range reports {
		b, err := p.Extract(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if _, m, err := Store(ctx, st, b); err != nil || len(m) != 0 {
			t.Fatalf("re-ingesting: %d merges, %v", len(m), err)
		}
	}
	after, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		ch, _ := st.Changes(ctx, uint64(before.Changes), 20)
		for _, c := range ch.Items {
			e, _ := st.Entity(ctx, c.ID)
			t.Logf("%+v %+v", c, e)
		}
		t.Errorf("re-ingesting changed the store: %+v → %+v", before, after)
	}
}
