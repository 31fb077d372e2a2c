package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func (s *suite) searchTests() []subtest {
	return []subtest{
		{"Search/Variants", s.testSearchVariants},
		{"Search/Reference", s.testSearchReference},
		{"Search/Errors", s.testSearchErrors},
		{"Search/Script", s.testSearchScript},
		{"Search/Exact", s.testSearchExact},
		{"Search/OptionsReference", s.testSearchOptionsReference},
	}
}

// wantHits is the reference search over the fixture: every entity that
// the query's Score (kinds, all but documents by default; script;
// exactness) rates above zero, ordered by graph.SortHits.
func wantHits(q graph.SearchQuery) []graph.SearchHit {
	b := Fixture()
	all := make([]graph.Entity, 0, len(b.Entities)+len(b.Documents))
	for _, e := range b.Entities {
		all = append(all, storedEntity(e))
	}
	for _, d := range b.Documents {
		all = append(all, storedDocEntity(d))
	}
	hits := []graph.SearchHit{}
	for _, e := range all {
		if score, matched := q.Score(&e); score > 0 {
			hits = append(hits, graph.SearchHit{Entity: listed(e), Score: score, Matched: matched})
		}
	}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	return graph.SortHits(hits, limit)
}

func hitIDs(hs []graph.SearchHit) []string {
	return ids(hs, func(h graph.SearchHit) string { return h.Entity.ID })
}

// testSearchVariants looks the fixture's names up as writers spell them.
func (s *suite) testSearchVariants(t *testing.T) {
	st := s.fixtureStore(t)
	cases := []struct {
		query string
		kinds []graph.Kind
		first string   // the best hit, if set
		has   []string // also among the hits
		above [2]string
	}{
		// Arabic: partial names, tashkeel, proclitics, the article, hamza and alef forms, ى/ي and ة/ه.
		{query: "خالد حفتر", first: KhaledHaftar},
		{query: "خالد خليفة حفتر", first: KhaledHaftar},
		{query: "حَفْتَر", has: []string{KhaledHaftar, KhalifaHaftar}},
		{query: "حفتـــر", has: []string{KhaledHaftar, KhalifaHaftar}},
		{query: "وحفتر", has: []string{KhaledHaftar, KhalifaHaftar}},
		{query: "لحفتر", has: []string{KhaledHaftar}},
		{query: "الحفتر", has: []string{KhaledHaftar}},
		{query: "اسامه حماد", first: OsamaHammad},
		{query: "أسامة حماد", first: OsamaHammad},
		{query: "إسامة", first: OsamaHammad},
		{query: "مصطفي", first: MustafaSalem},
		{query: "مصطفى سالم", first: MustafaSalem},
		{query: "المحجوب", first: KhaledMahjoub},
		{query: "مصراته", first: Misrata},
		{query: "ومصراتة", first: Misrata},
		{query: "سرت", first: Sirte, has: []string{SirteMeeting, SirteAgreement}},
		{query: "القيادة العامة", first: GeneralCommand},
		{query: "للقيادة العامة", first: GeneralCommand},
		// Latin: case, transliteration variants, articles, diacritics.
		{query: "Haftar", has: []string{KhaledHaftar, KhalifaHaftar}},
		{query: "HAFTAR", has: []string{KhaledHaftar, KhalifaHaftar}},
		{query: "Hifter", first: KhaledHaftar, has: []string{KhalifaHaftar}},
		{query: "Hiftar", has: []string{KhaledHaftar, KhalifaHaftar}},
		{query: "Ḥaftar", has: []string{KhaledHaftar, KhalifaHaftar}},
		{query: "Khaled Haftar", first: KhaledHaftar, above: [2]string{KhaledHaftar, KhalifaHaftar}},
		{query: "Khalid Hifter", first: KhaledHaftar},
		{query: "khalifa haftar", first: KhalifaHaftar, above: [2]string{KhalifaHaftar, KhaledHaftar}},
		{query: "al-Mahjoub", first: KhaledMahjoub},
		{query: "el-Mahjoub", first: KhaledMahjoub},
		{query: "Mahjoub", first: KhaledMahjoub},
		{query: "Khaled el Mahjoub", first: KhaledMahjoub},
		{query: "Misrata", first: Misrata, has: []string{MisrataLeaders}},
		{query: "Misurata", first: Misrata},
		{query: "Misratah", first: Misrata},
		{query: "MISURATA", first: Misrata},
		{query: "Tripoli", first: Tripoli, has: []string{TripoliClash}},
		// Kinds.
		{query: "Misrata", kinds: []graph.Kind{graph.KindGroup}, first: MisrataLeaders},
		{query: "سرت", kinds: []graph.Kind{graph.KindEvent}, has: []string{SirteMeeting, SirteAgreement}},
		{query: "joint force", first: JointForce},
		{query: "joint force", kinds: []graph.Kind{graph.KindDocument}, first: DocAgreement},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			hits, err := st.Search(ctx(), graph.SearchQuery{Text: c.query, Kinds: c.kinds})
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(hits)
			if len(got) == 0 {
				t.Fatalf("no hits")
			}
			if c.first != "" && got[0] != c.first {
				t.Errorf("first hit %s, want %s; hits %s", entityName(got[0]), entityName(c.first), named(got))
			}
			for _, id := range c.has {
				if !slices.Contains(got, id) {
					t.Errorf("%s not among the hits %s", entityName(id), named(got))
				}
			}
			if c.above[0] != "" {
				i, j := slices.Index(got, c.above[0]), slices.Index(got, c.above[1])
				if i < 0 || j >= 0 && j < i {
					t.Errorf("%s should rank above %s: %s", entityName(c.above[0]), entityName(c.above[1]), named(got))
				}
			}
			for _, h := range hits {
				if len(c.kinds) == 0 && h.Entity.Kind == graph.KindDocument ||
					len(c.kinds) > 0 && !slices.Contains(c.kinds, h.Entity.Kind) {
					t.Errorf("hit %s is a %s, outside the kinds asked for", h.Entity.Name, h.Entity.Kind)
				}
			}
		})
	}
}

// testSearchReference compares whole answers with the reference: the same
// hits, scores, matched names and order.
func (s *suite) testSearchReference(t *testing.T) {
	st := s.fixtureStore(t)
	for _, q := range []graph.SearchQuery{
		{Text: "Haftar"},
		{Text: "حفتر"},
		{Text: "Hiftar"},
		{Text: "Khaled"},
		{Text: "خالد"},
		{Text: "Misrata"},
		{Text: "meeting"},
		{Text: "meeting", Limit: 2},
		{Text: "Sirte", Kinds: []graph.Kind{graph.KindEvent, graph.KindPlace}},
		{Text: "cabinet", Kinds: []graph.Kind{graph.KindDocument}},
		{Text: "Government of National Stability"},
		{Text: "nobody by this name"},
		// Each token is a name of Khaled Haftar, but no one name holds both:
		// an index candidate that scores 0 is no hit.
		{Text: "Khaled خليفة"},
	} {
		t.Run(q.Text, func(t *testing.T) {
			hits, err := st.Search(ctx(), q)
			if err != nil {
				t.Fatal(err)
			}
			want := wantHits(q)
			sameJSON(t, "hits", hits, want)
			if hits == nil {
				t.Errorf("no hits must be an empty list, not nil")
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Errorf("hits not ordered by score: %v after %v", hits[i].Score, hits[i-1].Score)
				}
			}
		})
	}
	if len(wantHits(graph.SearchQuery{Text: "meeting"})) < 3 {
		t.Errorf("the meeting query should find several events, so that Limit 2 cuts it")
	}
}

func (s *suite) testSearchErrors(t *testing.T) {
	st := s.fixtureStore(t)
	for _, q := range []graph.SearchQuery{
		{Text: ""},
		{Text: "   "},
		{Text: "..."},
		{Text: "Haftar", Kinds: []graph.Kind{"Spy"}},
		{Text: "Haftar", Script: "cyrillic"},
		{Text: "Haftar", Script: "ar"}, // the API's spelling; the store takes graph.ScriptArabic
	} {
		_, err := st.Search(ctx(), q)
		wantCode(t, "Search("+q.Text+")", err, graph.Invalid)
		var e *graph.Error
		if q.Script != "" && errors.As(err, &e) && e.Param != "script" {
			t.Errorf("Search with script %q: param %q, want script", q.Script, e.Param)
		}
	}
}

// testSearchScript restricts matching to the names in one script: the hit's
// Matched name is then in that script, and a query in the other script
// finds nothing.
func (s *suite) testSearchScript(t *testing.T) {
	st := s.fixtureStore(t)
	cases := []struct {
		name    string
		q       graph.SearchQuery
		want    []string          // the hits, in order; nil: none
		matched map[string]string // entity → the name it must have matched by
	}{
		{"Arabic query, Arabic names", graph.SearchQuery{Text: "حفتر", Script: graph.ScriptArabic},
			[]string{KhalifaHaftar, KhaledHaftar},
			map[string]string{KhaledHaftar: "خالد خليفة حفتر", KhalifaHaftar: "خليفة حفتر"}},
		{"Arabic query, Latin names", graph.SearchQuery{Text: "حفتر", Script: graph.ScriptLatin}, nil, nil},
		{"Arabic query with a proclitic, Latin names", graph.SearchQuery{Text: "وحفتر", Script: graph.ScriptLatin}, nil, nil},
		{"Latin query, Latin names", graph.SearchQuery{Text: "Haftar", Script: graph.ScriptLatin},
			[]string{KhaledHaftar, KhalifaHaftar, SirteMeeting},
			map[string]string{KhaledHaftar: "Khaled Haftar", KhalifaHaftar: "Khalifa Haftar"}},
		// Both Haftars are index candidates by their Latin names; scoring
		// only their Arabic ones leaves nothing.
		{"Latin query, Arabic names", graph.SearchQuery{Text: "Haftar", Script: graph.ScriptArabic}, nil, nil},
		{"kinds still filter", graph.SearchQuery{Text: "مصراتة", Script: graph.ScriptArabic, Kinds: []graph.Kind{graph.KindGroup}},
			[]string{MisrataLeaders}, map[string]string{MisrataLeaders: "قيادات أمنية وعسكرية في مدينة مصراتة"}},
		{"an alias in the script", graph.SearchQuery{Text: "Misurata", Script: graph.ScriptLatin, Exact: true},
			[]string{Misrata}, map[string]string{Misrata: "Misurata"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits, err := st.Search(ctx(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if hits == nil {
				t.Fatal("no hits must be an empty list, not nil")
			}
			got := hitIDs(hits)
			if c.want == nil {
				c.want = []string{}
			}
			sameIDs(t, "hits", got, c.want)
			for _, h := range hits {
				if graph.NameScript(h.Matched) != c.q.Script {
					t.Errorf("%s matched by %q, not a name in %s script", h.Entity.Name, h.Matched, c.q.Script)
				}
				if m, ok := c.matched[h.Entity.ID]; ok && h.Matched != m {
					t.Errorf("%s matched by %q, want %q", h.Entity.Name, h.Matched, m)
				}
			}
		})
	}
	// Without a script, an Arabic query matches the same entities by
	// their Arabic names: the restriction only takes away.
	any, err := st.Search(ctx(), graph.SearchQuery{Text: "حفتر"})
	if err != nil {
		t.Fatal(err)
	}
	ar, err := st.Search(ctx(), graph.SearchQuery{Text: "حفتر", Script: graph.ScriptArabic})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "an Arabic query in Arabic script and in any", ar, any)
}

// testSearchExact turns fuzzy matching off: no consonant skeletons, no
// peeled proclitics, but case, diacritics, tashkeel, letter variants and
// articles still fold.
func (s *suite) testSearchExact(t *testing.T) {
	st := s.fixtureStore(t)
	cases := []struct {
		text    string
		kinds   []graph.Kind
		fuzzy   []string // the fuzzy search finds these (and maybe more)
		exact   []string // the exact search finds exactly these, in order
		matched map[string]string
	}{
		// Khalifa Haftar is found as Hifter only by the skeleton; Khaled
		// Haftar has "Khaled Hifter" among his aliases.
		{text: "Hifter", fuzzy: []string{KhaledHaftar, KhalifaHaftar}, exact: []string{KhaledHaftar},
			matched: map[string]string{KhaledHaftar: "Khaled Hifter"}},
		{text: "Hiftar", fuzzy: []string{KhaledHaftar, KhalifaHaftar}},
		{text: "haftar", fuzzy: []string{KhaledHaftar, KhalifaHaftar}, exact: []string{KhaledHaftar, KhalifaHaftar, SirteMeeting},
			matched: map[string]string{KhaledHaftar: "Khaled Haftar", KhalifaHaftar: "Khalifa Haftar"}},
		{text: "Haftar", fuzzy: []string{KhaledHaftar, KhalifaHaftar}, exact: []string{KhaledHaftar, KhalifaHaftar, SirteMeeting}},
		{text: "HAFTAR", fuzzy: []string{KhaledHaftar, KhalifaHaftar}, exact: []string{KhaledHaftar, KhalifaHaftar, SirteMeeting}},
		{text: "Ḥaftar", fuzzy: []string{KhaledHaftar, KhalifaHaftar}, exact: []string{KhaledHaftar, KhalifaHaftar, SirteMeeting}},
		{text: "Khaled Haftar", fuzzy: []string{KhaledHaftar}, exact: []string{KhaledHaftar, SirteMeeting}},
		{text: "Khalid Hifter", fuzzy: []string{KhaledHaftar}},
		{text: "el-Mahjoub", fuzzy: []string{KhaledMahjoub}, exact: []string{KhaledMahjoub}},
		{text: "Misratah", fuzzy: []string{Misrata}},
		{text: "Misurata", fuzzy: []string{Misrata}, exact: []string{Misrata}, matched: map[string]string{Misrata: "Misurata"}},
		{text: "Misrata", kinds: []graph.Kind{graph.KindGroup}, fuzzy: []string{MisrataLeaders}, exact: []string{MisrataLeaders}},
		// Arabic: folding and the article, but no proclitics.
		{text: "حفتر", fuzzy: []string{KhaledHaftar, KhalifaHaftar}, exact: []string{KhalifaHaftar, KhaledHaftar}},
		{text: "حَفْتَر", fuzzy: []string{KhaledHaftar, KhalifaHaftar}, exact: []string{KhalifaHaftar, KhaledHaftar}},
		{text: "الحفتر", fuzzy: []string{KhaledHaftar}, exact: []string{KhalifaHaftar, KhaledHaftar}},
		{text: "وحفتر", fuzzy: []string{KhaledHaftar, KhalifaHaftar}},
		{text: "للقيادة العامة", fuzzy: []string{GeneralCommand}},
		{text: "القيادة العامة", fuzzy: []string{GeneralCommand}, exact: []string{GeneralCommand}},
		{text: "أسامة حماد", fuzzy: []string{OsamaHammad}, exact: []string{OsamaHammad}},
		{text: "اسامه حماد", fuzzy: []string{OsamaHammad}, exact: []string{OsamaHammad}},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			fuzzy, err := st.Search(ctx(), graph.SearchQuery{Text: c.text, Kinds: c.kinds})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range c.fuzzy {
				if !slices.Contains(hitIDs(fuzzy), id) {
					t.Errorf("fuzzy: %s not among the hits %s", entityName(id), named(hitIDs(fuzzy)))
				}
			}
			exact, err := st.Search(ctx(), graph.SearchQuery{Text: c.text, Kinds: c.kinds, Exact: true})
			if err != nil {
				t.Fatal(err)
			}
			if exact == nil {
				t.Fatal("no hits must be an empty list, not nil")
			}
			if c.exact == nil {
				c.exact = []string{}
			}
			sameIDs(t, "exact hits", hitIDs(exact), c.exact)
			for _, h := range exact {
				if m, ok := c.matched[h.Entity.ID]; ok && h.Matched != m {
					t.Errorf("%s matched by %q, want %q", h.Entity.Name, h.Matched, m)
				}
			}
			// An exact hit is a fuzzy hit with the same score, in the same
			// order: exactness only takes away.
			byID := map[string]graph.SearchHit{}
			for _, h := range fuzzy {
				byID[h.Entity.ID] = h
			}
			last := -1
			for _, h := range exact {
				f, ok := byID[h.Entity.ID]
				if !ok || f.Score != h.Score {
					t.Errorf("exact hit %s (score %v) is not a fuzzy hit of the same score (%v)", h.Entity.Name, h.Score, f.Score)
				}
				i := slices.Index(hitIDs(fuzzy), h.Entity.ID)
				if i < last {
					t.Errorf("exact hits out of the fuzzy order: %s", named(hitIDs(exact)))
				}
				last = i
			}
		})
	}
}

// testSearchOptionsReference compares whole answers with the reference for
// queries with options: the same hits, scores, matched names and order.
func (s *suite) testSearchOptionsReference(t *testing.T) {
	st := s.fixtureStore(t)
	for _, q := range []graph.SearchQuery{
		{Text: "Haftar", Exact: true},
		{Text: "Hifter", Exact: true},
		{Text: "Haftar", Script: graph.ScriptLatin},
		{Text: "Haftar", Script: graph.ScriptLatin, Exact: true},
		{Text: "حفتر", Script: graph.ScriptArabic},
		{Text: "حفتر", Script: graph.ScriptArabic, Exact: true},
		{Text: "خالد", Script: graph.ScriptArabic},
		{Text: "Khaled", Script: graph.ScriptLatin, Limit: 2},
		{Text: "meeting", Exact: true},
		{Text: "meeting", Exact: true, Limit: 2},
		{Text: "سرت", Script: graph.ScriptArabic, Kinds: []graph.Kind{graph.KindEvent, graph.KindPlace}},
		{Text: "Sirte", Exact: true, Kinds: []graph.Kind{graph.KindEvent}},
		{Text: "cabinet", Exact: true, Kinds: []graph.Kind{graph.KindDocument}},
		{Text: "Khaled خليفة", Script: graph.ScriptArabic},
		{Text: "Khaled خليفة", Script: graph.ScriptLatin},
	} {
		t.Run(fmt.Sprintf("%s/%s/exact=%v", q.Text, q.Script, q.Exact), func(t *testing.T) {
			hits, err := st.Search(ctx(), q)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "hits", hits, wantHits(q))
		})
	}
	if len(wantHits(graph.SearchQuery{Text: "meeting", Exact: true})) < 3 {
		t.Errorf("the exact meeting query should find several events, so that Limit 2 cuts it")
	}
}
