package storetest

import (
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func (s *suite) searchTests() []subtest {
	return []subtest{
		{"Search/Variants", s.testSearchVariants},
		{"Search/Reference", s.testSearchReference},
		{"Search/Errors", s.testSearchErrors},
	}
}

// wantHits is the reference search over the fixture: every entity of the
// asked kinds (all but documents by default) that scores above zero,
// ordered by graph.SortHits.
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
		if len(q.Kinds) == 0 && e.Kind == graph.KindDocument || len(q.Kinds) > 0 && !slices.Contains(q.Kinds, e.Kind) {
			continue
		}
		if score, matched := graph.ScoreEntity(q.Text, &e); score > 0 {
			hits = append(hits, graph.SearchHit{Entity: e, Score: score, Matched: matched})
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
	} {
		_, err := st.Search(ctx(), q)
		wantCode(t, "Search("+q.Text+")", err, graph.Invalid)
	}
}
