package graph

import (
	"slices"
	"testing"
)

func TestMergeEntity(t *testing.T) {
	keep := NormalizeEntity(Entity{ID: EntityID(KindPerson, "a"), Kind: KindPerson, Name: "Khaled Haftar",
		Key: "khaled haftar", Aliases: []string{"Khaled Hifter"}, FirstSeen: "2025-10-20", LastSeen: "2025-10-20"})
	drop := NormalizeEntity(Entity{ID: EntityID(KindPerson, "b"), Kind: KindPerson, Name: "Khalid Hafter",
		NameAr: "خالد حفتر", Key: "khalid hafter", Title: "General", FirstSeen: "2025-10-01",
		MergedFrom: []string{EntityID(KindPerson, "c")}})
	got := MergeEntity(keep, drop)
	if got.ID != keep.ID || got.Name != keep.Name || got.Key != keep.Key || got.NameAr != "" {
		t.Errorf("merged identity = %s %q %q %q; want keep's", got.ID, got.Name, got.Key, got.NameAr)
	}
	if want := []string{"Khaled Hifter", "Khalid Hafter", "خالد حفتر"}; !slices.Equal(got.Aliases, want) {
		t.Errorf("aliases = %q, want %q", got.Aliases, want)
	}
	if got.Title != "General" || got.FirstSeen != "2025-10-01" || got.LastSeen != "2025-10-20" {
		t.Errorf("merged = %+v: want title filled from drop and dates widened", got)
	}
	if want := []string{drop.ID, EntityID(KindPerson, "c")}; !slices.Equal(got.MergedFrom, unionStrings(nil, want)) {
		t.Errorf("merged_from = %q", got.MergedFrom)
	}
	if again := MergeEntity(got, drop); !EntityEqual(again, got) {
		t.Errorf("merging twice changed the entity:\n%+v\n%+v", again, got)
	}
}

func TestRehomeRelation(t *testing.T) {
	a, b, c := EntityID(KindPerson, "a"), EntityID(KindPerson, "b"), EntityID(KindEvent, "c")
	doc := DocumentID("d")
	r := Relation{Type: ParticipatedIn, From: b, To: c, Role: "party"}
	r.ID = RelationID(r.Type, b, c, "party")
	r.Evidence = []Evidence{{ID: EvidenceID(r.ID, doc, 1, 5), Document: doc, Start: 1, End: 5, Confidence: 0.5}}
	resolve := func(id string) string {
		if id == b {
			return a
		}
		return id
	}
	got := RehomeRelation(r, resolve)
	if got.From != a || got.ID != RelationID(ParticipatedIn, a, c, "party") ||
		got.Evidence[0].ID != EvidenceID(got.ID, doc, 1, 5) {
		t.Errorf("rehomed = %+v", got)
	}
	if r.Evidence[0].ID != EvidenceID(r.ID, doc, 1, 5) {
		t.Errorf("RehomeRelation changed its argument's evidence")
	}
	if same := RehomeRelation(got, resolve); same.ID != got.ID {
		t.Errorf("rehoming a relation with no merged end changed it")
	}
}

func TestUpsertDocument(t *testing.T) {
	old := Document{ID: DocumentID("u"), URL: "u", Title: "old", Text: "text"}
	got := UpsertDocument(old, Document{ID: old.ID, Title: "new"})
	if got.Title != "new" || got.Text != "text" || got.URL != "u" {
		t.Errorf("UpsertDocument = %+v", got)
	}
}

func TestCheckKinds(t *testing.T) {
	p := EntityID(KindPerson, "p")
	known := func(id string) (Kind, bool) { return KindPerson, id == p }
	ok := &Batch{Entities: []Entity{{ID: p, Kind: KindPerson, Name: "P"}}}
	if err := ok.CheckKinds(known); err != nil {
		t.Errorf("same kind: %v", err)
	}
	bad := &Batch{Entities: []Entity{{ID: p, Kind: KindPlace, Name: "P"}}}
	if err := bad.CheckKinds(known); !Is(err, Invalid) {
		t.Errorf("other kind: %v", err)
	}
	doc := &Batch{Documents: []Document{{ID: p}}}
	if err := doc.CheckKinds(known); !Is(err, Invalid) {
		t.Errorf("document over a person: %v", err)
	}
}
