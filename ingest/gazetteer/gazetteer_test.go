package gazetteer

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
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

// countryBox is a rough bounding box of each country of the built-in
// gazetteer (its mainland, generously): every place must lie inside the box
// of the country its located_in chain ends at. A new country needs a box.
var countryBox = map[string]struct{ minLat, maxLat, minLon, maxLon float64 }{
	"place/libya":         {19, 34, 9, 26},
	"place/egypt":         {22, 32, 24.5, 37},
	"place/tunisia":       {30, 38, 7, 12},
	"place/algeria":       {18, 38, -9, 12},
	"place/niger":         {11, 24, 0, 16.5},
	"place/chad":          {7, 24, 13, 24.5},
	"place/sudan":         {8, 23, 21.5, 39},
	"place/turkey":        {35.5, 42.5, 25.5, 45},
	"place/italy":         {35, 47.5, 6.5, 19},
	"place/israel":        {29, 33.5, 34, 36},
	"place/russia":        {41, 82, 19, 180},
	"place/united-states": {18, 72, -180, -66},
	"place/uae":           {22, 26.5, 51, 56.5},
	"place/qatar":         {24.4, 26.3, 50.7, 51.7},
	"place/france":        {41, 51.5, -5.5, 10},
	"place/switzerland":   {45.8, 48, 5.9, 10.5},
}

// corpusArticle is the source of a fact known only from one article of the
// shared corpus (../shared/corpus/articles/NNN.json).
var corpusArticle = regexp.MustCompile(`^corpus article [0-9]{3}$`)

func TestBuiltin(t *testing.T) {
	g := load(t)
	if n := len(g.Entries()); n < 40 {
		t.Errorf("built-in gazetteer has %d entries, want at least 40", n)
	}
	for _, e := range g.Entries() {
		if e.EntityKind() == graph.KindPlace {
			checkPlace(t, g, e)
		}
		if !strings.HasPrefix(e.Source, "http") && e.Source != "corpus seed" && !corpusArticle.MatchString(e.Source) {
			t.Errorf("%s: source %q is neither a URL, \"corpus seed\" nor \"corpus article NNN\"", e.ID, e.Source)
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

// checkPlace checks that a place has coordinates, that its located_in chain
// ends at a country (countries have none), and that it lies inside that
// country's box.
func checkPlace(t *testing.T, g *Gazetteer, e *Entry) {
	t.Helper()
	if e.Lat == nil {
		t.Errorf("%s: place without coordinates", e.ID)
		return
	}
	if e.Subtype == "country" && e.LocatedIn != "" {
		t.Errorf("%s: a country located in %s", e.ID, e.LocatedIn)
	}
	country := e
	for country.Subtype != "country" {
		if country.LocatedIn == "" {
			t.Errorf("%s: located_in chain stops at %s, not at a country", e.ID, country.ID)
			return
		}
		country, _ = g.Entry(country.LocatedIn)
	}
	box, ok := countryBox[country.ID]
	if !ok {
		t.Errorf("%s: no bounding box for %s in the test", e.ID, country.ID)
		return
	}
	if *e.Lat < box.minLat || *e.Lat > box.maxLat || *e.Lon < box.minLon || *e.Lon > box.maxLon {
		t.Errorf("%s: coordinates %v,%v are outside %s", e.ID, *e.Lat, *e.Lon, country.Name)
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
		{"the hor said", 1, "", 0, 0, false, false},                              // acronyms in capitals only
		{"the central bank", 1, "org/central-bank-of-libya", 3, 0, false, false}, // two words of a body's name, in lower case
		{"Libya's presidential council", 2, "org/presidential-council", 4, 0, false, false},
		{"khaled haftar said", 0, "", 0, 0, false, false}, // people need a capital
		{"the council", 1, "", 0, 0, false, false},        // one word is not a name
		{"the Central Bank of Libya", 1, "org/central-bank-of-libya", 5, 0, false, false},
		{"حفتر", 0, "", 0, 0, false, false},   // a surname alone is not a name
		{"الليبي", 0, "", 0, 0, false, false}, // an adjective is not Libya
		{"بتسهيل من تركيا", 2, "place/turkey", 3, 0, false, false},
		{"facilitated by Turkiye", 2, "place/turkey", 3, 0, false, false},
		{"Türkiye", 0, "place/turkey", 1, 0, false, false},
		{"الوساطة التركية", 1, "place/turkey", 2, 0, false, false}, // a nationality adjective designates the state (annotation guideline)
		{"وقيادات مصراتة", 1, "place/misrata", 2, 0, false, false},
		{"في جنيف بسويسرا", 1, "place/geneva", 2, 0, false, false},
		{"زياد دغيم", 0, "person/ziad-daghim", 2, 0, false, false},
		{"Ziyad Deghem", 0, "person/ziad-daghim", 2, 0, false, false},
		{"مرعي البرعصي", 0, "person/marai-al-barassi", 2, 0, false, false},
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
		"capital person":  "version: 1\nentries:\n  - id: person/x\n    kind: Person\n    name: X\n    capital: true\n    source: corpus seed\n",
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

func TestWithin(t *testing.T) {
	g := load(t)
	for _, c := range []struct {
		id, ancestor string
		want         bool
	}{
		{"place/abu-salim", "place/tripoli", true},
		{"place/abu-salim", "place/libya", true},
		{"place/tripoli", "place/abu-salim", false},
		{"place/tripoli", "place/tripoli", false},
		{"place/cairo", "place/libya", false},
		{"place/nowhere", "place/libya", false},
	} {
		if got := g.Within(c.id, c.ancestor); got != c.want {
			t.Errorf("Within(%s, %s) = %v, want %v", c.id, c.ancestor, got, c.want)
		}
	}
}

// TestWithAPIEntries extends the built-in gazetteer as the API does: the new
// statements are appended to the document (stored evidence keeps its
// offsets), the entries keep the order they were added in, and they survive
// Marshal and ParseOrigin.
func TestWithAPIEntries(t *testing.T) {
	g := load(t)
	first, err := ParseOrigin([]byte(`version: 1
entries:
  - id: person/zz-test
    kind: Person
    name: Zz Test
    name_ar: زز تست
    member_of: [org/general-command]
    source: test
  - id: place/aa-test
    kind: Place
    name: Aa Test
    located_in: place/fezzan
    lat: 26.5
    lon: 13.5
    source: test
`), "api", OriginAPI)
	if err != nil {
		t.Fatal(err)
	}
	g1, err := g.With(first)
	if err != nil {
		t.Fatal(err)
	}
	second, err := ParseOrigin([]byte(`{"version": 1, "entries": [{"id": "org/mm-test", "kind": "Organization", "name": "Mm Test", "source": "test"},
		{"id": "person/zz-test", "kind": "Person", "name": "Zz Test", "member_of": ["org/mm-test"], "source": "test"}]}`), "api", OriginAPI)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := g1.With(second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(g1.Document().Text, g.Document().Text) {
		t.Error("adding entries moved lines of the built-in statements")
	}
	want := "Aa Test is located in Fezzan.\n"
	if !strings.HasSuffix(g2.Document().Text, want) || !strings.Contains(g2.Document().Text, "Zz Test is a member of Mm Test.\n") {
		t.Errorf("API statements not at the end in the order added:\n%s", g2.Document().Text[len(g.Document().Text):])
	}
	if e, _ := g.Entry("person/khalifa-haftar"); e.Origin() != OriginBuiltin {
		t.Errorf("built-in entry has origin %q", e.Origin())
	}
	var ids []string
	for _, e := range g2.EntriesFrom(OriginAPI) {
		ids = append(ids, e.ID)
	}
	if strings.Join(ids, " ") != "person/zz-test place/aa-test org/mm-test" {
		t.Errorf("API entries in order %v", ids)
	}
	if _, ok := g.Entry("person/zz-test"); ok {
		t.Error("With changed the gazetteer it extends")
	}

	doc, err := g2.APIDocument()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseOrigin([]byte(doc.Text), APIDocumentURL, OriginAPI)
	if err != nil {
		t.Fatalf("%v\n%s", err, doc.Text)
	}
	g3, err := g.With(back)
	if err != nil {
		t.Fatal(err)
	}
	if g3.Document().Text != g2.Document().Text || doc.ID != graph.DocumentID(APIDocumentURL) {
		t.Error("the API document does not give the same gazetteer back")
	}
	if e, _ := g3.Entry("place/aa-test"); e.Lat == nil || *e.Lat != 26.5 || e.Origin() != OriginAPI {
		t.Errorf("round trip lost fields: %+v", e)
	}
}

func TestErrorsNameTheField(t *testing.T) {
	tests := map[string]string{
		"version: 1\nentries:\n  - id: place/x\n    kind: Place\n    name: X\n    source: test\n  - id: person/y\n    kind: Person\n    name: Y\n    lat: 3\n    lon: 4\n    source: test\n": "entries[1].lat",
		"version: 1\nentries:\n  - id: person/y\n    kind: Person\n    name: Y\n    family: [{relation: son, of: person/nobody}]\n    source: test\n":                                        "entries[0].family",
		"version: 1\nentries:\n  - id: person/y\n    kind: Person\n    name: Y\n    source: test\n  - id: person/y\n    kind: Person\n    name: Y\n    source: test\n":                       "entries[1].id",
		"version: 3\n": "version",
	}
	g := load(t)
	for body, param := range tests {
		entries, err := ParseOrigin([]byte(body), "body", OriginAPI)
		if err == nil {
			_, err = g.With(entries)
		}
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.Code != graph.Invalid || ge.Param != param {
			t.Errorf("%q: err %v (param %q), want invalid naming %s", body, err, paramOf(err), param)
		}
	}
}

func paramOf(err error) string {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge.Param
	}
	return ""
}

// FuzzParse feeds arbitrary bodies to what POST /v1/gazetteer runs: no
// panic; every error is Invalid; what is accepted survives Marshal and
// ParseOrigin, and its statements are slices of the document.
func FuzzParse(f *testing.F) {
	f.Add([]byte("version: 1\nentries:\n  - id: person/x\n    kind: Person\n    name: X\n    member_of: [org/general-command]\n    source: test\n"))
	f.Add([]byte(`{"version": 1, "entries": [{"id": "place/y", "kind": "Place", "name": "Y", "located_in": "place/libya", "lat": 30, "lon": 15, "source": "test"}]}`))
	f.Add([]byte("version: 1\nentries: [null]\n"))
	f.Add([]byte("{{{"))
	base, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := ParseOrigin(body, "body", OriginAPI)
		if err != nil {
			if !graph.Is(err, graph.Invalid) {
				t.Fatalf("parse error %v is not invalid", err)
			}
			return
		}
		g, err := base.With(entries)
		if err != nil {
			if !graph.Is(err, graph.Invalid) {
				t.Fatalf("error %v is not invalid", err)
			}
			return
		}
		runes := []rune(g.Document().Text)
		for _, s := range g.Statements() {
			if s.End > len(runes) || string(runes[s.Start:s.End]) != s.Sentence {
				t.Fatalf("statement %q is not its slice", s.Sentence)
			}
		}
		doc, err := g.APIDocument()
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseOrigin([]byte(doc.Text), APIDocumentURL, OriginAPI)
		if err != nil {
			t.Fatalf("the API document does not parse: %v\n%s", err, doc.Text)
		}
		if _, err := base.With(back); err != nil {
			t.Fatalf("the API document's entries are rejected: %v", err)
		}
	})
}

func TestCodes(t *testing.T) {
	g, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ scheme, value, want string }{
		{"cameo", "LBY", "place/libya"},
		{"fips", "ly", "place/libya"},
		{"iso", "434", "place/libya"},
		{"acled", "military forces of libya  (2014-)", "org/general-command"},
		{"gdelt", "HAFTAR", "person/khalifa-haftar"},
	} {
		e, ok := g.ByCode(c.scheme, c.value)
		if !ok || e.ID != c.want {
			t.Errorf("ByCode(%s, %q) = %v, %v; want %s", c.scheme, c.value, e, ok, c.want)
		}
	}
	if e, ok := g.ByCode("fips", "LBY"); ok {
		t.Errorf("ByCode(fips, LBY) = %s: a CAMEO code is not a FIPS code", e.ID)
	}
	for _, bad := range []string{"LBY", "nato:LBY", "cameo:", "cameo:LBY"} {
		_, err := New([]*Entry{{ID: "place/x", Kind: "Place", Name: "X", Source: "test", Codes: []string{bad}},
			{ID: "place/y", Kind: "Place", Name: "Y", Source: "test", Codes: []string{"cameo:lby"}}})
		if !graph.Is(err, graph.Invalid) {
			t.Errorf("code %q: New = %v, want an invalid-entry error", bad, err)
		}
	}
}
