package graph

import (
	"math"
	"reflect"
	"testing"
)

// TestRelationCanonical checks that the plan's shortcut gives what the JSON
// round trip of Canonical gives, for relations it takes and declines.
func TestRelationCanonical(t *testing.T) {
	// relationCanonical names every field the round trip can change: a new
	// field must be added there, then here.
	if n := reflect.TypeFor[Relation]().NumField(); n != 14 {
		t.Fatalf("Relation has %d fields: check relationCanonical, then update this test", n)
	}
	if n := reflect.TypeFor[Evidence]().NumField(); n != 11 {
		t.Fatalf("Evidence has %d fields: check relationCanonical, then update this test", n)
	}
	from, to := EntityID(KindPerson, "a"), EntityID(KindEvent, "b")
	base := func() Relation {
		r := Relation{ID: RelationID(ParticipatedIn, from, to, "party"), Type: ParticipatedIn, From: from, To: to,
			Role: "party", Date: "2025-10-20", EvidenceCount: 1, Confidence: 0.7, FirstSeen: "2025-10-20", LastSeen: "2025-10-20"}
		r.Evidence = []Evidence{{ID: EvidenceID(r.ID, to, 3, 9), Document: to, Sentence: 1, Start: 3, End: 9,
			Text: "Khaled", Rule: "r", Confidence: 0.7, SentenceStart: 0, SentenceText: "<Khaled> & co\u2028 \"met\"\n", Date: "2025"}}
		return r
	}
	tests := []struct {
		name     string
		edit     func(*Relation)
		fast     bool
		wantCode Code
	}{
		{"plain", func(*Relation) {}, true, ""},
		{"nil evidence", func(r *Relation) { r.Evidence = nil }, true, ""},
		{"empty evidence", func(r *Relation) { r.Evidence = []Evidence{} }, true, ""},
		{"negative zero", func(r *Relation) { r.Confidence = math.Copysign(0, -1) }, true, ""},
		{"huge count", func(r *Relation) { r.Count = math.MaxInt64 }, true, ""},
		{"invalid utf-8 in sentence", func(r *Relation) { r.Evidence[0].SentenceText = "a\xffb" }, false, ""},
		{"surrogate half in role", func(r *Relation) { r.Role = "\xed\xa0\x80" }, false, ""},
		{"other set", func(r *Relation) { r.Other = &Entity{ID: from, Name: "x"} }, false, ""},
		{"NaN confidence", func(r *Relation) { r.Evidence[0].Confidence = math.NaN() }, false, Invalid},
		{"infinite confidence", func(r *Relation) { r.Confidence = math.Inf(1) }, false, Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.edit(&r)
			if got := relationCanonical(&r); got != tt.fast {
				t.Errorf("relationCanonical = %v, want %v", got, tt.fast)
			}
			want, wantJSON, wantErr := Canonical(r)
			for _, keep := range []bool{false, true} {
				p := NewPlan(nil, keep)
				in := base()
				tt.edit(&in)
				got, gotJSON, err := p.canonicalRelation(in)
				if tt.wantCode != "" || wantErr != nil {
					if !Is(err, tt.wantCode) || !Is(wantErr, tt.wantCode) {
						t.Fatalf("errors %v and %v, want %s", err, wantErr, tt.wantCode)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("keepJSON %v: got\n%#v\nwant\n%#v", keep, got, want)
				}
				if tt.fast && gotJSON != nil {
					t.Errorf("the shortcut made JSON")
				}
				if !tt.fast && string(gotJSON) != string(wantJSON) {
					t.Errorf("JSON\n%s\nwant\n%s", gotJSON, wantJSON)
				}
				if len(in.Evidence) > 0 && &got.Evidence[0] == &in.Evidence[0] {
					t.Errorf("the result shares the caller's evidence")
				}
			}
		})
	}
}

func TestEntityCanonical(t *testing.T) {
	// entityCanonical names every field the round trip can change: a new
	// field must be added there, then here.
	if n := reflect.TypeFor[Entity]().NumField(); n != 26 {
		t.Fatalf("Entity has %d fields: check entityCanonical, then update this test", n)
	}
	if n := reflect.TypeFor[Mention]().NumField(); n != 4 {
		t.Fatalf("Mention has %d fields: check entityCanonical, then update this test", n)
	}
	doc := DocumentID("https://news.example/a")
	base := func() Entity {
		lat, lon, g, f := 32.1, 13.2, -4.5, 3
		return Entity{ID: EntityID(KindPerson, "khaled"), Kind: KindPerson, Subtype: "commander", Name: "Khaled <Haftar> & co",
			NameAr: "خالد حفتر", Aliases: []string{"Hifter"}, Key: "khaled", Title: "Lt. Gen.", TitleAr: "الفريق",
			Lat: &lat, Lon: &lon, GeoPrecision: "city", EventType: "meeting", Date: "2025-10-20", DatePrecision: "day",
			Cameo: "057", QuadClass: 1, Goldstein: &g, Fatalities: &f, Revision: 7, Topics: []string{"security"},
			Summary: "line\u2028para", Mentions: []Mention{{Document: doc, Start: 1, End: 7, Text: "Khaled"}},
			FirstSeen: "2025-10-20", LastSeen: "2025-10-21", MergedFrom: []string{EntityID(KindPerson, "k")}}
	}
	tests := []struct {
		name     string
		edit     func(*Entity)
		fast     bool
		wantCode Code
	}{
		{"plain", func(*Entity) {}, true, ""},
		{"nil lists and pointers", func(e *Entity) {
			e.Aliases, e.Topics, e.Mentions, e.MergedFrom, e.Lat, e.Lon, e.Goldstein, e.Fatalities = nil, nil, nil, nil, nil, nil, nil, nil
		}, true, ""},
		{"empty aliases", func(e *Entity) { e.Aliases = []string{} }, true, ""},
		{"empty topics", func(e *Entity) { e.Topics = []string{} }, false, ""},
		{"empty mentions", func(e *Entity) { e.Mentions = []Mention{} }, false, ""},
		{"empty merged from", func(e *Entity) { e.MergedFrom = []string{} }, false, ""},
		{"invalid utf-8 in an alias", func(e *Entity) { e.Aliases = []string{"a\xffb"} }, false, ""},
		{"invalid utf-8 in a mention", func(e *Entity) { e.Mentions[0].Text = "\xed\xa0\x80" }, false, ""},
		{"invalid utf-8 in the summary", func(e *Entity) { e.Summary = "\xff" }, false, ""},
		{"NaN latitude", func(e *Entity) { *e.Lat = math.NaN() }, false, Invalid},
		{"infinite goldstein", func(e *Entity) { *e.Goldstein = math.Inf(-1) }, false, Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base()
			tt.edit(&e)
			if got := entityCanonical(&e); got != tt.fast {
				t.Errorf("entityCanonical = %v, want %v", got, tt.fast)
			}
			want, wantJSON, wantErr := Canonical(e)
			in := base()
			tt.edit(&in)
			got, gotJSON, err := canonicalEntity(in)
			if tt.wantCode != "" || wantErr != nil {
				if !Is(err, tt.wantCode) || !Is(wantErr, tt.wantCode) {
					t.Fatalf("errors %v and %v, want %s", err, wantErr, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%#v\nwant\n%#v", got, want)
			}
			if tt.fast && gotJSON != nil {
				t.Errorf("the shortcut made JSON")
			}
			if !tt.fast && string(gotJSON) != string(wantJSON) {
				t.Errorf("JSON\n%s\nwant\n%s", gotJSON, wantJSON)
			}
			if len(in.Mentions) > 0 && &got.Mentions[0] == &in.Mentions[0] || in.Lat != nil && got.Lat == in.Lat {
				t.Errorf("the result shares the caller's memory")
			}
		})
	}
}
