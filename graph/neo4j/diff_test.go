package neo4jstore_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
)

// TestAgainstMemstore drives this store and memstore with the same random
// batches and merges, and compares every answer: the suite pins down the
// cases someone thought of, this looks for the others. Any difference is a
// bug in one of them. Paths are compared by lengths (ties may differ).
func TestAgainstMemstore(t *testing.T) {
	cfg := testConfig(t)
	seeds := uint64(3)
	if n, err := strconv.ParseUint(os.Getenv("POLGRAPH_DIFF_SEEDS"), 10, 64); err == nil {
		seeds = n // more, for a longer hunt
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			neo := open(t, cfg)
			mem := memstore.OpenMemory()
			defer mem.Close()
			g := newGen(seed)
			both := func(what string, f func(st graph.Store) (any, error)) {
				t.Helper()
				want, werr := f(mem)
				got, gerr := f(neo)
				if graph.ErrorCode(werr) != graph.ErrorCode(gerr) {
					t.Fatalf("%s: neo4j error %v, memstore error %v", what, gerr, werr)
				}
				if werr != nil {
					return
				}
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Fatalf("%s:\n neo4j    %s\n memstore %s", what, g, w)
				}
			}
			for round := range 6 {
				b := g.batch()
				both(fmt.Sprintf("round %d: Apply", round), func(st graph.Store) (any, error) { return st.Apply(bg, b) })
				if round%2 == 1 {
					both(fmt.Sprintf("round %d: re-Apply", round), func(st graph.Store) (any, error) { return st.Apply(bg, b) })
				}
				for range 2 {
					keep, drop := g.pair()
					both(fmt.Sprintf("round %d: Merge", round), func(st graph.Store) (any, error) {
						rec, err := st.Merge(bg, keep, drop)
						rec.At = time.Time{}
						return rec, err
					})
				}
				g.compare(t, both)
			}
		})
	}
}

// gen makes random batches over a small world, so that names collide,
// facts repeat across batches, and merges chain.
type gen struct {
	rng      *rand.Rand
	ents     []graph.Entity
	docs     []graph.Document
	relTypes []graph.RelType
}

var (
	firsts = []string{"Khaled", "Khalifa", "Osama", "Mustafa", "Ali", "خالد", "أسامة"}
	lasts  = []string{"Haftar", "Hifter", "Hammad", "Salem", "al-Mahjoub", "حفتر", "المحجوب"}
	places = []string{"Sirte", "Misrata", "Misurata", "Tripoli", "Benghazi", "سرت", "مصراتة"}
	orgs   = []string{"General Command", "Moral Guidance Department", "Joint Force", "القيادة العامة"}
	dates  = []string{"", "2024", "2024-05-12", "2025", "2025-03", "2025-03-15", "2025-10-19", "2025-10-20", "2025-10-21"}
)

func newGen(seed uint64) *gen {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 99))}
	for i := range 3 {
		d := graph.Document{ID: graph.DocumentID(fmt.Sprintf("https://news.example/%d", i)), Title: fmt.Sprintf("Report %d on Haftar", i),
			Published: dates[1+i*3], Language: "en", Text: "0123456789 0123456789 0123456789 0123456789"}
		g.docs = append(g.docs, d)
	}
	person := func(i int) graph.Entity {
		name := firsts[i%len(firsts)] + " " + lasts[(i/2)%len(lasts)]
		return graph.Entity{ID: graph.EntityID(graph.KindPerson, fmt.Sprint("p", i)), Kind: graph.KindPerson, Name: name,
			Aliases: []string{lasts[i%len(lasts)]}}
	}
	for i := range 12 {
		g.ents = append(g.ents, person(i))
	}
	for i, n := range orgs {
		g.ents = append(g.ents, graph.Entity{ID: graph.EntityID(graph.KindOrganization, n), Kind: graph.KindOrganization, Name: n, Subtype: "military", Key: fmt.Sprint(i)})
	}
	for _, n := range places {
		g.ents = append(g.ents, graph.Entity{ID: graph.EntityID(graph.KindPlace, n), Kind: graph.KindPlace, Name: n})
	}
	for i := range 10 {
		d := dates[i%len(dates)]
		g.ents = append(g.ents, graph.Entity{ID: graph.EntityID(graph.KindEvent, fmt.Sprint("e", i)), Kind: graph.KindEvent,
			Name: fmt.Sprintf("Meeting %d in %s", i, places[i%len(places)]), EventType: []string{"meeting", "statement", "clash"}[i%3], Date: d})
	}
	return g
}

func (g *gen) pick(kinds ...graph.Kind) graph.Entity {
	for {
		e := g.ents[g.rng.IntN(len(g.ents))]
		if len(kinds) == 0 || slices.Contains(kinds, e.Kind) {
			return e
		}
	}
}

// batch returns some documents, entities (with changes) and relations.
func (g *gen) batch() *graph.Batch {
	b := &graph.Batch{}
	for _, d := range g.docs {
		if g.rng.IntN(2) == 0 {
			b.Documents = append(b.Documents, d)
		}
	}
	for _, e := range g.ents {
		if g.rng.IntN(3) == 0 {
			if g.rng.IntN(3) == 0 {
				e.Aliases = append(slices.Clone(e.Aliases), lasts[g.rng.IntN(len(lasts))])
				e.Topics = []string{"security"}
				e.FirstSeen = dates[g.rng.IntN(len(dates))]
			}
			b.Entities = append(b.Entities, e)
		}
	}
	actors := []graph.Kind{graph.KindPerson, graph.KindOrganization}
	for range 25 {
		var r graph.Relation
		switch g.rng.IntN(9) {
		case 0, 1:
			r = graph.Relation{Type: graph.ParticipatedIn, From: g.pick(actors...).ID, To: g.pick(graph.KindEvent).ID,
				Role: []string{"party", "host", "speaker"}[g.rng.IntN(3)]}
		case 2:
			r = graph.Relation{Type: graph.OccurredIn, From: g.pick(graph.KindEvent).ID, To: g.pick(graph.KindPlace).ID}
		case 3:
			r = graph.Relation{Type: graph.BasedIn, From: g.pick(actors...).ID, To: g.pick(graph.KindPlace).ID}
		case 4:
			r = graph.Relation{Type: graph.HoldsPosition, From: g.pick(graph.KindPerson).ID, To: g.pick(graph.KindOrganization).ID,
				Title: []string{"commander", "director"}[g.rng.IntN(2)]}
		case 5:
			r = graph.Relation{Type: graph.AlliedWith, From: g.pick(actors...).ID, To: g.pick(actors...).ID}
		case 6:
			r = graph.Relation{Type: graph.LocatedIn, From: g.pick(graph.KindPlace).ID, To: g.pick(graph.KindPlace).ID}
		case 7:
			d := g.docs[g.rng.IntN(len(g.docs))]
			r = graph.Relation{Type: graph.Mentions, From: d.ID, To: g.pick().ID, Count: 1 + g.rng.IntN(3)}
			if !slices.ContainsFunc(b.Documents, func(x graph.Document) bool { return x.ID == d.ID }) {
				b.Documents = append(b.Documents, d)
			}
		case 8:
			r = graph.Relation{Type: graph.About, From: g.pick(graph.KindEvent).ID, To: g.pick().ID}
		}
		if r.From == r.To {
			continue
		}
		r.ID = graph.RelationID(r.Type, r.From, r.To, r.Qualifier())
		if g.rng.IntN(3) == 0 {
			r.Date = dates[g.rng.IntN(len(dates))]
		}
		r.Evidence = []graph.Evidence{}
		if r.Type.Asserted() {
			for range 1 + g.rng.IntN(2) {
				d := g.docs[g.rng.IntN(len(g.docs))]
				start := g.rng.IntN(30)
				r.Evidence = append(r.Evidence, graph.Evidence{ID: graph.EvidenceID(r.ID, d.ID, start, start+5),
					Document: d.ID, Start: start, End: start + 5, Text: "01234", Rule: "gen",
					Confidence: float64(1+g.rng.IntN(9)) / 10, Date: d.Published})
			}
		}
		// Both ends must be in the batch or stored: put them in the batch.
		for _, id := range []string{r.From, r.To} {
			for _, e := range g.ents {
				if e.ID == id && !slices.ContainsFunc(b.Entities, func(x graph.Entity) bool { return x.ID == id }) {
					b.Entities = append(b.Entities, e)
				}
			}
		}
		b.Relations = append(b.Relations, r)
	}
	return b
}

// pair picks two entities to merge: usually of one kind, sometimes not (an
// error both must report alike).
func (g *gen) pair() (string, string) {
	a := g.pick(graph.KindPerson, graph.KindPlace, graph.KindOrganization, graph.KindEvent)
	if g.rng.IntN(5) == 0 {
		return a.ID, g.pick().ID
	}
	return a.ID, g.pick(a.Kind).ID
}

func (g *gen) compare(t *testing.T, both func(string, func(graph.Store) (any, error))) {
	t.Helper()
	both("Stats", func(st graph.Store) (any, error) { return st.Stats(bg) })
	both("Changes", func(st graph.Store) (any, error) {
		var all []graph.Change
		for since := uint64(0); ; {
			p, err := st.Changes(bg, since, 37)
			if err != nil || len(p.Items) == 0 {
				return all, err
			}
			for _, c := range p.Items {
				c.At = time.Time{}
				all = append(all, c)
			}
			since = p.Next
		}
	})
	windows := []graph.Window{{}, {From: "2025"}, {To: "2025-03"}, {From: "2025-03-15", To: "2025-10-20"}}
	typeSets := [][]graph.RelType{nil, {graph.ParticipatedIn}, {graph.Mentions, graph.BasedIn}}
	for _, d := range g.docs {
		both("Document "+d.ID, func(st graph.Store) (any, error) { return st.Document(bg, d.ID) })
	}
	for i, e := range g.ents {
		both("Entity "+e.Name, func(st graph.Store) (any, error) { return st.Entity(bg, e.ID) })
		q := graph.RelationQuery{Entity: e.ID, Types: typeSets[i%len(typeSets)], Window: windows[i%len(windows)],
			Direction: []graph.Direction{graph.Both, graph.Outgoing, graph.Incoming}[i%3], MinConfidence: []float64{0, 0.5}[i%2], Limit: 3}
		both("Relations "+e.Name, func(st graph.Store) (any, error) {
			q := q // each store pages from the start
			var pages []graph.RelationPage
			for {
				p, err := st.Relations(bg, q)
				if err != nil {
					return pages, err
				}
				pages = append(pages, p)
				if p.Next == "" {
					return pages, nil
				}
				q.Cursor = p.Next
			}
		})
		nq := graph.NetworkQuery{Entity: e.ID, Depth: 1 + i%3, Limit: []int{3, 10, 100}[i%3], Window: windows[(i/2)%len(windows)],
			Types: typeSets[(i/3)%len(typeSets)]}
		if i%4 == 0 {
			nq.Kinds = []graph.Kind{graph.KindEvent, graph.KindPerson}
		}
		both("Network "+e.Name, func(st graph.Store) (any, error) { return st.Network(bg, nq) })
		other := g.ents[(i*7+3)%len(g.ents)]
		pq := graph.PathQuery{From: e.ID, To: other.ID, K: 1 + i%5, MaxDepth: 2 + i%5, Window: windows[(i/3)%len(windows)],
			Types: typeSets[(i/5)%len(typeSets)]}
		both("Paths "+e.Name+" → "+other.Name, func(st graph.Store) (any, error) {
			ps, err := st.Paths(bg, pq)
			lens := []int{}
			for _, p := range ps {
				lens = append(lens, len(p.Relations))
			}
			return lens, err
		})
		both("Events actor "+e.Name, func(st graph.Store) (any, error) {
			return st.Events(bg, graph.EventQuery{Actor: e.ID, Window: windows[i%len(windows)]})
		})
		both("Events place "+e.Name, func(st graph.Store) (any, error) { return st.Events(bg, graph.EventQuery{Place: e.ID}) })
	}
	for i, w := range windows {
		q := graph.EventQuery{Window: w, Limit: 2}
		if i%2 == 1 {
			q.Types = []string{"meeting", "clash"}
		}
		both(fmt.Sprintf("Events %+v", q), func(st graph.Store) (any, error) {
			q := q
			var pages []graph.EventPage
			for {
				p, err := st.Events(bg, q)
				if err != nil {
					return pages, err
				}
				pages = append(pages, p)
				if p.Next == "" {
					return pages, nil
				}
				q.Cursor = p.Next
			}
		})
	}
	for _, text := range append(append(append([]string{}, firsts...), lasts...), "Khaled Hifter", "Misurata", "meeting", "Haftar report", "وحفتر") {
		for _, kinds := range [][]graph.Kind{nil, {graph.KindDocument, graph.KindPerson}} {
			both("Search "+text, func(st graph.Store) (any, error) {
				return st.Search(bg, graph.SearchQuery{Text: text, Kinds: kinds, Limit: 7})
			})
		}
	}
}

// TestPathsAmongTrails: six relations join a person to one event, so 120
// trails of four relations revisit nodes (person, event, person, event,
// place) and come before the one simple path of five; Paths must still find
// it, which takes asking SHORTEST for more than K trails.
func TestPathsAmongTrails(t *testing.T) {
	cfg := testConfig(t)
	neo := open(t, cfg)
	mem := memstore.OpenMemory()
	defer mem.Close()
	doc := graph.DocumentID("https://news.example/trails")
	id := func(k graph.Kind, n string) string { return graph.EntityID(k, n) }
	a, ev, z := id(graph.KindPerson, "a"), id(graph.KindEvent, "ev"), id(graph.KindPlace, "z")
	org, p1, p2, p3 := id(graph.KindOrganization, "org"), id(graph.KindPlace, "p1"), id(graph.KindPlace, "p2"), id(graph.KindPlace, "p3")
	b := &graph.Batch{Documents: []graph.Document{{ID: doc, Title: "trails"}}, Entities: []graph.Entity{
		{ID: a, Kind: graph.KindPerson, Name: "A"}, {ID: ev, Kind: graph.KindEvent, Name: "Ev"},
		{ID: z, Kind: graph.KindPlace, Name: "Z"}, {ID: org, Kind: graph.KindOrganization, Name: "Org"},
		{ID: p1, Kind: graph.KindPlace, Name: "P1"}, {ID: p2, Kind: graph.KindPlace, Name: "P2"},
		{ID: p3, Kind: graph.KindPlace, Name: "P3"}}}
	rel := func(typ graph.RelType, from, to, role string) {
		r := graph.Relation{Type: typ, From: from, To: to, Role: role}
		r.ID = graph.RelationID(typ, from, to, role)
		r.Evidence = []graph.Evidence{{ID: graph.EvidenceID(r.ID, doc, 0, 1), Document: doc, End: 1, Confidence: 0.5}}
		b.Relations = append(b.Relations, r)
	}
	for _, role := range []string{"party", "convener", "speaker", "mediator", "host", "target"} {
		rel(graph.ParticipatedIn, a, ev, role)
	}
	rel(graph.OccurredIn, ev, z, "")
	rel(graph.MemberOf, a, org, "")
	rel(graph.BasedIn, org, p1, "")
	rel(graph.LocatedIn, p1, p2, "")
	rel(graph.LocatedIn, p2, p3, "")
	rel(graph.LocatedIn, p3, z, "")
	for _, st := range []graph.Store{neo, mem} {
		if _, err := st.Apply(bg, b); err != nil {
			t.Fatal(err)
		}
	}
	for k := 1; k <= 9; k++ {
		var lens [2][]int
		for i, st := range []graph.Store{neo, mem} {
			ps, err := st.Paths(bg, graph.PathQuery{From: a, To: z, K: k, MaxDepth: 6})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				lens[i] = append(lens[i], len(p.Relations))
			}
		}
		if !slices.Equal(lens[0], lens[1]) || k >= 7 && !slices.Contains(lens[0], 5) {
			t.Errorf("k %d: neo4j path lengths %v, memstore %v", k, lens[0], lens[1])
		}
	}
}
