package storetest

import (
	"math"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func (s *suite) applyTests() []subtest {
	return []subtest{
		{"Apply/Fixture", s.testApplyFixture},
		{"Apply/Twice", s.testApplyTwice},
		{"Apply/Empty", s.testApplyEmpty},
		{"Apply/EvidenceFromTwoDocuments", s.testEvidenceFromTwoDocuments},
		{"Apply/EvidenceRedated", s.testEvidenceRedated},
		{"Apply/MentionsFromTwoDocuments", s.testMentionsFromTwoDocuments},
		{"Apply/UpsertEntity", s.testUpsertEntity},
		{"Apply/UpsertDocument", s.testUpsertDocument},
		{"Apply/Revision", s.testRevision},
		{"Apply/InvalidLeavesStoreUnchanged", s.testApplyInvalid},
	}
}

// fixtureObjects is how many documents, entities and relations the fixture
// holds: what one Apply of it creates.
func fixtureObjects() int {
	b := Fixture()
	return len(b.Documents) + len(b.Entities) + len(b.Relations)
}

func (s *suite) testApplyFixture(t *testing.T) {
	st := s.open(t)
	b := Fixture()
	res := mustApply(t, st, b)
	want := graph.ApplyResult{Created: fixtureObjects(), Evidence: fixtureStats().Evidence}
	if res != want {
		t.Errorf("ApplyResult = %+v, want %+v", res, want)
	}
	if len(b.Entities) != fixtureEntities {
		t.Errorf("fixture has %d entities, the package doc says %d", len(b.Entities), fixtureEntities)
	}
	for _, e := range b.Entities {
		sameJSON(t, "Entity("+e.Name+")", mustEntity(t, st, e.ID), storedEntity(e))
	}
	texts := map[string][]rune{}
	for _, d := range b.Documents {
		got, err := st.Document(ctx(), d.ID)
		if err != nil {
			t.Fatalf("Document(%s): %v", d.Title, err)
		}
		sameJSON(t, "Document("+d.Title+")", got, d)
		sameJSON(t, "Entity(document "+d.Title+")", mustEntity(t, st, d.ID), storedDocEntity(d))
		texts[d.ID] = []rune(got.Text)
	}
	for _, r := range b.Relations {
		got := mustRelation(t, st, r.ID)
		sameJSON(t, "Relation("+string(r.Type)+" "+entityName(r.From)+" → "+entityName(r.To)+")", got, storedRelation(r))
		// Offsets are rune offsets into the stored text, and Text is that slice.
		for _, ev := range got.Evidence {
			text := texts[ev.Document]
			if ev.End > len(text) || string(text[ev.Start:ev.End]) != ev.Text {
				t.Errorf("evidence %s: [%d:%d] of its document is not %q", ev.ID, ev.Start, ev.End, ev.Text)
			}
			if ev.SentenceStart > ev.Start || string(text[ev.SentenceStart:ev.SentenceStart+len([]rune(ev.SentenceText))]) != ev.SentenceText {
				t.Errorf("evidence %s: sentence offset %d does not hold %q", ev.ID, ev.SentenceStart, ev.SentenceText)
			}
		}
	}
	stats := mustStats(t, st)
	sameCounts(t, "Stats after the fixture", stats, fixtureStats())
	if stats.Changes != uint64(fixtureObjects()) {
		t.Errorf("Stats.Changes = %d, want %d (one change per object)", stats.Changes, fixtureObjects())
	}
	// Hand counts, so that a mistake in fixtureStats cannot hide one in a store.
	if stats.Entities[graph.KindPerson] != 5 || stats.Entities[graph.KindEvent] != 6 ||
		stats.Entities[graph.KindDocument] != 4 || stats.Relations[graph.ParticipatedIn] != 8 ||
		stats.Relations[graph.Mentions] != 7 || stats.Evidence != 24 {
		t.Errorf("Stats = %+v, want 5 persons, 6 events, 4 documents, 8 PARTICIPATED_IN, 7 MENTIONS, 24 evidence", stats)
	}
}

func (s *suite) testApplyTwice(t *testing.T) {
	st := s.fixtureStore(t)
	before := takeSnapshot(t, st)
	res := mustApply(t, st, Fixture())
	want := graph.ApplyResult{Unchanged: fixtureObjects()}
	if res != want {
		t.Errorf("second ApplyResult = %+v, want %+v", res, want)
	}
	after := takeSnapshot(t, st)
	sameJSON(t, "state after applying the fixture twice", after, before)
	if len(after.Changes) != fixtureObjects() {
		t.Errorf("change feed has %d entries after two applies, want %d", len(after.Changes), fixtureObjects())
	}
}

func (s *suite) testApplyEmpty(t *testing.T) {
	st := s.fixtureStore(t)
	before := takeSnapshot(t, st)
	res, err := st.Apply(ctx(), &graph.Batch{})
	if err != nil {
		t.Fatalf("Apply(empty): %v", err)
	}
	if res != (graph.ApplyResult{}) {
		t.Errorf("Apply(empty) = %+v, want zero", res)
	}
	sameJSON(t, "state after an empty batch", takeSnapshot(t, st), before)
}

// testEvidenceFromTwoDocuments applies one fact from two documents in two
// batches: one relation, two pieces of evidence, confidence 1-(1-a)(1-b).
func (s *suite) testEvidenceFromTwoDocuments(t *testing.T) {
	st := s.open(t)
	d1, d2 := docAgreement(), docStatement()
	full := fixtureRelation(t, graph.RelationID(graph.ParticipatedIn, KhaledHaftar, SirteAgreement, "party"))
	if len(full.Evidence) != 2 {
		t.Fatalf("fixture relation has %d evidence, want 2", len(full.Evidence))
	}
	byDoc := map[string]graph.Evidence{}
	for _, e := range full.Evidence {
		byDoc[e.Document] = e
	}
	first, second := full, full
	first.Evidence = []graph.Evidence{byDoc[d1.ID]}
	second.Evidence = []graph.Evidence{byDoc[d2.ID]}
	ents := []graph.Entity{fixtureEntity(t, KhaledHaftar), fixtureEntity(t, SirteAgreement)}

	res := mustApply(t, st, &graph.Batch{Documents: []graph.Document{d1.Document}, Entities: ents,
		Relations: []graph.Relation{first}})
	if res.Created != 4 || res.Evidence != 1 {
		t.Errorf("first ApplyResult = %+v, want 4 created, 1 evidence", res)
	}
	res = mustApply(t, st, &graph.Batch{Documents: []graph.Document{d2.Document}, Relations: []graph.Relation{second}})
	if want := (graph.ApplyResult{Created: 1, Updated: 1, Evidence: 1}); res != want {
		t.Errorf("second ApplyResult = %+v, want %+v", res, want)
	}
	got := mustRelation(t, st, full.ID)
	if got.EvidenceCount != 2 || len(got.Evidence) != 2 {
		t.Fatalf("relation has evidence_count %d and %d evidence, want 2 and 2", got.EvidenceCount, len(got.Evidence))
	}
	a, b := byDoc[d1.ID].Confidence, byDoc[d2.ID].Confidence
	if want := 1 - (1-a)*(1-b); math.Abs(got.Confidence-want) > 1e-4 {
		t.Errorf("confidence = %v, want 1-(1-%v)(1-%v) = %v", got.Confidence, a, b, want)
	}
	if got.FirstSeen != d1.Published || got.LastSeen != d2.Published {
		t.Errorf("first/last seen = %s/%s, want %s/%s", got.FirstSeen, got.LastSeen, d1.Published, d2.Published)
	}
	sameJSON(t, "relation from two batches", got, storedRelation(full))
	stats := mustStats(t, st)
	if stats.Relations[graph.ParticipatedIn] != 1 || stats.Evidence != 2 {
		t.Errorf("Stats = %+v, want 1 PARTICIPATED_IN with 2 evidence", stats)
	}
	// The same evidence again adds nothing.
	res = mustApply(t, st, &graph.Batch{Relations: []graph.Relation{second}})
	if want := (graph.ApplyResult{Unchanged: 1}); res != want {
		t.Errorf("re-applied evidence: ApplyResult = %+v, want %+v", res, want)
	}
}

// testEvidenceRedated re-sends a piece of evidence with another date (its
// document's date corrected): the relation's first and last seen follow,
// though the piece that gave the first date no longer has it. A store
// that keeps only a tally of the evidence must notice and look at the
// rest.
func (s *suite) testEvidenceRedated(t *testing.T) {
	st := s.open(t)
	d1, d2 := docAgreement(), docStatement()
	full := fixtureRelation(t, graph.RelationID(graph.ParticipatedIn, KhaledHaftar, SirteAgreement, "party"))
	var early, late graph.Evidence
	for _, e := range full.Evidence {
		switch e.Document {
		case d1.ID:
			early = e
		case d2.ID:
			late = e
		}
	}
	if early.Date == "" || late.Date == "" || early.Date >= late.Date {
		t.Fatalf("fixture evidence dates %q and %q, want two, the first earlier", early.Date, late.Date)
	}
	ents := []graph.Entity{fixtureEntity(t, KhaledHaftar), fixtureEntity(t, SirteAgreement)}
	mustApply(t, st, &graph.Batch{Documents: []graph.Document{d1.Document, d2.Document}, Entities: ents,
		Relations: []graph.Relation{full}})
	redated := full
	moved := early
	moved.Date = "2026-01-15"
	redated.Evidence = []graph.Evidence{moved}
	res := mustApply(t, st, &graph.Batch{Relations: []graph.Relation{redated}})
	if want := (graph.ApplyResult{Updated: 1}); res != want {
		t.Errorf("re-dated evidence: ApplyResult = %+v, want %+v", res, want)
	}
	got := mustRelation(t, st, full.ID)
	if got.FirstSeen != late.Date || got.LastSeen != moved.Date || got.EvidenceCount != 2 {
		t.Errorf("after re-dating: first/last seen %s/%s, %d evidence; want %s/%s, 2", got.FirstSeen, got.LastSeen,
			got.EvidenceCount, late.Date, moved.Date)
	}
	want := full
	want.Evidence = []graph.Evidence{moved, late}
	sameJSON(t, "re-dated relation", got, storedRelation(want))
}

// testMentionsFromTwoDocuments names an entity in one batch and again in
// another: it keeps the mentions of both, and naming it again changes
// nothing.
func (s *suite) testMentionsFromTwoDocuments(t *testing.T) {
	st := s.open(t)
	d1, d2 := docAgreement(), docStatement()
	full := fixtureEntity(t, KhaledHaftar)
	var in1, in2 []graph.Mention
	for _, m := range full.Mentions {
		switch m.Document {
		case d1.ID:
			in1 = append(in1, m)
		case d2.ID:
			in2 = append(in2, m)
		}
	}
	if len(in1) == 0 || len(in2) == 0 {
		t.Fatalf("fixture names Khaled Haftar %d and %d times in the two documents, want some in each", len(in1), len(in2))
	}
	first, second := full, full
	first.Mentions, second.Mentions = in1, in2
	mustApply(t, st, &graph.Batch{Documents: []graph.Document{d1.Document}, Entities: []graph.Entity{first}})
	res := mustApply(t, st, &graph.Batch{Documents: []graph.Document{d2.Document}, Entities: []graph.Entity{second}})
	if want := (graph.ApplyResult{Created: 1, Updated: 1}); res != want {
		t.Errorf("second batch: ApplyResult = %+v, want %+v", res, want)
	}
	got := mustEntity(t, st, KhaledHaftar)
	if len(got.Mentions) != len(in1)+len(in2) {
		t.Errorf("Khaled Haftar has %d mentions, want %d", len(got.Mentions), len(in1)+len(in2))
	}
	sameJSON(t, "entity named in two batches", got, full)
	if res := mustApply(t, st, &graph.Batch{Entities: []graph.Entity{first}}); res != (graph.ApplyResult{Unchanged: 1}) {
		t.Errorf("named again: ApplyResult = %+v, want 1 unchanged", res)
	}
}

func (s *suite) testUpsertEntity(t *testing.T) {
	st := s.fixtureStore(t)
	stored := mustEntity(t, st, KhaledHaftar)
	in := graph.Entity{ID: KhaledHaftar, Kind: graph.KindPerson, Name: "Khaled Haftar",
		Aliases: []string{"Khaled Belqasim Haftar", "Khaled Haftar", " Khalid Haftar "}, Title: "Maj. Gen.",
		Topics: []string{"security"}, FirstSeen: "2025-09-30"}
	res := mustApply(t, st, &graph.Batch{Entities: []graph.Entity{in}})
	if want := (graph.ApplyResult{Updated: 1}); res != want {
		t.Errorf("ApplyResult = %+v, want %+v", res, want)
	}
	got := mustEntity(t, st, KhaledHaftar)
	sameJSON(t, "upserted entity", got, graph.UpsertEntity(stored, in))
	// Spelled out, in case UpsertEntity itself drifts from what the suite promises.
	if want := []string{"Khaled Belqasim Haftar", "Khaled Hifter", "Khalid Haftar"}; !slices.Equal(got.Aliases, want) {
		t.Errorf("aliases = %q, want the sorted union %q without the name", got.Aliases, want)
	}
	if got.NameAr != "خالد خليفة حفتر" || got.Title != "Maj. Gen." || got.FirstSeen != "2025-09-30" ||
		got.LastSeen != "2025-10-21" || len(got.Mentions) != 2 {
		t.Errorf("entity = %+v: want name_ar kept, title replaced, first seen widened, mentions kept", got)
	}
	// Search sees the new alias.
	hits, err := st.Search(ctx(), graph.SearchQuery{Text: "Belqasim"})
	if err != nil || len(hits) != 1 || hits[0].Entity.ID != KhaledHaftar {
		t.Errorf("Search(Belqasim) = %v, %v; want Khaled Haftar", hits, err)
	}
}

// testRevision applies versions of an event-data record out of order: the
// newest one's attributes stand, whatever came after it.
func (s *suite) testRevision(t *testing.T) {
	st := s.fixtureStore(t)
	stored := mustEntity(t, st, TripoliClash)
	five := 5
	newer := graph.Entity{ID: TripoliClash, Kind: graph.KindEvent, Name: "Tripoli clashes", EventType: "clash",
		Date: "2024-05-13", DatePrecision: "day", Fatalities: &five, Revision: stored.Revision + 10}
	if res := mustApply(t, st, &graph.Batch{Entities: []graph.Entity{newer}}); res.Updated != 1 {
		t.Errorf("newer revision: ApplyResult = %+v, want one update", res)
	}
	got := mustEntity(t, st, TripoliClash)
	if got.Date != "2024-05-13" || got.Fatalities == nil || *got.Fatalities != 5 || got.Revision != newer.Revision ||
		got.Cameo != "" || got.Goldstein != nil {
		t.Errorf("after a newer revision: %+v; want its date, fatalities and revision, and no cameo or goldstein", got)
	}
	older := stored
	older.Date, older.Fatalities = "2024-05-01", new(int)
	if res := mustApply(t, st, &graph.Batch{Entities: []graph.Entity{older}}); res.Unchanged != 1 {
		t.Errorf("older revision: ApplyResult = %+v, want unchanged", res)
	}
	sameJSON(t, "entity after an older revision", mustEntity(t, st, TripoliClash), got)

	// Documents of event-data records have revisions too.
	d := docCabinet().Document
	d.Revision, d.Text, d.SHA256 = 100, "", ""
	d.Title = "revision 100"
	mustApply(t, st, &graph.Batch{Documents: []graph.Document{d}})
	d.Revision, d.Title = 50, "revision 50"
	if res := mustApply(t, st, &graph.Batch{Documents: []graph.Document{d}}); res.Unchanged != 1 {
		t.Errorf("older document revision: ApplyResult = %+v, want unchanged", res)
	}
	if got, err := st.Document(ctx(), d.ID); err != nil || got.Title != "revision 100" || got.Revision != 100 {
		t.Errorf("document after revisions 100 then 50: %+v, %v; want revision 100's title", got, err)
	}
}

func (s *suite) testUpsertDocument(t *testing.T) {
	st := s.fixtureStore(t)
	d := docAgreement().Document
	in := graph.Document{ID: d.ID, Title: "Khaled Haftar and Misrata leaders sign an agreement"}
	res := mustApply(t, st, &graph.Batch{Documents: []graph.Document{in}})
	if want := (graph.ApplyResult{Updated: 1}); res != want {
		t.Errorf("ApplyResult = %+v, want %+v", res, want)
	}
	got, err := st.Document(ctx(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := graph.UpsertDocument(d, in)
	sameJSON(t, "upserted document", got, want)
	if got.Text != d.Text {
		t.Errorf("a document applied without text lost its text")
	}
	if e := mustEntity(t, st, d.ID); e.Name != in.Title {
		t.Errorf("document entity name = %q, want the new title %q", e.Name, in.Title)
	}
	// A change to the document alone (its entity stays as it was) is an update too.
	res = mustApply(t, st, &graph.Batch{Documents: []graph.Document{{ID: d.ID, Outlet: "Example Wire Weekly"}}})
	if want := (graph.ApplyResult{Updated: 1}); res != want {
		t.Errorf("outlet change: ApplyResult = %+v, want %+v", res, want)
	}
	if got, err := st.Document(ctx(), d.ID); err != nil || got.Outlet != "Example Wire Weekly" {
		t.Errorf("outlet change: Document = %+v, %v", got, err)
	}
}

// testApplyInvalid applies bad batches to one store: each must fail with its
// code and leave everything as it was, including the parts of the batch that
// were fine.
func (s *suite) testApplyInvalid(t *testing.T) {
	st := s.fixtureStore(t)
	newPerson := graph.Entity{ID: graph.EntityID(graph.KindPerson, "new person"), Kind: graph.KindPerson,
		Name: "New Person"}
	d1 := docAgreement()
	good := rel(graph.ParticipatedIn, newPerson.ID, SirteMeeting, "party", "", d1.ev(0, "Khaled Haftar met", 0.5))
	nowhere := graph.EntityID(graph.KindEvent, "nowhere")
	withGood := func(rs ...graph.Relation) *graph.Batch {
		return &graph.Batch{Entities: []graph.Entity{newPerson}, Relations: append([]graph.Relation{good}, rs...)}
	}
	tamper := func(f func(r *graph.Relation)) graph.Relation {
		r := good
		r.Evidence = slices.Clone(good.Evidence)
		f(&r)
		return r
	}
	tooMany := &graph.Batch{Entities: make([]graph.Entity, graph.MaxBatchItems+1)}
	for i := range tooMany.Entities {
		tooMany.Entities[i] = newPerson
	}
	cases := []struct {
		name  string
		batch *graph.Batch
		code  graph.Code
	}{
		{"nil batch", nil, graph.Invalid},
		{"malformed entity id", &graph.Batch{Entities: []graph.Entity{{ID: "khaled", Kind: graph.KindPerson, Name: "x"}}}, graph.Invalid},
		{"unknown kind", &graph.Batch{Entities: []graph.Entity{{ID: newPerson.ID, Kind: "Spy", Name: "x"}}}, graph.Invalid},
		{"nameless entity", &graph.Batch{Entities: []graph.Entity{{ID: newPerson.ID, Kind: graph.KindPerson}}}, graph.Invalid},
		{"relation to an entity that exists nowhere",
			withGood(rel(graph.ParticipatedIn, newPerson.ID, nowhere, "party", "", d1.ev(0, "met", 0.5))), graph.Invalid},
		{"unknown relation type", withGood(tamper(func(r *graph.Relation) { r.Type = "LOVES" })), graph.Invalid},
		{"relation id not derived", withGood(tamper(func(r *graph.Relation) { r.Role = "host" })), graph.Invalid},
		{"evidence id not derived", withGood(tamper(func(r *graph.Relation) { r.Evidence[0].End++ })), graph.Invalid},
		{"confidence above 1", withGood(tamper(func(r *graph.Relation) { r.Evidence[0].Confidence = 1.5 })), graph.Invalid},
		{"asserted relation without evidence", withGood(tamper(func(r *graph.Relation) { r.Evidence = nil })), graph.Invalid},
		{"wrong end kinds", withGood(rel(graph.OccurredIn, KhaledHaftar, Sirte, "", "", d1.ev(0, "in Sirte", 0.5))), graph.Invalid},
		{"self loop", withGood(rel(graph.AlliedWith, KhaledHaftar, KhaledHaftar, "", "", d1.ev(0, "Khaled", 0.5))), graph.Invalid},
		{"stored entity under another kind", &graph.Batch{Entities: []graph.Entity{newPerson,
			{ID: Sirte, Kind: graph.KindPerson, Name: "Sirte"}}}, graph.Invalid},
		{"document id of a stored person", &graph.Batch{Documents: []graph.Document{{ID: KhaledHaftar, Title: "x"}}}, graph.Invalid},
		{"too many items", tooMany, graph.TooLarge},
	}
	before := takeSnapshot(t, st, newPerson.ID)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.Apply(ctx(), c.batch)
			wantCode(t, "Apply", err, c.code)
			sameJSON(t, "state after a failed Apply", takeSnapshot(t, st, newPerson.ID), before)
			if _, err := st.Entity(ctx(), newPerson.ID); !graph.Is(err, graph.NotFound) {
				t.Errorf("the valid part of a failed batch was stored: Entity = %v", err)
			}
		})
	}
	// The good part alone is fine: the failures above were the bad parts.
	if res := mustApply(t, st, withGood()); res.Created != 2 {
		t.Errorf("good batch: ApplyResult = %+v, want 2 created", res)
	}
}
