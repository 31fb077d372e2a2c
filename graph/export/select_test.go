package export

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/storetest"
)

func ids[T any](items []T, id func(*T) string) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = id(&items[i])
	}
	sort.Strings(out)
	return out
}

func nodeIDs(g *Graph) []string { return ids(g.Nodes, func(e *graph.Entity) string { return e.ID }) }
func relIDs(g *Graph) []string {
	return ids(g.Relations, func(r *graph.Relation) string { return r.ID })
}

func sorted(s ...string) []string { sort.Strings(s); return s }

func TestSelectWholeGraph(t *testing.T) {
	st, g := selectAll(t)
	stats, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[graph.Kind]int{}
	for _, e := range g.Nodes {
		kinds[e.Kind]++
	}
	for _, k := range graph.Kinds {
		if k != graph.KindDocument && kinds[k] != stats.Entities[k] {
			t.Errorf("%d %s nodes; the store holds %d", kinds[k], k, stats.Entities[k])
		}
	}
	types := map[graph.RelType]int{}
	for _, r := range g.Relations {
		types[r.Type]++
	}
	for _, typ := range graph.RelTypes {
		if types[typ] != stats.Relations[typ] {
			t.Errorf("%d %s relations; the store holds %d", types[typ], typ, stats.Relations[typ])
		}
	}
	if n := evidenceTotal(g); n != stats.Evidence {
		t.Errorf("%d pieces of evidence; the store holds %d", n, stats.Evidence)
	}
	// Only the documents that MENTION or REPORT something are nodes; the
	// gazetteer only holds evidence.
	var docNodes []string
	for _, e := range g.Nodes {
		if e.Kind == graph.KindDocument {
			docNodes = append(docNodes, e.ID)
			d, err := st.Document(context.Background(), e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := graph.DocumentEntity(&d); e.Name != want.Name || e.Date != want.Date {
				t.Errorf("document node %s is %q %q; want %q %q", e.ID, e.Name, e.Date, want.Name, want.Date)
			}
		}
	}
	want := sorted(storetest.DocAgreement, storetest.DocStatement, storetest.DocCabinet)
	if !slices.Equal(sorted(docNodes...), want) {
		t.Errorf("document nodes %v; want %v", docNodes, want)
	}
	if len(g.Documents) != stats.Documents {
		t.Errorf("%d documents for the evidence; want all %d", len(g.Documents), stats.Documents)
	}
	for id, d := range g.Documents {
		if d.Text != "" {
			t.Errorf("document %s kept its text", id)
		}
	}
	checkOrder(t, g)
}

// checkOrder checks that nodes run by kind then id, relations by type then
// id.
func checkOrder(t *testing.T, g *Graph) {
	t.Helper()
	for i := 1; i < len(g.Nodes); i++ {
		a, b := g.Nodes[i-1], g.Nodes[i]
		ka, kb := slices.Index(graph.Kinds, a.Kind), slices.Index(graph.Kinds, b.Kind)
		if ka > kb || ka == kb && a.ID >= b.ID {
			t.Fatalf("node %d (%s %s) is out of order after %s %s", i, b.Kind, b.ID, a.Kind, a.ID)
		}
	}
	for i := 1; i < len(g.Relations); i++ {
		a, b := g.Relations[i-1], g.Relations[i]
		ta, tb := slices.Index(graph.RelTypes, a.Type), slices.Index(graph.RelTypes, b.Type)
		if ta > tb || ta == tb && a.ID >= b.ID {
			t.Fatalf("relation %d (%s %s) is out of order after %s %s", i, b.Type, b.ID, a.Type, a.ID)
		}
	}
}

// TestSelectFilters checks whole-graph filters against what the fixture
// holds, counted by hand from its picture.
func TestSelectFilters(t *testing.T) {
	st := fixtureStore(t)
	for _, tc := range []struct {
		name  string
		f     Filter
		nodes []string
		rels  int
		docs  []string
	}{
		{
			"type", Filter{Types: []graph.RelType{graph.LocatedIn}},
			[]string{storetest.Misrata, storetest.Sirte, storetest.Tripoli, storetest.Libya},
			3, []string{storetest.DocGazetteer},
		},
		{
			"two types", Filter{Types: []graph.RelType{graph.FamilyOf, graph.Reports}},
			[]string{storetest.KhaledHaftar, storetest.KhalifaHaftar,
				storetest.DocAgreement, storetest.DocStatement, storetest.DocCabinet,
				storetest.SirteMeeting, storetest.SirteAgreement, storetest.GuidanceStmt, storetest.CabinetMeeting},
			5, []string{storetest.DocAgreement},
		},
		// A month window keeps what is dated in that month: the cabinet
		// meeting's two relations (Hammad's position is dated by its
		// evidence, 2025-04-02).
		{
			"month window", Filter{Window: graph.Window{From: "2025-03", To: "2025-03"}},
			[]string{storetest.OsamaHammad, storetest.StabilityGov, storetest.CabinetMeeting},
			2, []string{storetest.DocCabinet},
		},
		// October 2025: seven relations dated by their event and eight by
		// their evidence; undated LOCATED_IN, MENTIONS and REPORTS go.
		{
			"window", Filter{Window: graph.Window{From: "2025-10-01", To: "2025-10-31"}},
			[]string{storetest.KhaledHaftar, storetest.KhalifaHaftar, storetest.KhaledMahjoub,
				storetest.GeneralCommand, storetest.MoralGuidance, storetest.JointForce, storetest.MisrataLeaders,
				storetest.Misrata, storetest.Sirte,
				storetest.SirteMeeting, storetest.SirteAgreement, storetest.GuidanceStmt, storetest.MisrataWelcome},
			15, []string{storetest.DocAgreement, storetest.DocStatement},
		},
		{
			"kinds", Filter{Kinds: []graph.Kind{graph.KindPerson}},
			[]string{storetest.KhaledHaftar, storetest.KhalifaHaftar},
			1, []string{storetest.DocAgreement},
		},
		{
			"kinds and type", Filter{Kinds: []graph.Kind{graph.KindPerson, graph.KindOrganization},
				Types: []graph.RelType{graph.MemberOf}},
			[]string{storetest.MoralGuidance, storetest.GeneralCommand, storetest.MustafaSalem, storetest.StabilityGov},
			2, []string{storetest.DocStatement, storetest.DocCabinet},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Select(context.Background(), st, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := nodeIDs(g), sorted(tc.nodes...); !slices.Equal(got, want) {
				t.Errorf("nodes %v; want %v", got, want)
			}
			if len(g.Relations) != tc.rels {
				t.Errorf("%d relations; want %d", len(g.Relations), tc.rels)
			}
			var docs []string
			for id := range g.Documents {
				docs = append(docs, id)
			}
			if want := sorted(tc.docs...); !slices.Equal(sorted(docs...), want) {
				t.Errorf("documents %v; want %v", docs, want)
			}
			checkOrder(t, g)
		})
	}
}

// TestSelectEntity compares subgraphs grown from one entity with the
// store's own ego network, which has the same meaning (nodes within depth,
// every relation among them) and is computed inside the store.
func TestSelectEntity(t *testing.T) {
	st := fixtureStore(t)
	ctx := context.Background()
	for _, f := range []Filter{
		{Entity: storetest.KhaledHaftar},
		{Entity: storetest.KhaledHaftar, Depth: 2},
		{Entity: storetest.KhaledHaftar, Depth: 3},
		{Entity: storetest.Misrata, Depth: 2},
		{Entity: storetest.OsamaHammad, Depth: 1},
		{Entity: storetest.KhaledHaftar, Depth: 2, Kinds: []graph.Kind{graph.KindEvent, graph.KindPlace}},
		{Entity: storetest.KhaledHaftar, Depth: 2, Types: []graph.RelType{graph.Mentions}},
		{Entity: storetest.KhaledHaftar, Depth: 2, Window: graph.Window{From: "2025-10-20"}},
	} {
		t.Run(fmt.Sprintf("%s/%d/%v/%v/%v", f.Entity[:8], f.Depth, f.Kinds, f.Types, f.Window), func(t *testing.T) {
			g, err := Select(ctx, st, f)
			if err != nil {
				t.Fatal(err)
			}
			net, err := st.Network(ctx, graph.NetworkQuery{Entity: f.Entity, Depth: f.Depth, Kinds: f.Kinds,
				Types: f.Types, Window: f.Window, Limit: graph.MaxNetworkNodes})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := nodeIDs(g), nodeIDs(&Graph{Nodes: net.Nodes}); !slices.Equal(got, want) {
				t.Errorf("nodes %v; the network has %v", got, want)
			}
			if got, want := relIDs(g), relIDs(&Graph{Relations: net.Relations}); !slices.Equal(got, want) {
				t.Errorf("relations %v; the network has %v", got, want)
			}
			for _, r := range g.Relations {
				if r.Other != nil {
					t.Errorf("relation %s still carries the far end of a Relations page", r.ID)
				}
				for _, ev := range r.Evidence {
					if _, ok := g.Documents[ev.Document]; !ok {
						t.Errorf("relation %s cites document %s, which is not in Documents", r.ID, ev.Document)
					}
				}
			}
			checkOrder(t, g)
		})
	}
}

// TestSelectEntityDepthOne pins depth 1 against what Relations lists, and
// the relation between two entities of the last level: Khalifa Haftar and
// the General Command are both one hop from Khaled Haftar, and the
// relation between them is reached from neither while walking out.
func TestSelectEntityDepthOne(t *testing.T) {
	st := fixtureStore(t)
	ctx := context.Background()
	g, err := Select(ctx, st, Filter{Entity: storetest.KhaledHaftar})
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.Relations(ctx, graph.RelationQuery{Entity: storetest.KhaledHaftar, Types: graph.TraversalTypes(nil),
		Limit: graph.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{storetest.KhaledHaftar}
	for _, r := range page.Items {
		want = append(want, r.Other.ID)
		relationBetween(t, g, r.Type, r.From, r.To)
	}
	if got := nodeIDs(g); !slices.Equal(got, sorted(want...)) {
		t.Errorf("nodes %v; Relations reaches %v", got, sorted(want...))
	}
	relationBetween(t, g, graph.HoldsPosition, storetest.KhalifaHaftar, storetest.GeneralCommand)
	if len(g.Relations) != len(page.Items)+1 {
		t.Errorf("%d relations; want Khaled Haftar's %d and Khalifa Haftar's position", len(g.Relations), len(page.Items))
	}
	zero, err := Select(ctx, st, Filter{Entity: storetest.KhaledHaftar, Depth: 0})
	if err != nil || !slices.Equal(relIDs(zero), relIDs(g)) {
		t.Errorf("depth 0 gave %v, %v; want depth 1's relations", err, relIDs(zero))
	}
}

// TestSelectEntityPages grows a subgraph from an entity with more
// relations than one page of Relations holds.
func TestSelectEntityPages(t *testing.T) {
	st := memstore.OpenMemory()
	t.Cleanup(func() { st.Close() })
	text := "Towns lie in the region."
	url := "https://news.example/towns"
	doc := graph.Document{ID: graph.DocumentID(url), URL: url, Text: text}
	region := graph.Entity{ID: graph.EntityID(graph.KindPlace, "region"), Kind: graph.KindPlace, Name: "Region"}
	b := &graph.Batch{Documents: []graph.Document{doc}, Entities: []graph.Entity{region}}
	n := graph.MaxPageSize + 100
	for i := range n {
		name := fmt.Sprintf("Town %04d", i)
		town := graph.Entity{ID: graph.EntityID(graph.KindPlace, name), Kind: graph.KindPlace, Name: name}
		id := graph.RelationID(graph.LocatedIn, town.ID, region.ID, "")
		b.Entities = append(b.Entities, town)
		b.Relations = append(b.Relations, graph.Relation{ID: id, Type: graph.LocatedIn, From: town.ID, To: region.ID,
			Evidence: []graph.Evidence{{ID: graph.EvidenceID(id, doc.ID, 0, 5), Document: doc.ID, End: 5,
				Text: "Towns", Rule: "test", Confidence: 1, SentenceText: text}}})
	}
	if _, err := st.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	g, err := Select(context.Background(), st, Filter{Entity: region.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != n+1 || len(g.Relations) != n {
		t.Errorf("%d nodes and %d relations; want %d and %d", len(g.Nodes), len(g.Relations), n+1, n)
	}
}

func TestSelectAfterMerge(t *testing.T) {
	st := fixtureStore(t)
	ctx := context.Background()
	if _, err := st.Merge(ctx, storetest.KhaledHaftar, storetest.KhalifaHaftar); err != nil {
		t.Fatal(err)
	}
	g, err := Select(ctx, st, Filter{Entity: storetest.KhalifaHaftar})
	if err != nil {
		t.Fatal(err)
	}
	node(t, g, storetest.KhaledHaftar)
	for _, e := range g.Nodes {
		if e.ID == storetest.KhalifaHaftar {
			t.Errorf("the merged-away entity is a node")
		}
	}
}

func TestSelectErrors(t *testing.T) {
	st := fixtureStore(t)
	for _, tc := range []struct {
		name string
		f    Filter
		code graph.Code
	}{
		{"unknown entity", Filter{Entity: graph.EntityID(graph.KindPerson, "nobody")}, graph.NotFound},
		{"malformed entity", Filter{Entity: "khaled"}, graph.Invalid},
		{"too deep", Filter{Entity: storetest.KhaledHaftar, Depth: graph.MaxNetworkDepth + 1}, graph.Invalid},
		{"negative depth", Filter{Entity: storetest.KhaledHaftar, Depth: -1}, graph.Invalid},
		{"unknown type", Filter{Types: []graph.RelType{"KNOWS"}}, graph.Invalid},
		{"unknown kind", Filter{Kinds: []graph.Kind{"Thing"}}, graph.Invalid},
		{"bad window", Filter{Window: graph.Window{From: "October"}}, graph.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Select(context.Background(), st, tc.f)
			if !graph.Is(err, tc.code) || g != nil {
				t.Errorf("Select: %v, %v; want a %s error", g, err, tc.code)
			}
		})
	}
}
