package storetest

import (
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func (s *suite) mergeTests() []subtest {
	return []subtest{
		{"Merge/MovesEverything", s.testMerge},
		{"Merge/LaterApplyLandsOnKept", s.testMergeLaterApply},
		{"Merge/Chain", s.testMergeChain},
		{"Merge/Errors", s.testMergeErrors},
	}
}

// Duplicate is a second entity for Khaled Haftar, as ingest might create
// from a misspelt report before an analyst merges it.
var Duplicate = graph.EntityID(graph.KindPerson, "khalid hafter")

// DuplicateBatch creates Duplicate with four relations: a fact Khaled Haftar
// also has (his part in the agreement, new evidence), a fact only the
// duplicate has (BASED_IN Sirte), a position Khaled Haftar also holds, and a
// MENTIONS from a document that also mentions him. Apply it after Fixture.
func DuplicateBatch() *graph.Batch {
	d1 := docAgreement()
	dup := graph.Entity{ID: Duplicate, Kind: graph.KindPerson, Name: "Khalid Hafter", NameAr: "خالد حفتر",
		Key: "khalid hafter", Aliases: []string{"K. Haftar"}, Title: "General", Subtype: "officer",
		FirstSeen: "2025-10-01", LastSeen: "2025-10-20"}
	return &graph.Batch{
		Entities: []graph.Entity{dup},
		Relations: []graph.Relation{
			rel(graph.ParticipatedIn, Duplicate, SirteAgreement, "party", "2025-10-20", d1.ev(2, "signed the agreement", 0.5)),
			rel(graph.BasedIn, Duplicate, Sirte, "", "", d1.ev(0, "in Sirte", 0.4)),
			rel(graph.HoldsPosition, Duplicate, GeneralCommand, "chief of staff of the land forces", "",
				d1.ev(2, "chief of staff of the land forces", 0.7)),
			mentions(DocAgreement, Duplicate, 1),
		},
	}
}

func (s *suite) testMerge(t *testing.T) {
	st := s.fixtureStore(t)
	dupBatch := DuplicateBatch()
	mustApply(t, st, dupBatch)
	keepBefore := mustEntity(t, st, KhaledHaftar)
	dropBefore := mustEntity(t, st, Duplicate)
	statsBefore := mustStats(t, st)
	changesBefore := allChanges(t, st)
	relsBefore := map[string]graph.Relation{}
	for _, r := range dupBatch.Relations {
		relsBefore[r.ID] = mustRelation(t, st, r.ID)
	}

	rec, err := st.Merge(ctx(), KhaledHaftar, Duplicate)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if rec.Keep != KhaledHaftar || rec.Drop != Duplicate || rec.At.IsZero() {
		t.Errorf("MergeRecord = %+v, want keep, drop and a time", rec)
	}
	sameJSON(t, "MergeRecord.Dropped", rec.Dropped, dropBefore)
	sameSet(t, "MergeRecord.Relations (the drop's relations, by their old ids)", rec.Relations, relIDs(dupBatch.Relations))

	// The kept entity gains the dropped one's names; the dropped id finds it.
	kept := mustEntity(t, st, KhaledHaftar)
	sameJSON(t, "kept entity", kept, graph.MergeEntity(keepBefore, dropBefore))
	for _, alias := range []string{"Khalid Hafter", "خالد حفتر", "K. Haftar"} {
		if !slices.Contains(kept.Aliases, alias) {
			t.Errorf("kept entity lacks alias %q: %q", alias, kept.Aliases)
		}
	}
	if kept.Name != "Khaled Haftar" || kept.Title != keepBefore.Title || !slices.Contains(kept.MergedFrom, Duplicate) {
		t.Errorf("kept entity = %+v: want its own name and title, and merged_from the duplicate", kept)
	}
	sameJSON(t, "Entity(dropped id)", mustEntity(t, st, Duplicate), kept)

	// Relations move; the same fact combines its evidence.
	resolve := func(id string) string {
		if id == Duplicate {
			return KhaledHaftar
		}
		return id
	}
	for _, old := range relsBefore {
		if _, err := st.Relation(ctx(), old.ID); !graph.Is(err, graph.NotFound) {
			t.Errorf("old relation %s %s still there: %v", old.Type, old.ID, err)
		}
		moved := graph.RehomeRelation(old, resolve)
		want := graph.Derive(moved)
		existing := wantRelations(graph.RelationQuery{Entity: KhaledHaftar})
		if slices.Contains(existing, moved.ID) {
			want = graph.UpsertRelation(storedRelation(fixtureRelation(t, moved.ID)), moved)
		}
		sameJSON(t, "moved "+string(old.Type), mustRelation(t, st, moved.ID), want)
	}
	agreement := mustRelation(t, st, graph.RelationID(graph.ParticipatedIn, KhaledHaftar, SirteAgreement, "party"))
	based := mustRelation(t, st, graph.RelationID(graph.BasedIn, KhaledHaftar, Sirte, ""))
	position := mustRelation(t, st, graph.RelationID(graph.HoldsPosition, KhaledHaftar, GeneralCommand, "chief of staff of the land forces"))
	mention := mustRelation(t, st, graph.RelationID(graph.Mentions, DocAgreement, KhaledHaftar, ""))
	if agreement.EvidenceCount != 3 || based.EvidenceCount != 1 || position.EvidenceCount != 2 || mention.Count != 3 {
		t.Errorf("evidence counts after the merge: agreement %d, based %d, position %d, mention count %d; want 3, 1, 2, 3",
			agreement.EvidenceCount, based.EvidenceCount, position.EvidenceCount, mention.Count)
	}
	for _, e := range based.Evidence {
		if e.ID != graph.EvidenceID(based.ID, e.Document, e.Start, e.End) {
			t.Errorf("moved evidence %s keeps an id derived from the old relation", e.ID)
		}
	}

	// Counts add up: one person fewer, as many pieces of evidence.
	want := statsBefore
	want.Entities = map[graph.Kind]int{}
	for k, n := range statsBefore.Entities {
		want.Entities[k] = n
	}
	want.Relations = map[graph.RelType]int{}
	for k, n := range statsBefore.Relations {
		want.Relations[k] = n
	}
	want.Entities[graph.KindPerson]--
	want.Relations[graph.ParticipatedIn]--
	want.Relations[graph.HoldsPosition]--
	want.Relations[graph.Mentions]--
	sameCounts(t, "Stats after the merge", mustStats(t, st), want)

	// The merge is in the change feed.
	changes := allChanges(t, st)
	var merged []graph.Change
	for _, c := range changes[len(changesBefore):] {
		if c.Op == graph.Merged {
			merged = append(merged, c)
		}
	}
	if len(merged) != 1 || merged[0].ID != Duplicate || merged[0].Into != KhaledHaftar || merged[0].Object != "entity" {
		t.Errorf("merged changes = %+v, want one for the duplicate into Khaled Haftar", merged)
	}

	// Queries by the dropped id answer for the kept entity.
	rels, err := st.Relations(ctx(), graph.RelationQuery{Entity: Duplicate})
	if err != nil {
		t.Fatal(err)
	}
	keptRels, err := st.Relations(ctx(), graph.RelationQuery{Entity: KhaledHaftar})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "Relations(dropped id)", rels, keptRels)
	if len(keptRels.Items) != 7 {
		t.Errorf("kept entity has %d relations, want 7 (6 of its own and BASED_IN Sirte)", len(keptRels.Items))
	}
	evs, err := st.Events(ctx(), graph.EventQuery{Actor: Duplicate})
	if err != nil || len(evs.Items) != 2 {
		t.Errorf("Events(actor: dropped id) = %d items, %v; want Khaled Haftar's 2", len(evs.Items), err)
	}
	paths, err := st.Paths(ctx(), graph.PathQuery{From: Duplicate, To: Misrata})
	if err != nil || len(paths) == 0 || paths[0].Nodes[0].ID != KhaledHaftar {
		t.Errorf("Paths(from: dropped id) = %v, %v; want paths from Khaled Haftar", len(paths), err)
	}
	net, err := st.Network(ctx(), graph.NetworkQuery{Entity: Duplicate})
	if err != nil || len(net.Nodes) == 0 || net.Nodes[0].ID != KhaledHaftar {
		t.Errorf("Network(dropped id) = %v; want it centred on Khaled Haftar", err)
	}
	hits, err := st.Search(ctx(), graph.SearchQuery{Text: "Khalid Hafter"})
	if err != nil || len(hits) == 0 || hits[0].Entity.ID != KhaledHaftar {
		t.Errorf("Search(Khalid Hafter) = %v, %v; want Khaled Haftar first", hitIDs(hits), err)
	}
	for _, h := range hits {
		if h.Entity.ID == Duplicate {
			t.Errorf("search still finds the dropped entity")
		}
	}
}

func (s *suite) testMergeLaterApply(t *testing.T) {
	st := s.fixtureStore(t)
	mustApply(t, st, DuplicateBatch())
	if _, err := st.Merge(ctx(), KhaledHaftar, Duplicate); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, st, Duplicate)

	// Applying what made the duplicate again changes nothing.
	res := mustApply(t, st, DuplicateBatch())
	if res.Created != 0 || res.Updated != 0 || res.Evidence != 0 {
		t.Errorf("re-applying the merged-away entity's batch: %+v, want nothing created or updated", res)
	}
	sameJSON(t, "state after re-applying the duplicate's batch", takeSnapshot(t, st, Duplicate), before)

	// New facts about the dropped id land on the kept entity.
	d2 := docStatement()
	family := rel(graph.FamilyOf, Duplicate, KhalifaHaftar, "son", "", d2.ev(0, "خالد خليفة حفتر", 0.5))
	opposed := rel(graph.OpposedTo, Duplicate, StabilityGov, "", "", d2.ev(2, "ونفى", 0.2))
	alias := graph.Entity{ID: Duplicate, Kind: graph.KindPerson, Name: "Khaled Belqasim Haftar"}
	res = mustApply(t, st, &graph.Batch{Entities: []graph.Entity{alias}, Relations: []graph.Relation{family, opposed}})
	if want := (graph.ApplyResult{Created: 1, Updated: 2, Evidence: 2}); res != want {
		t.Errorf("ApplyResult = %+v, want %+v (new relation; kept entity and family relation updated)", res, want)
	}
	fam := mustRelation(t, st, graph.RelationID(graph.FamilyOf, KhaledHaftar, KhalifaHaftar, "son"))
	if fam.EvidenceCount != 2 {
		t.Errorf("FAMILY_OF has %d evidence, want 2", fam.EvidenceCount)
	}
	if _, err := st.Relation(ctx(), graph.RelationID(graph.OpposedTo, KhaledHaftar, StabilityGov, "")); err != nil {
		t.Errorf("OPPOSED_TO did not land on the kept entity: %v", err)
	}
	if _, err := st.Relation(ctx(), opposed.ID); !graph.Is(err, graph.NotFound) {
		t.Errorf("relation stored under the dropped id: %v", err)
	}
	kept := mustEntity(t, st, KhaledHaftar)
	if kept.Name != "Khaled Haftar" || !slices.Contains(kept.Aliases, "Khaled Belqasim Haftar") {
		t.Errorf("kept entity = %s %q: want its name, and the new name as an alias", kept.Name, kept.Aliases)
	}
	if _, err := st.Entity(ctx(), Duplicate); err != nil {
		t.Errorf("Entity(dropped id): %v", err)
	}
	if n := mustStats(t, st).Entities[graph.KindPerson]; n != 5 {
		t.Errorf("%d persons, want 5: the dropped id came back as an entity", n)
	}
}

// testMergeChain merges a into b, then b into Khaled Haftar: a's id follows
// both merges.
func (s *suite) testMergeChain(t *testing.T) {
	st := s.fixtureStore(t)
	mustApply(t, st, DuplicateBatch())
	third := graph.Entity{ID: graph.EntityID(graph.KindPerson, "k haftar"), Kind: graph.KindPerson, Name: "K. Hiftar"}
	mustApply(t, st, &graph.Batch{Entities: []graph.Entity{third}, Relations: []graph.Relation{
		rel(graph.MemberOf, third.ID, GeneralCommand, "", "", docAgreement().ev(2, "the General Command", 0.3)),
	}})
	if _, err := st.Merge(ctx(), Duplicate, third.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Merge(ctx(), KhaledHaftar, Duplicate); err != nil {
		t.Fatal(err)
	}
	got := mustEntity(t, st, third.ID)
	if got.ID != KhaledHaftar || !slices.Contains(got.MergedFrom, third.ID) || !slices.Contains(got.MergedFrom, Duplicate) ||
		!slices.Contains(got.Aliases, "K. Hiftar") {
		t.Errorf("Entity(twice merged id) = %s %q merged from %q", got.ID, got.Aliases, got.MergedFrom)
	}
	if _, err := st.Relation(ctx(), graph.RelationID(graph.MemberOf, KhaledHaftar, GeneralCommand, "")); err != nil {
		t.Errorf("relation of the first drop did not follow both merges: %v", err)
	}
	// A merge through a dropped id acts on the entity it resolves to. (The
	// two are father and son; merging them is an analyst's mistake the store
	// carries out all the same.) The FAMILY_OF between them would join the
	// entity to itself: it goes, and the record lists it.
	family := graph.RelationID(graph.FamilyOf, KhaledHaftar, KhalifaHaftar, "son")
	rec, err := st.Merge(ctx(), third.ID, KhalifaHaftar)
	if err != nil {
		t.Fatalf("Merge(keep: twice merged id): %v", err)
	}
	if rec.Keep != KhaledHaftar || !slices.Contains(rec.Relations, family) {
		t.Errorf("MergeRecord = keep %s, relations %v; want Khaled Haftar, with the FAMILY_OF", entityName(rec.Keep), rec.Relations)
	}
	if got := mustEntity(t, st, KhalifaHaftar); got.ID != KhaledHaftar {
		t.Errorf("Entity(Khalifa) after merging into a dropped id = %s, want Khaled Haftar", entityName(got.ID))
	}
	page, err := st.Relations(ctx(), graph.RelationQuery{Entity: KhaledHaftar, Limit: graph.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Items {
		if r.From == r.To {
			t.Errorf("merge left a relation from an entity to itself: %s %s", r.Type, r.ID)
		}
	}
	if _, err := st.Relation(ctx(), family); !graph.Is(err, graph.NotFound) {
		t.Errorf("FAMILY_OF between the merged entities: %v, want it gone", err)
	}
}

func (s *suite) testMergeErrors(t *testing.T) {
	st := s.fixtureStore(t)
	before := takeSnapshot(t, st)
	for _, c := range []struct {
		name       string
		keep, drop string
		code       graph.Code
	}{
		{"same entity", KhaledHaftar, KhaledHaftar, graph.Invalid},
		{"unknown keep", unknownID, KhaledHaftar, graph.NotFound},
		{"unknown drop", KhaledHaftar, unknownID, graph.NotFound},
		{"malformed", "khaled", KhaledHaftar, graph.Invalid},
		{"different kinds", KhaledHaftar, Sirte, graph.Invalid},
		{"documents", DocAgreement, DocStatement, graph.Invalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.Merge(ctx(), c.keep, c.drop)
			wantCode(t, "Merge", err, c.code)
			sameJSON(t, "state after a failed merge", takeSnapshot(t, st), before)
		})
	}
}
