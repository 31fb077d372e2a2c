package storetest

import (
	"fmt"
	"sort"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// unknownID is a well-formed id that no fixture object has.
var unknownID = graph.EntityID(graph.KindPerson, "nobody at all")

func (s *suite) readTests() []subtest {
	return []subtest{
		{"Entity/Errors", s.testEntityErrors},
		{"Document/Get", s.testDocument},
		{"Relation/Get", s.testRelation},
	}
}

func (s *suite) testEntityErrors(t *testing.T) {
	st := s.fixtureStore(t)
	_, err := st.Entity(ctx(), unknownID)
	wantCode(t, "Entity(unknown)", err, graph.NotFound)
	_, err = st.Entity(ctx(), "Khaled Haftar")
	wantCode(t, "Entity(malformed)", err, graph.Invalid)
	_, err = st.Entity(ctx(), "")
	wantCode(t, "Entity(empty)", err, graph.Invalid)
	// The empty store knows nothing either.
	_, err = s.open(t).Entity(ctx(), KhaledHaftar)
	wantCode(t, "Entity on an empty store", err, graph.NotFound)
}

func (s *suite) testDocument(t *testing.T) {
	st := s.fixtureStore(t)
	d := docStatement()
	got, err := st.Document(ctx(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "Document", got, d.Document)
	if got.Text == "" || got.Language != "ar" {
		t.Errorf("Document lost its text or language: %+v", got)
	}
	e := mustEntity(t, st, d.ID)
	if e.Kind != graph.KindDocument || e.Name != d.Title || e.Date != d.Published {
		t.Errorf("document entity = %+v, want a Document named by its title and dated", e)
	}
	_, err = st.Document(ctx(), unknownID)
	wantCode(t, "Document(unknown)", err, graph.NotFound)
	_, err = st.Document(ctx(), KhaledHaftar)
	wantCode(t, "Document(a person)", err, graph.NotFound)
	_, err = st.Document(ctx(), "doc-1")
	wantCode(t, "Document(malformed)", err, graph.Invalid)
}

func (s *suite) testRelation(t *testing.T) {
	st := s.fixtureStore(t)
	id := graph.RelationID(graph.ParticipatedIn, KhaledHaftar, SirteAgreement, "party")
	got := mustRelation(t, st, id)
	sameJSON(t, "Relation", got, storedRelation(fixtureRelation(t, id)))
	if got.EvidenceCount != 2 || len(got.Evidence) != 2 || got.Evidence[0].Text == "" {
		t.Errorf("Relation has %d/%d evidence, want both, with text", got.EvidenceCount, len(got.Evidence))
	}
	if got.Other != nil {
		t.Errorf("Relation(id) filled Other; it is only for queries from one entity")
	}
	m := mustRelation(t, st, graph.RelationID(graph.Mentions, DocAgreement, KhaledHaftar, ""))
	if m.Count != 3 || m.EvidenceCount != 0 || m.Confidence != 1 || m.Evidence == nil {
		t.Errorf("MENTIONS = %+v, want count 3, no evidence (an empty list), confidence 1", m)
	}
	_, err := st.Relation(ctx(), graph.RelationID(graph.ParticipatedIn, KhaledHaftar, SirteAgreement, "host"))
	wantCode(t, "Relation(unknown)", err, graph.NotFound)
	_, err = st.Relation(ctx(), "r1")
	wantCode(t, "Relation(malformed)", err, graph.Invalid)
}

func (s *suite) relationsTests() []subtest {
	return []subtest{
		{"Relations/Filters", s.testRelationsFilters},
		{"Relations/Other", s.testRelationsOther},
		{"Lists/LeaveOutMentions", s.testListsLeaveOutMentions},
		{"Relations/Pagination", s.testRelationsPagination},
		{"Relations/Errors", s.testRelationsErrors},
	}
}

// wantRelations is the reference answer to a relation query over the
// fixture: every relation at the entity that passes the filters, by id.
func wantRelations(q graph.RelationQuery) []string {
	var out []string
	for _, r := range Fixture().Relations {
		r = storedRelation(r)
		switch {
		case q.Direction == graph.Outgoing && r.From != q.Entity,
			q.Direction == graph.Incoming && r.To != q.Entity,
			r.From != q.Entity && r.To != q.Entity:
			continue
		}
		if graph.RelationMatches(&r, q.Types, q.Window, q.MinConfidence) {
			out = append(out, r.ID)
		}
	}
	sort.Strings(out)
	return out
}

func (s *suite) testRelationsFilters(t *testing.T) {
	st := s.fixtureStore(t)
	cases := []struct {
		name string
		q    graph.RelationQuery
		n    int // hand count, to check the reference too
	}{
		{"all", graph.RelationQuery{Entity: KhaledHaftar}, 6},
		{"out", graph.RelationQuery{Entity: KhaledHaftar, Direction: graph.Outgoing}, 4},
		{"in", graph.RelationQuery{Entity: KhaledHaftar, Direction: graph.Incoming}, 2},
		{"type", graph.RelationQuery{Entity: KhaledHaftar, Types: []graph.RelType{graph.ParticipatedIn}}, 2},
		{"two types", graph.RelationQuery{Entity: KhaledHaftar, Types: []graph.RelType{graph.FamilyOf, graph.Mentions}}, 3},
		{"type in", graph.RelationQuery{Entity: KhalifaHaftar, Types: []graph.RelType{graph.FamilyOf}, Direction: graph.Incoming}, 1},
		{"type out, none", graph.RelationQuery{Entity: KhalifaHaftar, Types: []graph.RelType{graph.FamilyOf}, Direction: graph.Outgoing}, 0},
		{"window from", graph.RelationQuery{Entity: KhaledHaftar, Window: graph.Window{From: "2025-10-20"}}, 3},
		{"window to", graph.RelationQuery{Entity: KhaledHaftar, Window: graph.Window{To: "2025-10-19"}}, 1},
		{"window coarse", graph.RelationQuery{Entity: StabilityGov, Window: graph.Window{From: "2025-03", To: "2025-03"}}, 1},
		{"undated excluded by a window", graph.RelationQuery{Entity: Libya, Window: graph.Window{From: "2000"}}, 0},
		{"undated kept without a window", graph.RelationQuery{Entity: Libya}, 3},
		{"min confidence", graph.RelationQuery{Entity: KhaledHaftar, MinConfidence: 0.91}, 4},
		{"combined", graph.RelationQuery{Entity: KhaledHaftar, Direction: graph.Outgoing, MinConfidence: 0.91,
			Window: graph.Window{From: "2025-10-20", To: "2025-10-20"}}, 2},
		{"document", graph.RelationQuery{Entity: DocAgreement}, 5},
		{"group", graph.RelationQuery{Entity: MisrataLeaders}, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := st.Relations(ctx(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			want := wantRelations(c.q)
			if len(want) != c.n {
				t.Fatalf("reference gives %d relations, hand count %d: fix the suite", len(want), c.n)
			}
			sameIDs(t, "relation ids", relIDs(page.Items), want)
			if page.Next != "" {
				t.Errorf("Next = %q on the only page", page.Next)
			}
			if page.Items == nil {
				t.Errorf("Items is nil; an empty page is an empty list")
			}
		})
	}
}

func (s *suite) testRelationsOther(t *testing.T) {
	st := s.fixtureStore(t)
	mentioned := 0
	for _, id := range []string{KhaledHaftar, GeneralCommand, DocStatement} {
		for _, withMentions := range []bool{false, true} {
			page, err := st.Relations(ctx(), graph.RelationQuery{Entity: id, WithMentions: withMentions})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				far := r.To
				if r.To == id {
					far = r.From
				}
				if r.Other == nil {
					t.Fatalf("relation %s has no Other", r.ID)
				}
				want := mustEntity(t, st, far)
				if len(want.Mentions) > 0 && withMentions {
					mentioned++
				}
				if !withMentions {
					want = listed(want)
				}
				sameJSON(t, fmt.Sprintf("Other of %s (with mentions: %t)", r.Type, withMentions), *r.Other, want)
				r.Other = nil
				sameJSON(t, "relation "+string(r.Type), r, storedRelation(fixtureRelation(t, r.ID)))
			}
		}
	}
	if mentioned == 0 {
		t.Fatal("no Other had mentions to keep: the fixture no longer tests WithMentions")
	}
}

// testListsLeaveOutMentions checks the promise graph.Store makes for
// every answer that lists entities, on entities that have mentions.
func (s *suite) testListsLeaveOutMentions(t *testing.T) {
	st := s.fixtureStore(t)
	if len(mustEntity(t, st, KhaledHaftar).Mentions) == 0 {
		t.Fatal("Khaled Haftar has no mentions: the fixture no longer tests this")
	}
	var listed []graph.Entity
	hits, err := st.Search(ctx(), graph.SearchQuery{Text: "Haftar"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		listed = append(listed, h.Entity)
	}
	net, err := st.Network(ctx(), graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	listed = append(listed, net.Nodes...)
	paths, err := st.Paths(ctx(), graph.PathQuery{From: KhaledHaftar, To: Misrata})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		listed = append(listed, p.Nodes...)
	}
	events, err := st.Events(ctx(), graph.EventQuery{Actor: KhaledHaftar})
	if err != nil {
		t.Fatal(err)
	}
	listed = append(listed, events.Items...)
	page, err := st.Relations(ctx(), graph.RelationQuery{Entity: DocAgreement})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Items {
		listed = append(listed, *r.Other)
	}
	hadMentions := 0
	for _, e := range listed {
		if len(e.Mentions) > 0 {
			t.Errorf("%s %s listed with %d mentions", e.Kind, e.ID, len(e.Mentions))
		}
		if len(mustEntity(t, st, e.ID).Mentions) > 0 {
			hadMentions++
		}
	}
	if hadMentions < 3 || len(hits) == 0 || len(paths) == 0 || len(events.Items) == 0 {
		t.Fatalf("%d listed entities have mentions (%d hits, %d paths, %d events): too few to test", hadMentions, len(hits), len(paths), len(events.Items))
	}
}

func (s *suite) testRelationsPagination(t *testing.T) {
	st := s.fixtureStore(t)
	for _, q := range []graph.RelationQuery{
		{Entity: KhaledHaftar},
		{Entity: MisrataLeaders, Types: []graph.RelType{graph.ParticipatedIn}},
		{Entity: GeneralCommand, Direction: graph.Incoming},
	} {
		all := wantRelations(q)
		for _, limit := range []int{1, 2, 3} {
			q := q
			q.Limit = limit
			var got []string
			pages := 0
			for {
				page, err := st.Relations(ctx(), q)
				if err != nil {
					t.Fatalf("page %d: %v", pages, err)
				}
				pages++
				if len(page.Items) > limit || len(page.Items) == 0 {
					t.Fatalf("limit %d: page %d has %d items", limit, pages, len(page.Items))
				}
				got = append(got, relIDs(page.Items)...)
				if page.Next == "" {
					break
				}
				if pages > len(all) {
					t.Fatalf("limit %d: more pages than relations", limit)
				}
				q.Cursor = page.Next
			}
			sameIDs(t, "paged relations", got, all)
			if want := (len(all) + limit - 1) / limit; pages != want {
				t.Errorf("limit %d over %d relations: %d pages, want %d (no empty last page)", limit, len(all), pages, want)
			}
		}
	}
	// A cursor stays good after the page it came from changes: it marks a
	// position in id order, not an offset.
	q := graph.RelationQuery{Entity: KhaledHaftar, Limit: 2}
	page, err := st.Relations(ctx(), q)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, st, &graph.Batch{Relations: []graph.Relation{
		rel(graph.AlliedWith, KhaledHaftar, MisrataLeaders, "", "", docAgreement().ev(0, "Khaled Haftar met security", 0.3)),
	}})
	q.Cursor, q.Limit = page.Next, graph.MaxPageSize
	rest, err := st.Relations(ctx(), q)
	if err != nil {
		t.Fatal(err)
	}
	all := wantRelations(graph.RelationQuery{Entity: KhaledHaftar})
	all = append(all, graph.RelationID(graph.AlliedWith, KhaledHaftar, MisrataLeaders, ""))
	sort.Strings(all)
	var want []string
	for _, id := range all {
		if id > page.Items[1].ID {
			want = append(want, id)
		}
	}
	sameIDs(t, "page after the cursor once a relation was added", relIDs(rest.Items), want)
}

func (s *suite) testRelationsErrors(t *testing.T) {
	st := s.fixtureStore(t)
	cases := []struct {
		name string
		q    graph.RelationQuery
		code graph.Code
	}{
		{"unknown entity", graph.RelationQuery{Entity: unknownID}, graph.NotFound},
		{"malformed entity", graph.RelationQuery{Entity: "haftar"}, graph.Invalid},
		{"unknown type", graph.RelationQuery{Entity: KhaledHaftar, Types: []graph.RelType{"KNOWS"}}, graph.Invalid},
		{"bad direction", graph.RelationQuery{Entity: KhaledHaftar, Direction: "up"}, graph.Invalid},
		{"bad window", graph.RelationQuery{Entity: KhaledHaftar, Window: graph.Window{From: "October"}}, graph.Invalid},
		{"bad confidence", graph.RelationQuery{Entity: KhaledHaftar, MinConfidence: 2}, graph.Invalid},
		{"bad cursor", graph.RelationQuery{Entity: KhaledHaftar, Cursor: "%%%"}, graph.Invalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.Relations(ctx(), c.q)
			wantCode(t, "Relations", err, c.code)
		})
	}
	// The limit is clamped, not refused.
	page, err := st.Relations(ctx(), graph.RelationQuery{Entity: KhaledHaftar, Limit: graph.MaxPageSize * 10})
	if err != nil || len(page.Items) != 6 {
		t.Errorf("huge limit: %d items, %v; want all 6", len(page.Items), err)
	}
}
