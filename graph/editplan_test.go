package graph

import (
	"reflect"
	"slices"
	"testing"
)

// TestUnmergeEntity: undoing a merge right after it gives keep back; what
// changed on keep since the merge stays.
func TestUnmergeEntity(t *testing.T) {
	lat, lon := 31.2, 16.6
	keep := NormalizeEntity(Entity{ID: EntityID(KindPerson, "a"), Kind: KindPerson, Name: "Khaled Haftar",
		Key: "khaled haftar", Aliases: []string{"Khaled Hifter"}, FirstSeen: "2025-10-20", LastSeen: "2025-10-20",
		MergedFrom: []string{EntityID(KindPerson, "x")}})
	drop := NormalizeEntity(Entity{ID: EntityID(KindPerson, "b"), Kind: KindPerson, Name: "Khalid Hafter",
		NameAr: "خالد حفتر", Key: "khalid hafter", Title: "General", FirstSeen: "2025-10-01", Lat: &lat, Lon: &lon,
		Aliases: []string{"Khaled Hifter"}, Topics: []string{"security"},
		Mentions:   []Mention{{Document: DocumentID("d"), Start: 1, End: 5, Text: "Khal"}},
		MergedFrom: []string{EntityID(KindPerson, "c")}})
	merged := MergeEntity(keep, drop)
	if got := UnmergeEntity(merged, keep, drop); !reflect.DeepEqual(got, keep) {
		t.Errorf("unmerge right after the merge:\n got  %+v\n want %+v", got, keep)
	}

	// Since the merge: a new alias, a new title, a later sighting.
	later := merged
	later.Aliases = append(slices.Clone(merged.Aliases), "Abu Saddam")
	later.Title, later.LastSeen = "Lt. Gen.", "2025-11-01"
	later = NormalizeEntity(later)
	got := UnmergeEntity(later, keep, drop)
	want := keep
	want.Aliases = []string{"Abu Saddam", "Khaled Hifter"} // keep had Khaled Hifter before: it stays
	want.Title, want.LastSeen = "Lt. Gen.", "2025-11-01"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("unmerge after changes:\n got  %+v\n want %+v", got, want)
	}
}

func TestUnmergeRelation(t *testing.T) {
	a, c := EntityID(KindPerson, "a"), EntityID(KindEvent, "c")
	d1, d2, d3 := DocumentID("1"), DocumentID("2"), DocumentID("3")
	id := RelationID(ParticipatedIn, a, c, "party")
	ev := func(doc string, start int, conf float64) Evidence {
		return Evidence{ID: EvidenceID(id, doc, start, start+4), Document: doc, Start: start, End: start + 4, Confidence: conf}
	}
	rel := func(date string, evs ...Evidence) Relation {
		return Derive(Relation{ID: id, Type: ParticipatedIn, From: a, To: c, Role: "party", Date: date, Evidence: evs})
	}
	before := rel("2025-10-20", ev(d1, 0, 0.8), ev(d2, 10, 0.6))
	// What the merge brought: the same sentence of d2 read with another
	// confidence, a new one from d3, and an earlier date.
	brought := rel("2025-10-19", ev(d2, 10, 0.3), ev(d3, 5, 0.5))
	merged := UpsertRelation(before, brought)
	if merged.EvidenceCount != 3 || merged.Date != "2025-10-19" {
		t.Fatalf("merged = %+v", merged)
	}
	if got := UnmergeRelation(merged, &before, brought); got == nil || !reflect.DeepEqual(*got, before) {
		t.Errorf("unmerge right after the merge:\n got  %+v\n want %+v", got, before)
	}

	// Evidence that arrived since stays, and so does a date it set.
	since := UpsertRelation(merged, rel("2025-10-18", ev(d3, 40, 0.4)))
	got := UnmergeRelation(since, &before, brought)
	want := rel("2025-10-18", ev(d1, 0, 0.8), ev(d2, 10, 0.6), ev(d3, 40, 0.4))
	if got == nil || !reflect.DeepEqual(*got, want) {
		t.Errorf("unmerge after new evidence:\n got  %+v\n want %+v", got, want)
	}

	// A relation keep did not have goes when only the merge's evidence is
	// left, and stays, re-derived, when something arrived since.
	if got := UnmergeRelation(brought, nil, brought); got != nil {
		t.Errorf("relation only the merge brought: %+v, want it gone", got)
	}
	since = UpsertRelation(brought, rel("", ev(d1, 0, 0.8)))
	if got := UnmergeRelation(since, nil, brought); got == nil || got.EvidenceCount != 1 || got.Confidence != 0.8 {
		t.Errorf("relation the merge brought, with evidence since: %+v", got)
	}

	// Unasserted: the count the merge raised goes back.
	m := RelationID(Mentions, d1, a, "")
	mb := Derive(Relation{ID: m, Type: Mentions, From: d1, To: a, Count: 3})
	mm := Derive(Relation{ID: m, Type: Mentions, From: d1, To: a, Count: 5})
	if got := UnmergeRelation(UpsertRelation(mb, mm), &mb, mm); got == nil || !reflect.DeepEqual(*got, mb) {
		t.Errorf("MENTIONS after unmerge = %+v, want %+v", got, mb)
	}
}

func TestAuditQueryCheck(t *testing.T) {
	q := AuditQuery{}
	if err := q.Check(); err != nil || q.Limit != DefaultAuditLimit {
		t.Errorf("Check() = %v, limit %d", err, q.Limit)
	}
	for _, q := range []AuditQuery{{Limit: MaxPageSize + 1}, {Limit: -1}, {Entity: "x"}} {
		if err := q.Check(); !Is(err, Invalid) {
			t.Errorf("Check(%+v) = %v, want invalid", q, err)
		}
	}
}
