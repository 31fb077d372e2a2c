package names

import (
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"خالد المحجوب", []string{"خالد", "محجوب"}},
		{"حَفْتَر", []string{"حفتر"}},
		{"أسامة حمّاد", []string{"اسامه", "حماد"}},
		{"مصطفى", []string{"مصطفي"}},
		{"Khaled al-Mahjoub", []string{"khaled", "mahjoub"}},
		{"El Sonni", []string{"sonni"}},
		{"Ḥaftar", []string{"haftar"}},
		{"الله", []string{"الله"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVariantsPeelProclitics(t *testing.T) {
	tests := []struct{ in, want string }{
		{"وحفتر", "حفتر"},
		{"لحفتر", "حفتر"},
		{"فبحفتر", "حفتر"},
		{"للقياده", "قياده"},
		{"وبالقياده", "قياده"},
	}
	for _, tt := range tests {
		got := Variants(tt.in)
		found := false
		for _, v := range got {
			found = found || v == tt.want
		}
		if !found {
			t.Errorf("Variants(%q) = %q, want it to include %q", tt.in, got, tt.want)
		}
		if got[0] != tt.in {
			t.Errorf("Variants(%q)[0] = %q, want the token itself first", tt.in, got[0])
		}
	}
	if got := Variants("haftar"); len(got) != 1 {
		t.Errorf("Latin tokens have no proclitics, got %q", got)
	}
}

func TestSkeletonUnifiesTransliterations(t *testing.T) {
	groups := [][]string{
		{"haftar", "hifter", "hiftar", "haftir"},
		{"misrata", "misurata", "misratah"},
		{"aguila", "aqila"},
		{"dbeibah", "dbeiba", "dbaiba"},
	}
	for _, g := range groups {
		want := Skeleton(g[0])
		for _, v := range g[1:] {
			if got := Skeleton(v); got != want {
				t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q; want equal", v, got, g[0], want)
			}
		}
	}
	if Skeleton("haftar") == Skeleton("misrata") {
		t.Error("different names share a skeleton")
	}
}

func TestScore(t *testing.T) {
	if s := Score("خالد حفتر", "خالد خليفة حفتر"); s <= Score("خالد حفتر", "خليفة حفتر") {
		t.Errorf("Khaled query scores Khaled %v, not above Khalifa %v", s, Score("خالد حفتر", "خليفة حفتر"))
	}
	if Score("خالد حفتر", "خليفة حفتر") != 0 {
		t.Error("a query token missing from the name must not match")
	}
	if Score("Hifter", "Khaled Haftar") == 0 {
		t.Error("Hifter should match Haftar by skeleton")
	}
	if Score("Haftar", "Haftar") != 1 {
		t.Error("identical names score 1")
	}
	if s := Score("وحفتر", "خالد حفتر"); s == 0 || s >= Score("حفتر", "خالد حفتر") {
		t.Errorf("a peeled proclitic should match but score lower, got %v", s)
	}
}

func TestScoreExact(t *testing.T) {
	cases := []struct {
		query, name string
		match       bool
	}{
		{"Haftar", "Khaled Haftar", true},
		{"HAFTAR", "Khaled Haftar", true},
		{"Ḥaftar", "Khaled Haftar", true},
		{"Mahjoub", "Khaled al-Mahjoub", true},
		{"el-Mahjoub", "Khaled al-Mahjoub", true},
		{"حفتر", "خالد خليفة حفتر", true},
		{"حَفْتَر", "خالد خليفة حفتر", true},
		{"الحفتر", "خالد خليفة حفتر", true}, // the article is normalisation, not a variant
		{"اسامه", "أسامة حماد", true},
		{"Hifter", "Khaled Haftar", false}, // consonant skeleton
		{"Misurata", "Misrata", false},
		{"وحفتر", "خالد خليفة حفتر", false}, // peeled proclitic
		{"Haft", "Khaled Haftar", false},    // prefix
		{"Khaled Hifter", "Khaled Haftar", false},
	}
	for _, c := range cases {
		got := ScoreExact(c.query, c.name)
		if (got > 0) != c.match {
			t.Errorf("ScoreExact(%q, %q) = %v, want a match: %v", c.query, c.name, got, c.match)
		}
		// An exact match is also a fuzzy one, and scores the same.
		if got > 0 && got != Score(c.query, c.name) {
			t.Errorf("ScoreExact(%q, %q) = %v, Score %v", c.query, c.name, got, Score(c.query, c.name))
		}
		if !c.match && Score(c.query, c.name) == 0 && c.query != "Haft" {
			t.Errorf("fuzzy Score(%q, %q) should match: the case tests exactness, not a miss", c.query, c.name)
		}
	}
}

func TestQueryKeysExactAreTheTokens(t *testing.T) {
	got := QueryKeysExact("وخالد Hifter")
	if len(got) != 2 || len(got[0]) != 1 || got[0][0] != "وخالد" || len(got[1]) != 1 || got[1][0] != "hifter" {
		t.Errorf("QueryKeysExact = %q, want [[وخالد] [hifter]]", got)
	}
}

func TestHasArabic(t *testing.T) {
	for s, want := range map[string]bool{"خليفة حفتر": true, "Khalifa Haftar": false, "Haftar حفتر": true, "2025": false, "": false} {
		if HasArabic(s) != want {
			t.Errorf("HasArabic(%q) = %v", s, !want)
		}
	}
}
