package gazetteer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/segment"
)

func load(t *testing.T, files ...string) *Gazetteer {
	t.Helper()
	g, err := Load(files...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestBuiltin(t *testing.T) {
	g := load(t)
	if n := len(g.Entries()); n < 40 {
		t.Errorf("built-in gazetteer has %d entries, want at least 40", n)
	}
	for _, e := range g.Entries() {
		if e.EntityKind() == graph.KindPlace && e.ID != "place/libya" && e.LocatedIn == "" {
			t.Errorf("%s: place without located_in", e.ID)
		}
		if e.EntityKind() == graph.KindPlace && e.Lat == nil {
			t.Errorf("%s: place without coordinates", e.ID)
		}
		if e.Lat != nil && (*e.Lat < 19 || *e.Lat > 34 || *e.Lon < 9 || *e.Lon > 26) {
			t.Errorf("%s: coordinates %v,%v are outside Libya", e.ID, *e.Lat, *e.Lon)
		}
		if !strings.HasPrefix(e.Source, "http") && e.Source != "corpus seed" {
			t.Errorf("%s: source %q is neither a URL nor \"corpus seed\"", e.ID, e.Source)
		}
		if !graph.ValidID(e.EntityID()) {
			t.Errorf("%s: bad id", e.ID)
		}
	}
	// Khalifa, Khaled and Saddam Haftar are three people.
	ids := map[string]bool{}
	for _, id := range []string{"person/khalifa-haftar", "person/khaled-haftar", "person/saddam-haftar"} {
		e, ok := g.Entry(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		ids[e.EntityID()] = true
	}
	if len(ids) != 3 {
		t.Error("the Haftars share an id")
	}
}

func TestDocumentStatements(t *testing.T) {
	g := load(t)
	doc := g.Document()
	if doc.ID != graph.DocumentID("polgraph:gazetteer") || doc.Source != "gazetteer" || doc.Title != "polgraph gazetteer" {
		t.Errorf("document = %+v", doc)
	}
	runes := []rune(doc.Text)
	found := false
	for _, s := range g.Statements() {
		if string(runes[s.Start:s.End]) != s.Sentence {
			t.Errorf("statement %q is not the slice [%d,%d)", s.Sentence, s.Start, s.End)
		}
		if s.Sentence == "Misrata is located in Libya." {
			found = true
		}
	}
	if !found {
		t.Error(`no "Misrata is located in Libya."`)
	}
	if !utf8.ValidString(doc.Text) {
		t.Error("text is not UTF-8")
	}
}

func tokens(s string) []segment.Token {
	r := []rune(s)
	return segment.Tokenize(r, 0, len(r))
}

func TestMatcher(t *testing.T) {
	m := load(t).Matcher()
	tests := []struct {
		text       string
		at         int
		id         string // "" for no match
		end, skip  int
		ambiguous  bool
		looseMatch bool
	}{
		{"خالد خليفة حفتر، رئيس", 0, "person/khaled-haftar", 3, 0, false, false},
		{"خليفة حفتر", 0, "person/khalifa-haftar", 2, 0, false, false},
		{"وبمصراتة", 0, "place/misrata", 1, 2, false, false},
		{"والقيادة العامة", 0, "org/general-command", 2, 1, false, false},
		{"إدارة التوجيه المعنوي", 0, "org/moral-guidance-department", 3, 0, false, false},
		{"اللجنة العسكرية المشتركة 5 + 5", 0, "org/jmc-5-5", 6, 0, false, false},
		{"Khalid al Mishri", 0, "person/khalid-al-mishri", 3, 0, false, false},
		{"Khaled Hifter", 0, "person/khaled-haftar", 2, 0, false, false},
		{"Khaled Haftir", 0, "person/khaled-haftar", 2, 0, false, true},
		{"the HoR said", 1, "org/house-of-representatives", 2, 0, false, false},
		{"the hor said", 1, "", 0, 0, false, false},     // acronyms in capitals only
		{"the central bank", 1, "", 0, 0, false, false}, // Latin names need a capital
		{"the Central Bank of Libya", 1, "org/central-bank-of-libya", 5, 0, false, false},
		{"حفتر", 0, "", 0, 0, false, false},   // a surname alone is not a name
		{"الليبي", 0, "", 0, 0, false, false}, // an adjective is not Libya
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := m.At(tokens(tt.text), tt.at)
			if tt.id == "" {
				if ok {
					t.Errorf("matched %s, want no match", got.Entries[0].ID)
				}
				return
			}
			if !ok {
				t.Fatalf("no match, want %s", tt.id)
			}
			if got.Entries[0].ID != tt.id || got.End != tt.end || got.Skip != tt.skip || got.Loose != tt.looseMatch {
				t.Errorf("got %s end=%d skip=%d loose=%v, want %s end=%d skip=%d loose=%v",
					got.Entries[0].ID, got.End, got.Skip, got.Loose, tt.id, tt.end, tt.skip, tt.looseMatch)
			}
		})
	}
}

func TestUserGazetteer(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("extra.yaml", `version: 1
entries:
  - id: place/bani-walid
    kind: Place
    subtype: city
    name: Bani Walid
    name_ar: بني وليد
    located_in: place/libya
    lat: 31.7566
    lon: 13.9942
    source: https://en.wikipedia.org/wiki/Bani_Walid
  - id: place/misrata
    kind: Place
    subtype: city
    name: Misrata
    name_ar: مصراتة
    aliases: [Misurata, Misrata city]
    located_in: place/libya
    lat: 32.3773
    lon: 15.0910
    source: https://en.wikipedia.org/wiki/Misrata
`)
	g := load(t, good)
	if _, ok := g.Entry("place/bani-walid"); !ok {
		t.Error("user entry not added")
	}
	if e, _ := g.Entry("place/misrata"); len(e.Aliases) != 2 {
		t.Errorf("user entry did not replace the built-in one: %v", e.Aliases)
	}
	if _, ok := g.Matcher().At(tokens("بني وليد"), 0); !ok {
		t.Error("user entry not matched")
	}

	bad := map[string]string{
		"unknown field":   "version: 1\nentries:\n  - id: place/x\n    kind: Place\n    name: X\n    colour: red\n    source: corpus seed\n",
		"bad kind":        "version: 1\nentries:\n  - id: event/x\n    kind: Event\n    name: X\n    source: corpus seed\n",
		"no source":       "version: 1\nentries:\n  - id: place/x\n    kind: Place\n    name: X\n",
		"dangling ref":    "version: 1\nentries:\n  - id: place/x\n    kind: Place\n    name: X\n    located_in: place/nowhere\n    source: corpus seed\n",
		"bad id":          "version: 1\nentries:\n  - id: Place X\n    kind: Place\n    name: X\n    source: corpus seed\n",
		"lat alone":       "version: 1\nentries:\n  - id: place/x\n    kind: Place\n    name: X\n    lat: 3\n    source: corpus seed\n",
		"out of range":    "version: 1\nentries:\n  - id: place/x\n    kind: Place\n    name: X\n    lat: 95\n    lon: 3\n    source: corpus seed\n",
		"cycle":           "version: 1\nentries:\n  - id: place/a\n    kind: Place\n    name: A\n    located_in: place/b\n    source: corpus seed\n  - id: place/b\n    kind: Place\n    name: B\n    located_in: place/a\n    source: corpus seed\n",
		"wrong version":   "version: 2\nentries: []\n",
		"not yaml":        "{{{",
		"member of place": "version: 1\nentries:\n  - id: person/x\n    kind: Person\n    name: X\n    member_of: [place/libya]\n    source: corpus seed\n",
	}
	for name, body := range bad {
		t.Run(name, func(t *testing.T) {
			p := write(strings.ReplaceAll(name, " ", "_")+".yaml", body)
			_, err := Load(p)
			if !graph.Is(err, graph.Invalid) {
				t.Fatalf("err = %v, want invalid", err)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !graph.Is(err, graph.Invalid) {
		t.Errorf("missing file: err = %v", err)
	}
}
