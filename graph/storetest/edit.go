package storetest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func (s *suite) editTests() []subtest {
	return []subtest{
		{"Edit/Create", s.testEditCreate},
		{"Edit/Update", s.testEditUpdate},
		{"Edit/NoChange", s.testEditNoChange},
		{"Edit/Delete", s.testEditDelete},
		{"Edit/MergeAndUnmerge", s.testEditMergeUnmerge},
		{"Edit/UnmergeKeepsLaterEvidence", s.testUnmergeLaterEvidence},
		{"Edit/UnmergeStoreMerge", s.testUnmergeStoreMerge},
		{"Edit/UnmergeChain", s.testUnmergeChain},
		{"Edit/UnmergeErrors", s.testUnmergeErrors},
		{"Edit/Audit", s.testAudit},
	}
}

func mustEdit(t *testing.T, st graph.Store, e graph.Edit) graph.AuditRecord {
	t.Helper()
	rec, err := st.Edit(ctx(), e)
	if err != nil {
		t.Fatalf("Edit(%s %s): %v", e.Op, entityName(e.ID), err)
	}
	if rec.Seq == 0 {
		t.Fatalf("Edit(%s %s) changed nothing", e.Op, entityName(e.ID))
	}
	return rec
}

// auditAll reads the whole audit log.
func auditAll(t *testing.T, st graph.Store) []graph.AuditRecord {
	t.Helper()
	p, err := st.Audit(ctx(), graph.AuditQuery{Limit: graph.MaxPageSize})
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	return p.Items
}

// sameScan fails unless two Scans of stores give the same objects.
func sameScan(t *testing.T, what string, got, want []graph.Object) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) == string(w) {
		return
	}
	for i := range max(len(got), len(want)) {
		var a, b []byte
		if i < len(got) {
			a, _ = json.Marshal(got[i])
		}
		if i < len(want) {
			b, _ = json.Marshal(want[i])
		}
		if string(a) != string(b) {
			t.Fatalf("%s: Scan differs at object %d:\n got  %s\n want %s", what, i, a, b)
		}
	}
}

// changesSince returns the change feed after the first n entries.
func changesSince(t *testing.T, st graph.Store, n int) []graph.Change {
	t.Helper()
	all := allChanges(t, st)
	return all[n:]
}

func hasChange(cs []graph.Change, op graph.Op, object, id string) bool {
	return slices.ContainsFunc(cs, func(c graph.Change) bool { return c.Op == op && c.Object == object && c.ID == id })
}

func (s *suite) testEditCreate(t *testing.T) {
	st := s.fixtureStore(t)
	nChanges := len(allChanges(t, st))
	lat, lon := 32.9, 13.2
	in := graph.Entity{Kind: graph.KindPerson, Name: "Abdulhamid Dbeibah", NameAr: "عبد الحميد الدبيبة",
		Aliases: []string{"Dbeibah", "Abdul Hamid Dbeibah"}, Title: "Prime Minister",
		Lat: &lat, Lon: &lon, Mentions: []graph.Mention{{Document: DocAgreement, Start: 0, End: 3}}}
	rec := mustEdit(t, st, graph.Edit{Op: graph.EditCreate, Entity: in, Actor: "analyst", Reason: "missing"})
	id := graph.EntityID(graph.KindPerson, "abdulhamid dbeibah") // the normalised name, as ingest keys it
	if rec.Op != graph.EditCreate || rec.Entity != id || rec.Actor != "analyst" || rec.Reason != "missing" ||
		rec.Before != nil || rec.After == nil || rec.At.IsZero() || rec.Seq != 1 {
		t.Fatalf("audit record = %+v", rec)
	}
	got := mustEntity(t, st, id)
	sameJSON(t, "created entity", got, *rec.After)
	if got.Key != "abdulhamid dbeibah" || got.Title != "Prime Minister" || got.Lat == nil || *got.Lat != lat ||
		len(got.Mentions) != 0 || !slices.Equal(got.Aliases, []string{"Abdul Hamid Dbeibah", "Dbeibah"}) {
		t.Errorf("created entity = %+v: want the key from the name, the editable fields given, and no mentions", got)
	}
	cs := changesSince(t, st, nChanges)
	if len(cs) != 1 || !hasChange(cs, graph.Created, graph.ObjectEntity, id) {
		t.Errorf("changes = %+v, want one created entity", cs)
	}
	hits, err := st.Search(ctx(), graph.SearchQuery{Text: "Dbeibah"})
	if err != nil || len(hits) == 0 || hits[0].Entity.ID != id {
		t.Errorf("Search(Dbeibah) = %v, %v; want the new entity", hitIDs(hits), err)
	}

	// Again: the id is taken.
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditCreate, Entity: in})
	wantCode(t, "create again", err, graph.Conflict)
	if !strings.Contains(err.Error(), id) {
		t.Errorf("conflict %q does not name the id %s", err, id)
	}
	// A key given is the key.
	org := mustEdit(t, st, graph.Edit{Op: graph.EditCreate, Entity: graph.Entity{Kind: graph.KindOrganization,
		Name: "Presidential Council", Key: "gaz:presidential-council"}})
	if org.Entity != graph.EntityID(graph.KindOrganization, "gaz:presidential-council") || org.Seq != 2 {
		t.Errorf("create with a key: %+v", org)
	}
	// An id merged away is taken too.
	mustApply(t, st, DuplicateBatch())
	if _, err := st.Merge(ctx(), KhaledHaftar, Duplicate); err != nil {
		t.Fatal(err)
	}
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditCreate, Entity: graph.Entity{Kind: graph.KindPerson,
		Name: "Khalid Hafter", Key: "khalid hafter"}})
	wantCode(t, "create of a merged-away id", err, graph.Conflict)

	before := scanAll(t, st)
	for _, c := range []struct {
		name string
		e    graph.Entity
	}{
		{"document", graph.Entity{Kind: graph.KindDocument, Name: "A report"}},
		{"no kind", graph.Entity{Name: "Someone"}},
		{"no name", graph.Entity{Kind: graph.KindPerson, NameAr: "شخص"}},
		{"bad date", graph.Entity{Kind: graph.KindEvent, Name: "An event", Date: "20 October"}},
		{"half coordinates", graph.Entity{Kind: graph.KindPlace, Name: "Somewhere", Lat: &lat}},
		{"wrong id", graph.Entity{ID: KhaledHaftar, Kind: graph.KindPerson, Name: "Someone Else"}},
	} {
		_, err := st.Edit(ctx(), graph.Edit{Op: graph.EditCreate, Entity: c.e})
		wantCode(t, "create: "+c.name, err, graph.Invalid)
	}
	sameScan(t, "after refused creates", scanAll(t, st), before)
	if n := len(auditAll(t, st)); n != 2 {
		t.Errorf("audit log holds %d records, want 2: refused edits record nothing", n)
	}
}

func (s *suite) testEditUpdate(t *testing.T) {
	st := s.fixtureStore(t)
	nChanges := len(allChanges(t, st))
	cur := mustEntity(t, st, KhaledHaftar)
	etag := graph.EntityETag(cur)

	in := cur
	in.Aliases = append(slices.Clone(cur.Aliases), "Abu Saddam")
	in.Title = "Lt. Gen. (ret.)"
	in.Mentions, in.FirstSeen, in.Key = nil, "1999-01-01", "something else" // not editable: ignored
	rec := mustEdit(t, st, graph.Edit{Op: graph.EditUpdate, ID: KhaledHaftar, Entity: in, IfMatch: etag, Actor: "a"})
	got := mustEntity(t, st, KhaledHaftar)
	want := cur
	want.Aliases = []string{"Abu Saddam", "Khaled Hifter", "Khalid Haftar"}
	want.Title = "Lt. Gen. (ret.)"
	sameJSON(t, "updated entity", got, want)
	sameJSON(t, "audit before", rec.Before, &cur)
	sameJSON(t, "audit after", rec.After, &got)
	if rec.Op != graph.EditUpdate || rec.Entity != KhaledHaftar || rec.Relations != 0 {
		t.Errorf("audit record = %+v", rec)
	}
	cs := changesSince(t, st, nChanges)
	if len(cs) != 1 || !hasChange(cs, graph.Updated, graph.ObjectEntity, KhaledHaftar) {
		t.Errorf("changes = %+v, want one updated entity", cs)
	}
	hits, err := st.Search(ctx(), graph.SearchQuery{Text: "Abu Saddam"})
	if err != nil || len(hits) == 0 || hits[0].Entity.ID != KhaledHaftar {
		t.Errorf("Search(new alias) = %v, %v; want Khaled Haftar", hitIDs(hits), err)
	}

	// The old ETag is stale now.
	stale := in
	stale.Title = "General"
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditUpdate, ID: KhaledHaftar, Entity: stale, IfMatch: etag})
	wantCode(t, "update with a stale If-Match", err, graph.Precondition)
	sameJSON(t, "entity after a refused update", mustEntity(t, st, KhaledHaftar), got)

	// Without IfMatch the update goes through; removing an alias and
	// renaming take the old names out of search.
	in = got
	in.Aliases = []string{"Khaled Hifter", "Khalid Haftar"}
	in.Name = "Khaled Belqasim Haftar"
	mustEdit(t, st, graph.Edit{Op: graph.EditUpdate, ID: KhaledHaftar, Entity: in})
	hits, err = st.Search(ctx(), graph.SearchQuery{Text: "Abu Saddam"})
	if err != nil || slices.Contains(hitIDs(hits), KhaledHaftar) {
		t.Errorf("Search(removed alias) = %v, %v; want no Khaled Haftar", hitIDs(hits), err)
	}
	hits, err = st.Search(ctx(), graph.SearchQuery{Text: "Belqasim"})
	if err != nil || len(hits) == 0 || hits[0].Entity.ID != KhaledHaftar {
		t.Errorf("Search(new name) = %v, %v; want Khaled Haftar", hitIDs(hits), err)
	}

	// Edits name entities exactly.
	mustApply(t, st, DuplicateBatch())
	if _, err := st.Merge(ctx(), KhaledHaftar, Duplicate); err != nil {
		t.Fatal(err)
	}
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditUpdate, ID: Duplicate, Entity: in})
	wantCode(t, "update through a merged-away id", err, graph.NotFound)
	if !strings.Contains(err.Error(), KhaledHaftar) {
		t.Errorf("error %q does not say where the id went", err)
	}
	for _, c := range []struct {
		name string
		e    graph.Edit
		code graph.Code
	}{
		{"unknown", graph.Edit{Op: graph.EditUpdate, ID: unknownID, Entity: in}, graph.NotFound},
		{"malformed id", graph.Edit{Op: graph.EditUpdate, ID: "khaled", Entity: in}, graph.Invalid},
		{"no name", graph.Edit{Op: graph.EditUpdate, ID: Sirte, Entity: graph.Entity{NameAr: "سرت"}}, graph.Invalid},
		{"other kind", graph.Edit{Op: graph.EditUpdate, ID: Sirte, Entity: graph.Entity{Kind: graph.KindPerson, Name: "Sirte"}}, graph.Invalid},
		{"document", graph.Edit{Op: graph.EditUpdate, ID: DocAgreement, Entity: graph.Entity{Name: "A report"}}, graph.Invalid},
		{"bad op", graph.Edit{Op: "rename", ID: Sirte}, graph.Invalid},
	} {
		_, err := st.Edit(ctx(), c.e)
		wantCode(t, "update: "+c.name, err, c.code)
	}
}

func (s *suite) testEditNoChange(t *testing.T) {
	st := s.fixtureStore(t)
	before := takeSnapshot(t, st)
	cur := mustEntity(t, st, Misrata)
	rec, err := st.Edit(ctx(), graph.Edit{Op: graph.EditUpdate, ID: Misrata, Entity: cur, IfMatch: graph.EntityETag(cur)})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Seq != 0 {
		t.Errorf("an update that changes nothing has Seq %d, want 0", rec.Seq)
	}
	sameJSON(t, "entity after a no-op update", rec.After, &cur)
	// Lists in another order are the same lists.
	in := cur
	in.Aliases = []string{"Misurata", "Misrata", " Misurata "}
	if rec, err := st.Edit(ctx(), graph.Edit{Op: graph.EditUpdate, ID: Misrata, Entity: in}); err != nil || rec.Seq != 0 {
		t.Errorf("update with the same names written differently: %+v, %v; want no change", rec, err)
	}
	sameJSON(t, "state after no-op updates", takeSnapshot(t, st), before)
	if a := auditAll(t, st); len(a) != 0 {
		t.Errorf("audit log = %+v, want empty", a)
	}
}

func (s *suite) testEditDelete(t *testing.T) {
	st := s.fixtureStore(t)
	nChanges := len(allChanges(t, st))
	statsBefore := mustStats(t, st)
	page, err := st.Relations(ctx(), graph.RelationQuery{Entity: MisrataLeaders, Limit: graph.MaxPageSize})
	if err != nil || len(page.Items) < 3 {
		t.Fatalf("Relations(Misrata leaders) = %d, %v", len(page.Items), err)
	}
	cur := mustEntity(t, st, MisrataLeaders)
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditDelete, ID: MisrataLeaders, IfMatch: `"stale"`})
	wantCode(t, "delete with a stale If-Match", err, graph.Precondition)

	rec := mustEdit(t, st, graph.Edit{Op: graph.EditDelete, ID: MisrataLeaders, IfMatch: graph.EntityETag(cur), Reason: "not an actor"})
	if rec.Op != graph.EditDelete || rec.After != nil || rec.Relations != len(page.Items) {
		t.Errorf("audit record: op %s, after %v, relations %d; want delete, none, %d", rec.Op, rec.After, rec.Relations, len(page.Items))
	}
	sameJSON(t, "audit before", rec.Before, &cur)
	if _, err := st.Entity(ctx(), MisrataLeaders); !graph.Is(err, graph.NotFound) {
		t.Errorf("Entity(deleted) = %v, want not found", err)
	}
	want := statsBefore
	want.Entities = maps(statsBefore.Entities)
	want.Relations = maps(statsBefore.Relations)
	want.Entities[graph.KindGroup]--
	cs := changesSince(t, st, nChanges)
	for _, r := range page.Items {
		if _, err := st.Relation(ctx(), r.ID); !graph.Is(err, graph.NotFound) {
			t.Errorf("relation %s %s of the deleted entity: %v, want not found", r.Type, r.ID, err)
		}
		if !hasChange(cs, graph.Deleted, graph.ObjectRelation, r.ID) {
			t.Errorf("no deleted change for relation %s", r.ID)
		}
		want.Relations[r.Type]--
		want.Evidence -= len(r.Evidence)
	}
	if !hasChange(cs, graph.Deleted, graph.ObjectEntity, MisrataLeaders) || len(cs) != len(page.Items)+1 {
		t.Errorf("changes = %+v, want a deleted change for the entity and each relation", cs)
	}
	sameCounts(t, "Stats after the delete", mustStats(t, st), want)
	net, err := st.Network(ctx(), graph.NetworkQuery{Entity: Misrata, Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(entIDs(net.Nodes), MisrataLeaders) {
		t.Errorf("Network still holds the deleted entity")
	}
	for _, r := range net.Relations {
		if r.From == MisrataLeaders || r.To == MisrataLeaders {
			t.Errorf("Network still holds relation %s of the deleted entity", r.ID)
		}
	}
	rels, err := st.Relations(ctx(), graph.RelationQuery{Entity: SirteMeeting})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels.Items {
		if r.From == MisrataLeaders {
			t.Errorf("Relations(Sirte meeting) still holds %s from the deleted entity", r.Type)
		}
	}
	hits, err := st.Search(ctx(), graph.SearchQuery{Text: "military leaders of Misrata"})
	if err != nil || slices.Contains(hitIDs(hits), MisrataLeaders) {
		t.Errorf("Search finds the deleted entity: %v, %v", hitIDs(hits), err)
	}
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditDelete, ID: MisrataLeaders})
	wantCode(t, "delete again", err, graph.NotFound)
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditDelete, ID: DocAgreement})
	wantCode(t, "delete a document", err, graph.Invalid)
}

func maps[K comparable](m map[K]int) map[K]int {
	out := make(map[K]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// testEditMergeUnmerge merges by Edit and undoes it: the store is as it
// was, but for the change feed and the audit log.
func (s *suite) testEditMergeUnmerge(t *testing.T) {
	st := s.fixtureStore(t)
	mustApply(t, st, DuplicateBatch())
	before := scanAll(t, st)
	dupRels, err := st.Relations(ctx(), graph.RelationQuery{Entity: Duplicate})
	if err != nil {
		t.Fatal(err)
	}
	drop := mustEntity(t, st, Duplicate)
	nChanges := len(allChanges(t, st))

	rec := mustEdit(t, st, graph.Edit{Op: graph.EditMerge, ID: Duplicate, Into: KhaledHaftar, Actor: "a", Reason: "same man"})
	if rec.Op != graph.EditMerge || rec.Entity != Duplicate || rec.Into != KhaledHaftar || rec.After != nil ||
		rec.Relations == 0 {
		t.Errorf("merge audit record = %+v", rec)
	}
	sameJSON(t, "merge audit before", rec.Before, &drop)
	if got := mustEntity(t, st, Duplicate); got.ID != KhaledHaftar {
		t.Errorf("Entity(dropped) = %s after the merge", entityName(got.ID))
	}
	cs := changesSince(t, st, nChanges)
	if !slices.ContainsFunc(cs, func(c graph.Change) bool { return c.Op == graph.Merged && c.ID == Duplicate && c.Into == KhaledHaftar }) {
		t.Errorf("changes = %+v, want the merge", cs)
	}
	nChanges += len(cs)

	un := mustEdit(t, st, graph.Edit{Op: graph.EditUnmerge, ID: Duplicate, Actor: "a"})
	if un.Op != graph.EditUnmerge || un.Entity != Duplicate || un.Into != KhaledHaftar || un.Before != nil || un.Seq != rec.Seq+1 {
		t.Errorf("unmerge audit record = %+v", un)
	}
	sameJSON(t, "unmerge audit after", un.After, &drop)
	sameScan(t, "after merge and unmerge", scanAll(t, st), before)
	sameJSON(t, "Entity(restored)", mustEntity(t, st, Duplicate), drop)
	got, err := st.Relations(ctx(), graph.RelationQuery{Entity: Duplicate})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "Relations(restored)", got, dupRels)
	cs = changesSince(t, st, nChanges)
	if !hasChange(cs, graph.Created, graph.ObjectEntity, Duplicate) || !hasChange(cs, graph.Updated, graph.ObjectEntity, KhaledHaftar) ||
		!hasChange(cs, graph.Deleted, graph.ObjectRelation, graph.RelationID(graph.BasedIn, KhaledHaftar, Sirte, "")) {
		t.Errorf("unmerge changes = %+v: want the entity created, the kept one updated, the moved BASED_IN deleted", cs)
	}
	for _, r := range dupRels.Items {
		if !hasChange(cs, graph.Created, graph.ObjectRelation, r.ID) {
			t.Errorf("no created change for restored relation %s", r.ID)
		}
	}
	hits, err := st.Search(ctx(), graph.SearchQuery{Text: "Khalid Hafter"})
	if err != nil || len(hits) == 0 || hits[0].Entity.ID != Duplicate {
		t.Errorf("Search(Khalid Hafter) = %v, %v; want the restored entity first", hitIDs(hits), err)
	}
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditUnmerge, ID: Duplicate})
	wantCode(t, "unmerge twice", err, graph.Conflict)

	// Merge refuses what Store.Merge refuses, and ids merged away.
	for _, c := range []struct {
		name     string
		id, into string
		code     graph.Code
	}{
		{"same", KhaledHaftar, KhaledHaftar, graph.Invalid},
		{"kinds", Sirte, KhaledHaftar, graph.Invalid},
		{"documents", DocAgreement, DocStatement, graph.Invalid},
		{"unknown", unknownID, KhaledHaftar, graph.NotFound},
		{"no into", Duplicate, "", graph.Invalid},
	} {
		_, err := st.Edit(ctx(), graph.Edit{Op: graph.EditMerge, ID: c.id, Into: c.into})
		wantCode(t, "merge: "+c.name, err, c.code)
	}
	sameScan(t, "after refused merges", scanAll(t, st), before)
}

// testUnmergeLaterEvidence: what reached the kept entity after the merge
// stays with it; what the merge brought goes back.
func (s *suite) testUnmergeLaterEvidence(t *testing.T) {
	st := s.fixtureStore(t)
	mustApply(t, st, DuplicateBatch())
	drop := mustEntity(t, st, Duplicate)
	keepBefore := mustEntity(t, st, KhaledHaftar)
	agreement := graph.RelationID(graph.ParticipatedIn, KhaledHaftar, SirteAgreement, "party")
	agreementBefore := mustRelation(t, st, agreement)
	mustEdit(t, st, graph.Edit{Op: graph.EditMerge, ID: Duplicate, Into: KhaledHaftar})

	// After the merge: new evidence for the kept entity's family relation
	// and for the BASED_IN the merge brought, a new name through the
	// dropped id, and the duplicate's batch again (nothing new).
	d2 := docStatement()
	family := rel(graph.FamilyOf, Duplicate, KhalifaHaftar, "son", "", d2.ev(0, "خالد خليفة حفتر", 0.5))
	based := rel(graph.BasedIn, KhaledHaftar, Sirte, "", "", d2.ev(1, "في سرت", 0.3))
	mustApply(t, st, &graph.Batch{Relations: []graph.Relation{family, based},
		Entities: []graph.Entity{{ID: Duplicate, Kind: graph.KindPerson, Name: "Khaled Belqasim Haftar"}}})
	mustApply(t, st, DuplicateBatch())
	familyNow := mustRelation(t, st, graph.RelationID(graph.FamilyOf, KhaledHaftar, KhalifaHaftar, "son"))

	mustEdit(t, st, graph.Edit{Op: graph.EditUnmerge, ID: Duplicate})
	sameJSON(t, "restored entity", mustEntity(t, st, Duplicate), drop)
	sameJSON(t, "family relation (evidence from after the merge)",
		mustRelation(t, st, graph.RelationID(graph.FamilyOf, KhaledHaftar, KhalifaHaftar, "son")), familyNow)
	sameJSON(t, "agreement relation", mustRelation(t, st, agreement), agreementBefore)
	gotBased := mustRelation(t, st, based.ID)
	if gotBased.EvidenceCount != 1 || gotBased.Evidence[0].Document != DocStatement {
		t.Errorf("kept BASED_IN Sirte = %+v: want only the evidence that arrived after the merge", gotBased.Evidence)
	}
	kept := mustEntity(t, st, KhaledHaftar)
	want := keepBefore
	want.Aliases = []string{"Khaled Belqasim Haftar", "Khaled Hifter", "Khalid Haftar"}
	sameJSON(t, "kept entity: its own names and the one that came after the merge", kept, want)
	if _, err := st.Relation(ctx(), graph.RelationID(graph.BasedIn, Duplicate, Sirte, "")); err != nil {
		t.Errorf("restored BASED_IN: %v", err)
	}
}

// testUnmergeStoreMerge undoes a merge made by Store.Merge, as ingest
// merges reports of one event.
func (s *suite) testUnmergeStoreMerge(t *testing.T) {
	st := s.fixtureStore(t)
	mustApply(t, st, DuplicateBatch())
	before := scanAll(t, st)
	rec, err := st.Merge(ctx(), KhaledHaftar, Duplicate)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Kept == nil || len(rec.Moved) != len(DuplicateBatch().Relations) || len(rec.Replaced) != 3 {
		t.Errorf("MergeRecord has kept %v, %d moved, %d replaced; want the kept entity, 4 moved, 3 replaced",
			rec.Kept != nil, len(rec.Moved), len(rec.Replaced))
	}
	un := mustEdit(t, st, graph.Edit{Op: graph.EditUnmerge, ID: Duplicate, Actor: "cli"})
	if un.Seq != 1 || un.Relations == 0 {
		t.Errorf("unmerge audit record = %+v", un)
	}
	sameScan(t, "after Store.Merge and unmerge", scanAll(t, st), before)
}

// testUnmergeChain: a merged into b, b into Khaled Haftar. Undoing the
// first needs the second undone first; undoing both in turn restores all.
func (s *suite) testUnmergeChain(t *testing.T) {
	st := s.fixtureStore(t)
	mustApply(t, st, DuplicateBatch())
	third := graph.Entity{ID: graph.EntityID(graph.KindPerson, "k haftar"), Kind: graph.KindPerson, Name: "K. Hiftar"}
	mustApply(t, st, &graph.Batch{Entities: []graph.Entity{third}, Relations: []graph.Relation{
		rel(graph.MemberOf, third.ID, GeneralCommand, "", "", docAgreement().ev(2, "the General Command", 0.3)),
		rel(graph.HoldsPosition, third.ID, GeneralCommand, "chief of staff of the land forces", "",
			docAgreement().ev(2, "chief of staff", 0.4)),
	}})
	scan0 := scanAll(t, st)
	mustEdit(t, st, graph.Edit{Op: graph.EditMerge, ID: third.ID, Into: Duplicate})
	scan1 := scanAll(t, st)
	if _, err := st.Merge(ctx(), KhaledHaftar, Duplicate); err != nil {
		t.Fatal(err)
	}
	if got := mustEntity(t, st, third.ID); got.ID != KhaledHaftar {
		t.Fatalf("Entity(first drop) = %s, want Khaled Haftar", entityName(got.ID))
	}

	_, err := st.Edit(ctx(), graph.Edit{Op: graph.EditUnmerge, ID: third.ID})
	wantCode(t, "unmerge of the first drop while its keep is merged away", err, graph.Conflict)
	if !strings.Contains(err.Error(), "first") {
		t.Errorf("error %q does not say to undo the later merge first", err)
	}

	mustEdit(t, st, graph.Edit{Op: graph.EditUnmerge, ID: Duplicate})
	sameScan(t, "after undoing the second merge", scanAll(t, st), scan1)
	if got := mustEntity(t, st, third.ID); got.ID != Duplicate {
		t.Errorf("Entity(first drop) = %s, want the entity it was merged into, restored", entityName(got.ID))
	}
	// Writes through the first drop land on its keep again.
	res := mustApply(t, st, &graph.Batch{Entities: []graph.Entity{{ID: third.ID, Kind: graph.KindPerson, Name: "K. Hiftar"}}})
	if res.Created != 0 || res.Updated != 0 {
		t.Errorf("re-applying the first drop: %+v, want nothing new", res)
	}

	mustEdit(t, st, graph.Edit{Op: graph.EditUnmerge, ID: third.ID})
	sameScan(t, "after undoing both merges", scanAll(t, st), scan0)
	if got := mustEntity(t, st, third.ID); got.ID != third.ID {
		t.Errorf("Entity(first drop) = %s, want itself", entityName(got.ID))
	}
}

func (s *suite) testUnmergeErrors(t *testing.T) {
	st := s.fixtureStore(t)
	_, err := st.Edit(ctx(), graph.Edit{Op: graph.EditUnmerge, ID: KhaledHaftar})
	wantCode(t, "unmerge of an entity never merged", err, graph.Conflict)
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditUnmerge, ID: unknownID})
	wantCode(t, "unmerge of an unknown id", err, graph.NotFound)
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditUnmerge, ID: Duplicate, IfMatch: `"x"`})
	wantCode(t, "conditional unmerge", err, graph.Invalid)

	// Deleting the kept entity deletes what was merged into it: the
	// dropped id names nothing, cannot be unmerged, and a batch that names
	// it again creates it afresh.
	mustApply(t, st, DuplicateBatch())
	mustEdit(t, st, graph.Edit{Op: graph.EditMerge, ID: Duplicate, Into: KhaledHaftar})
	mustEdit(t, st, graph.Edit{Op: graph.EditDelete, ID: KhaledHaftar})
	before := scanAll(t, st)
	_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditUnmerge, ID: Duplicate})
	wantCode(t, "unmerge into a deleted entity", err, graph.NotFound)
	sameScan(t, "after a refused unmerge", scanAll(t, st), before)
	if _, err := st.Entity(ctx(), Duplicate); !graph.Is(err, graph.NotFound) {
		t.Errorf("Entity(merged into a deleted entity) = %v, want not found", err)
	}
	if n := len(auditAll(t, st)); n != 2 {
		t.Errorf("audit log holds %d records, want 2", n)
	}
	if res := mustApply(t, st, DuplicateBatch()); res.Created != 1+len(DuplicateBatch().Relations) {
		t.Errorf("applying the dropped entity again: %+v, want it and its relations created", res)
	}
	page, err := st.Relations(ctx(), graph.RelationQuery{Entity: Duplicate})
	if err != nil || len(page.Items) != len(DuplicateBatch().Relations) {
		t.Fatalf("Relations(created again) = %d, %v", len(page.Items), err)
	}
	for _, r := range page.Items {
		if r.From != Duplicate && r.To != Duplicate {
			t.Errorf("relation %s %s does not join the entity created again", r.Type, r.ID)
		}
	}
}

func (s *suite) testAudit(t *testing.T) {
	st := s.fixtureStore(t)
	mustApply(t, st, DuplicateBatch())
	sirte := mustEntity(t, st, Sirte)
	sirte.Aliases = []string{"Surt"}
	edits := []graph.Edit{
		{Op: graph.EditUpdate, ID: Sirte, Entity: sirte, Actor: "a"},
		{Op: graph.EditCreate, Entity: graph.Entity{Kind: graph.KindPlace, Name: "Benghazi"}, Actor: "b"},
		{Op: graph.EditMerge, ID: Duplicate, Into: KhaledHaftar, Actor: "a", Reason: "same man"},
		{Op: graph.EditUnmerge, ID: Duplicate, Actor: "b"},
		{Op: graph.EditDelete, ID: Duplicate, Actor: "a"},
	}
	for _, e := range edits {
		mustEdit(t, st, e)
	}
	all := auditAll(t, st)
	if len(all) != len(edits) {
		t.Fatalf("audit log holds %d records, want %d", len(all), len(edits))
	}
	for i, r := range all {
		if r.Seq != uint64(i+1) || r.Op != edits[i].Op || r.Actor != edits[i].Actor || r.Reason != edits[i].Reason || r.At.IsZero() {
			t.Errorf("record %d = seq %d op %s actor %s reason %q at %v; want seq %d and the edit's", i, r.Seq, r.Op, r.Actor, r.Reason, r.At, i+1)
		}
	}

	seqs := func(p graph.AuditPage) []uint64 {
		var out []uint64
		for _, r := range p.Items {
			out = append(out, r.Seq)
		}
		return out
	}
	for _, c := range []struct {
		name string
		q    graph.AuditQuery
		want []uint64
		next uint64
	}{
		{"all", graph.AuditQuery{}, []uint64{1, 2, 3, 4, 5}, 5},
		{"entity", graph.AuditQuery{Entity: Sirte}, []uint64{1}, 1},
		{"entity or into", graph.AuditQuery{Entity: KhaledHaftar}, []uint64{3, 4}, 4},
		{"dropped", graph.AuditQuery{Entity: Duplicate}, []uint64{3, 4, 5}, 5},
		{"since", graph.AuditQuery{Since: 3}, []uint64{4, 5}, 5},
		{"page", graph.AuditQuery{Limit: 2}, []uint64{1, 2}, 2},
		{"next page", graph.AuditQuery{Since: 2, Limit: 2}, []uint64{3, 4}, 4},
		{"past the end", graph.AuditQuery{Since: 5}, nil, 5},
		{"nothing for the entity", graph.AuditQuery{Entity: Libya}, nil, 0},
	} {
		p, err := st.Audit(ctx(), c.q)
		if err != nil {
			t.Fatalf("Audit(%s): %v", c.name, err)
		}
		if !slices.Equal(seqs(p), c.want) || p.Next != c.next || p.Items == nil {
			t.Errorf("Audit(%s) = %v next %d, want %v next %d", c.name, seqs(p), p.Next, c.want, c.next)
		}
	}
	for _, q := range []graph.AuditQuery{{Limit: graph.MaxPageSize + 1}, {Limit: -1}, {Entity: "sirte"}} {
		_, err := st.Audit(ctx(), q)
		wantCode(t, "Audit invalid", err, graph.Invalid)
	}
	sameJSON(t, "record of the create", all[1].After, mustEntity(t, st, all[1].Entity))
	if all[4].Relations != len(DuplicateBatch().Relations) {
		t.Errorf("delete record counts %d relations, want %d", all[4].Relations, len(DuplicateBatch().Relations))
	}
}
