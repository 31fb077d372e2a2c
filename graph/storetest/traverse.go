package storetest

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// fixtureGraph is the fixture in the stored form, for the reference answers
// of the traversal tests.
type fixtureGraph struct {
	rels  map[string]graph.Relation
	adj   map[string][]string // entity → relation ids, sorted
	kinds map[string]graph.Kind
}

func loadFixture() *fixtureGraph {
	b := Fixture()
	g := &fixtureGraph{rels: map[string]graph.Relation{}, adj: map[string][]string{}, kinds: map[string]graph.Kind{}}
	for _, e := range b.Entities {
		g.kinds[e.ID] = e.Kind
	}
	for _, d := range b.Documents {
		g.kinds[d.ID] = graph.KindDocument
	}
	for _, r := range b.Relations {
		r = storedRelation(r)
		g.rels[r.ID] = r
		g.adj[r.From] = append(g.adj[r.From], r.ID)
		g.adj[r.To] = append(g.adj[r.To], r.ID)
	}
	for _, l := range g.adj {
		sort.Strings(l)
	}
	return g
}

// follows reports whether traversals with these filters use relation r.
func follows(r graph.Relation, types []graph.RelType, w graph.Window) bool {
	return graph.RelationMatches(&r, graph.TraversalTypes(types), w, 0)
}

func other(r graph.Relation, id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// paths lists every simple path (as relation ids) between from and to of at
// most maxDepth relations that the filters let through, ignoring direction.
func (g *fixtureGraph) paths(from, to string, maxDepth int, types []graph.RelType, w graph.Window) [][]string {
	var out [][]string
	onPath := map[string]bool{from: true}
	var walk func(at string, rels []string)
	walk = func(at string, rels []string) {
		if at == to {
			out = append(out, slices.Clone(rels))
			return
		}
		if len(rels) == maxDepth {
			return
		}
		for _, id := range g.adj[at] {
			r := g.rels[id]
			next := other(r, at)
			if onPath[next] || !follows(r, types, w) {
				continue
			}
			onPath[next] = true
			walk(next, append(rels, id))
			onPath[next] = false
		}
	}
	walk(from, nil)
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) < len(out[j]) })
	return out
}

func (s *suite) pathsTests() []subtest {
	return []subtest{
		{"Paths/KShortest", s.testPaths},
		{"Paths/Empty", s.testPathsEmpty},
		{"Paths/Errors", s.testPathsErrors},
	}
}

// checkPath fails unless p is a valid path for q: it starts and ends right,
// each relation joins the nodes beside it, no node repeats, and every
// relation passes the query's filters and is returned whole.
func checkPath(t *testing.T, st graph.Store, p graph.Path, q graph.PathQuery) {
	t.Helper()
	if len(p.Nodes) != len(p.Relations)+1 || len(p.Relations) == 0 {
		t.Fatalf("path has %d nodes and %d relations", len(p.Nodes), len(p.Relations))
	}
	if p.Nodes[0].ID != q.From || p.Nodes[len(p.Nodes)-1].ID != q.To {
		t.Fatalf("path runs %s → %s, want %s → %s", entityName(p.Nodes[0].ID),
			entityName(p.Nodes[len(p.Nodes)-1].ID), entityName(q.From), entityName(q.To))
	}
	seen := map[string]bool{}
	for i, n := range p.Nodes {
		if seen[n.ID] {
			t.Fatalf("path is not simple: %s twice", entityName(n.ID))
		}
		seen[n.ID] = true
		if n.Name == "" || n.Kind == "" {
			t.Fatalf("path node %d is not a whole entity: %+v", i, n)
		}
	}
	for i, r := range p.Relations {
		a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
		if !(r.From == a && r.To == b || r.From == b && r.To == a) {
			t.Fatalf("relation %d (%s %s → %s) does not join %s and %s", i, r.Type,
				entityName(r.From), entityName(r.To), entityName(a), entityName(b))
		}
		if !follows(r, q.Types, q.Window) {
			t.Fatalf("relation %s %s does not pass the query's filters", r.Type, r.ID)
		}
		r.Other = nil
		sameJSON(t, "path relation", r, mustRelation(t, st, r.ID))
	}
}

func pathKey(p graph.Path) string { return strings.Join(relIDs(p.Relations), ",") }

func (s *suite) testPaths(t *testing.T) {
	st := s.fixtureStore(t)
	g := loadFixture()
	cases := []struct {
		name string
		q    graph.PathQuery
		lens []int // hand-worked lengths, to check the reference too
	}{
		{"defaults", graph.PathQuery{From: KhaledHaftar, To: Misrata}, []int{3, 3, 4}},
		{"reversed", graph.PathQuery{From: Misrata, To: KhaledHaftar}, []int{3, 3, 4}},
		{"k 1", graph.PathQuery{From: KhaledHaftar, To: Misrata, K: 1}, []int{3}},
		{"k 5, depth 4: only three exist", graph.PathQuery{From: KhaledHaftar, To: Misrata, K: 5}, []int{3, 3, 4}},
		{"k 12, depth 8", graph.PathQuery{From: KhaledHaftar, To: Misrata, K: 12, MaxDepth: 8}, nil},
		{"types", graph.PathQuery{From: KhaledHaftar, To: Misrata, K: 5,
			Types: []graph.RelType{graph.ParticipatedIn, graph.BasedIn}}, []int{3, 3}},
		{"window", graph.PathQuery{From: KhaledHaftar, To: Misrata, K: 5, MaxDepth: 8,
			Window: graph.Window{From: "2025-10-20"}}, []int{3}},
		{"through an organisation", graph.PathQuery{From: KhaledMahjoub, To: KhaledHaftar}, []int{3, 4, 4}},
		{"through a document when asked", graph.PathQuery{From: KhaledMahjoub, To: KhaledHaftar,
			Types: []graph.RelType{graph.Mentions}}, []int{2}},
		{"to the country", graph.PathQuery{From: KhaledHaftar, To: Libya}, []int{3, 4, 4}},
		{"second component", graph.PathQuery{From: MustafaSalem, To: CabinetMeeting}, []int{2, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := st.Paths(ctx(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			q := c.q
			if err := q.Normalize(); err != nil {
				t.Fatal(err)
			}
			ref := g.paths(q.From, q.To, q.MaxDepth, q.Types, q.Window)
			var refLens []int
			refSet := map[string]bool{}
			for _, p := range ref {
				refLens = append(refLens, len(p))
				refSet[strings.Join(p, ",")] = true
			}
			refLens = refLens[:min(q.K, len(refLens))]
			if c.lens != nil && !slices.Equal(refLens, c.lens) {
				t.Fatalf("reference lengths %v, hand-worked %v: fix the suite", refLens, c.lens)
			}
			if c.lens == nil && len(refLens) <= 3 {
				t.Fatalf("reference finds only %d paths; the case means to find more", len(refLens))
			}
			var lens []int
			seen := map[string]bool{}
			for _, p := range got {
				checkPath(t, st, p, q)
				k := pathKey(p)
				if seen[k] {
					t.Fatalf("path %s returned twice", k)
				}
				seen[k] = true
				if !refSet[k] {
					t.Fatalf("path %s is not among the reference paths", k)
				}
				lens = append(lens, len(p.Relations))
			}
			if !slices.Equal(lens, refLens) {
				t.Fatalf("path lengths %v, want the %d shortest %v", lens, q.K, refLens)
			}
			for _, p := range got {
				for _, n := range p.Nodes {
					if n.Kind == graph.KindDocument && q.Types == nil {
						t.Fatalf("a path went through document %s without MENTIONS being asked for", n.Name)
					}
				}
			}
		})
	}
}

func (s *suite) testPathsEmpty(t *testing.T) {
	st := s.fixtureStore(t)
	for _, c := range []struct {
		name string
		q    graph.PathQuery
	}{
		{"max depth below the shortest", graph.PathQuery{From: KhaledHaftar, To: Misrata, MaxDepth: 2}},
		{"other component", graph.PathQuery{From: KhaledHaftar, To: OsamaHammad, MaxDepth: graph.MaxPathDepth}},
		{"only through documents", graph.PathQuery{From: KhaledHaftar, To: DocAgreement, MaxDepth: graph.MaxPathDepth}},
		{"window drops the undated places", graph.PathQuery{From: KhaledHaftar, To: Libya, MaxDepth: graph.MaxPathDepth,
			Window: graph.Window{From: "2000", To: "2030"}}},
		{"types leave no way", graph.PathQuery{From: KhaledHaftar, To: Misrata, Types: []graph.RelType{graph.FamilyOf}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := st.Paths(ctx(), c.q)
			if err != nil {
				t.Fatalf("no path must not be an error: %v", err)
			}
			if got == nil || len(got) != 0 {
				t.Fatalf("Paths = %v (nil %v), want an empty list", got, got == nil)
			}
		})
	}
}

func (s *suite) testPathsErrors(t *testing.T) {
	st := s.fixtureStore(t)
	for _, c := range []struct {
		name string
		q    graph.PathQuery
		code graph.Code
	}{
		{"unknown from", graph.PathQuery{From: unknownID, To: Misrata}, graph.NotFound},
		{"unknown to", graph.PathQuery{From: KhaledHaftar, To: unknownID}, graph.NotFound},
		{"malformed from", graph.PathQuery{From: "haftar", To: Misrata}, graph.Invalid},
		{"same entity", graph.PathQuery{From: KhaledHaftar, To: KhaledHaftar}, graph.Invalid},
		{"k too large", graph.PathQuery{From: KhaledHaftar, To: Misrata, K: graph.MaxPaths + 1}, graph.Invalid},
		{"too deep", graph.PathQuery{From: KhaledHaftar, To: Misrata, MaxDepth: graph.MaxPathDepth + 1}, graph.Invalid},
		{"unknown type", graph.PathQuery{From: KhaledHaftar, To: Misrata, Types: []graph.RelType{"KNOWS"}}, graph.Invalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.Paths(ctx(), c.q)
			wantCode(t, "Paths", err, c.code)
		})
	}
}

func (s *suite) networkTests() []subtest {
	return []subtest{
		{"Network/Ego", s.testNetwork},
		{"Network/Errors", s.testNetworkErrors},
	}
}

// network is the reference ego network: breadth first, each depth in id
// order, cut at the node budget; kinds filter every node but the centre.
func (g *fixtureGraph) network(q graph.NetworkQuery) (nodes, rels []string, truncated bool) {
	kindOK := func(id string) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, g.kinds[id]) }
	in := map[string]bool{q.Entity: true}
	nodes = []string{q.Entity}
	level := []string{q.Entity}
	for d := 1; d <= q.Depth && len(level) > 0; d++ {
		var next []string
		for _, at := range level {
			for _, id := range g.adj[at] {
				r := g.rels[id]
				n := other(r, at)
				if follows(r, q.Types, q.Window) && !in[n] && !slices.Contains(next, n) && kindOK(n) {
					next = append(next, n)
				}
			}
		}
		sort.Strings(next)
		if room := q.Limit - len(nodes); len(next) > room {
			next, truncated = next[:room], true
		}
		for _, n := range next {
			in[n] = true
		}
		nodes = append(nodes, next...)
		level = next
		if truncated {
			break
		}
	}
	for id, r := range g.rels {
		if in[r.From] && in[r.To] && follows(r, q.Types, q.Window) {
			rels = append(rels, id)
		}
	}
	sort.Strings(rels)
	return nodes, rels, truncated
}

func (s *suite) testNetwork(t *testing.T) {
	st := s.fixtureStore(t)
	g := loadFixture()
	cases := []struct {
		name      string
		q         graph.NetworkQuery
		nodes     int // hand counts
		truncated bool
	}{
		{"depth 1", graph.NetworkQuery{Entity: KhaledHaftar}, 5, false},
		{"depth 2", graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2}, 10, false},
		{"depth 2, budget 3", graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2, Limit: 3}, 3, true},
		{"depth 2, budget 7", graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2, Limit: 7}, 7, true},
		{"depth 2, budget exactly enough", graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2, Limit: 10}, 10, false},
		{"depth 1, budget 4", graph.NetworkQuery{Entity: KhaledHaftar, Limit: 4}, 4, true},
		{"budget 1", graph.NetworkQuery{Entity: KhaledHaftar, Limit: 1}, 1, true},
		{"kinds", graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2, Kinds: []graph.Kind{graph.KindEvent}}, 4, false},
		{"kinds exclude the centre's kind", graph.NetworkQuery{Entity: Libya, Kinds: []graph.Kind{graph.KindEvent}}, 1, false},
		{"types", graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2, Types: []graph.RelType{graph.ParticipatedIn}}, 4, false},
		{"documents when asked", graph.NetworkQuery{Entity: KhaledHaftar, Types: []graph.RelType{graph.Mentions}}, 3, false},
		{"window", graph.NetworkQuery{Entity: GeneralCommand, Depth: 2, Window: graph.Window{From: "2025-10-21"}}, 4, false},
		{"second component", graph.NetworkQuery{Entity: OsamaHammad, Depth: 4}, 4, false},
		{"places", graph.NetworkQuery{Entity: Libya, Depth: 3}, 11, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := st.Network(ctx(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			q := c.q
			if err := q.Normalize(); err != nil {
				t.Fatal(err)
			}
			wantNodes, wantRels, wantTrunc := g.network(q)
			if len(wantNodes) != c.nodes || wantTrunc != c.truncated {
				t.Fatalf("reference gives %d nodes (truncated %v), hand count %d (%v): fix the suite",
					len(wantNodes), wantTrunc, c.nodes, c.truncated)
			}
			sameIDs(t, "nodes, nearest first and by id within a depth", entIDs(got.Nodes), wantNodes)
			sameSet(t, "relations among the nodes", relIDs(got.Relations), wantRels)
			if got.Truncated != wantTrunc {
				t.Errorf("Truncated = %v, want %v", got.Truncated, wantTrunc)
			}
			sameJSON(t, "centre", got.Nodes[0], listed(mustEntity(t, st, q.Entity)))
			for _, r := range got.Relations {
				if len(r.Evidence) != r.EvidenceCount {
					t.Errorf("relation %s carries %d of its %d evidence", r.ID, len(r.Evidence), r.EvidenceCount)
				}
			}
			if got.Relations == nil {
				t.Errorf("Relations is nil; none is an empty list")
			}
		})
	}
}

func (s *suite) testNetworkErrors(t *testing.T) {
	st := s.fixtureStore(t)
	for _, c := range []struct {
		name string
		q    graph.NetworkQuery
		code graph.Code
	}{
		{"unknown", graph.NetworkQuery{Entity: unknownID}, graph.NotFound},
		{"malformed", graph.NetworkQuery{Entity: "x"}, graph.Invalid},
		{"too deep", graph.NetworkQuery{Entity: KhaledHaftar, Depth: graph.MaxNetworkDepth + 1}, graph.Invalid},
		{"budget too large", graph.NetworkQuery{Entity: KhaledHaftar, Limit: graph.MaxNetworkNodes + 1}, graph.Invalid},
		{"unknown kind", graph.NetworkQuery{Entity: KhaledHaftar, Kinds: []graph.Kind{"Spy"}}, graph.Invalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.Network(ctx(), c.q)
			wantCode(t, "Network", err, c.code)
		})
	}
}

func (s *suite) eventsTests() []subtest {
	return []subtest{
		{"Events/Filters", s.testEvents},
		{"Events/Pagination", s.testEventsPagination},
		{"Events/Errors", s.testEventsErrors},
	}
}

// events is the reference timeline: events passing the filters by date then
// id, undated last.
func (g *fixtureGraph) events(q graph.EventQuery) []string {
	var out []graph.Entity
	for _, e := range Fixture().Entities {
		if e.Kind != graph.KindEvent || (len(q.Types) > 0 && !slices.Contains(q.Types, e.EventType)) ||
			!q.Window.Contains(e.Date, e.Date) {
			continue
		}
		if q.Actor != "" && !g.joined(q.Actor, e.ID, graph.ParticipatedIn) {
			continue
		}
		if q.Place != "" && !g.joined(e.ID, q.Place, graph.OccurredIn) {
			continue
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Date == "") != (b.Date == "") {
			return b.Date == ""
		}
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.ID < b.ID
	})
	return entIDs(out)
}

func (g *fixtureGraph) joined(from, to string, t graph.RelType) bool {
	for _, id := range g.adj[from] {
		if r := g.rels[id]; r.Type == t && r.From == from && r.To == to {
			return true
		}
	}
	return false
}

func (s *suite) testEvents(t *testing.T) {
	st := s.fixtureStore(t)
	g := loadFixture()
	cases := []struct {
		name string
		q    graph.EventQuery
		want []string // hand-worked
	}{
		{"all", graph.EventQuery{}, []string{TripoliClash, CabinetMeeting, SirteMeeting, SirteAgreement, GuidanceStmt, MisrataWelcome}},
		{"actor", graph.EventQuery{Actor: KhaledHaftar}, []string{SirteMeeting, SirteAgreement}},
		{"group actor, undated last", graph.EventQuery{Actor: MisrataLeaders}, []string{SirteMeeting, SirteAgreement, MisrataWelcome}},
		{"place", graph.EventQuery{Place: Sirte}, []string{SirteMeeting}},
		{"actor and place", graph.EventQuery{Actor: KhaledHaftar, Place: Tripoli}, nil},
		{"types", graph.EventQuery{Types: []string{"statement"}}, []string{GuidanceStmt, MisrataWelcome}},
		{"two types", graph.EventQuery{Types: []string{"clash", "agreement"}}, []string{TripoliClash, SirteAgreement}},
		{"window", graph.EventQuery{Window: graph.Window{From: "2025-10-19", To: "2025-10-20"}}, []string{SirteMeeting, SirteAgreement}},
		{"coarse window", graph.EventQuery{Window: graph.Window{From: "2025"}}, []string{CabinetMeeting, SirteMeeting, SirteAgreement, GuidanceStmt}},
		{"coarse event date", graph.EventQuery{Window: graph.Window{From: "2025-03-15", To: "2025-03-15"}}, []string{CabinetMeeting}},
		{"actor and type", graph.EventQuery{Actor: MisrataLeaders, Types: []string{"statement"}}, []string{MisrataWelcome}},
		{"actor and window", graph.EventQuery{Actor: MisrataLeaders, Window: graph.Window{From: "2025-10-20"}}, []string{SirteAgreement}},
		{"place and window", graph.EventQuery{Place: Sirte, Window: graph.Window{To: "2025-10-18"}}, nil},
		{"unknown actor", graph.EventQuery{Actor: unknownID}, nil},
		{"a place is no actor", graph.EventQuery{Actor: Sirte}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := st.Events(ctx(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			want := g.events(c.q)
			sameIDs(t, "reference against hand-worked answer (fix the suite)", want, c.want)
			sameIDs(t, "events", entIDs(page.Items), want)
			for _, e := range page.Items {
				sameJSON(t, "event", e, mustEntity(t, st, e.ID))
			}
			if page.Items == nil || page.Next != "" {
				t.Errorf("Items nil (%v) or Next %q on the only page", page.Items == nil, page.Next)
			}
		})
	}
}

func (s *suite) testEventsPagination(t *testing.T) {
	st := s.fixtureStore(t)
	g := loadFixture()
	for _, q := range []graph.EventQuery{
		{},
		{Actor: MisrataLeaders},
		{Window: graph.Window{From: "2025-03-15"}}, // takes in the coarse 2025-03, which sorts before it
		{Window: graph.Window{To: "2025-10-20"}},
		{Types: []string{"meeting", "statement"}},
	} {
		if len(g.events(q)) < 3 {
			t.Fatalf("query %+v has too few events to page through", q)
		}
		all := g.events(q)
		for _, limit := range []int{1, 2, 4} {
			q := q
			q.Limit = limit
			var got []string
			for pages := 1; ; pages++ {
				page, err := st.Events(ctx(), q)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Items) == 0 || len(page.Items) > limit || pages > len(all) {
					t.Fatalf("limit %d: page %d has %d items", limit, pages, len(page.Items))
				}
				got = append(got, entIDs(page.Items)...)
				if page.Next == "" {
					break
				}
				q.Cursor = page.Next
			}
			sameIDs(t, "paged events", got, all)
		}
	}
}

func (s *suite) testEventsErrors(t *testing.T) {
	st := s.fixtureStore(t)
	for _, c := range []struct {
		name string
		q    graph.EventQuery
	}{
		{"malformed actor", graph.EventQuery{Actor: "haftar"}},
		{"malformed place", graph.EventQuery{Place: "sirte"}},
		{"bad window", graph.EventQuery{Window: graph.Window{From: "2025-10-21", To: "2025-10-19"}}},
		{"bad cursor", graph.EventQuery{Cursor: "!"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.Events(ctx(), c.q)
			wantCode(t, "Events", err, graph.Invalid)
		})
	}
}
