package export

import (
	"cmp"
	"context"
	"slices"

	"github.com/polgraph/polgraph/graph"
)

// Graph is what the writers write: a set of nodes, the relations among
// them, and the source documents of those relations' evidence.
type Graph struct {
	Nodes     []graph.Entity
	Relations []graph.Relation
	// Documents holds the documents the evidence cites, by id, for the
	// CSV's url, title and outlet columns; it may be nil. Their texts are
	// left out: no format here writes them, and a corpus's texts would
	// dwarf the graph.
	Documents map[string]graph.Document
}

// Filter chooses a subgraph. Zero values filter nothing.
type Filter struct {
	// Entity, if set, is the id of the entity the subgraph grows from,
	// Depth hops out (0 means 1, at most graph.MaxNetworkDepth). Without
	// it the whole graph is taken, and Depth, though still checked, plays
	// no part.
	Entity string
	Depth  int
	Window graph.Window
	// Types keeps relations of these types. Empty keeps every type for
	// the whole graph, but grows a subgraph along asserted relations
	// only (graph.TraversalTypes), as networks do: following MENTIONS
	// would join every two entities named in one report.
	Types []graph.RelType
	// Kinds keeps relations whose ends are of these kinds. A subgraph's
	// own entity is kept whatever its kind, as in a network, so that
	// Kinds: [Event] gives an actor's events.
	Kinds []graph.Kind
}

// Select returns the part of the store's graph that f chooses, in a fixed
// order: nodes by kind (in the order of graph.Kinds) then id, relations by
// type (in the order of graph.RelTypes) then id.
//
// Without f.Entity it scans the whole store. With no filter at all every
// entity is a node; with any, only the ends of the relations kept are.
// A document's own node is a node only where a relation kept (MENTIONS,
// REPORTS) touches it, so an unfiltered export is not cluttered with
// documents that merely hold evidence.
//
// With f.Entity it walks breadth-first from that entity, f.Depth hops,
// and keeps every relation among the entities reached that passes the
// filters, like Store.Network but with no node budget: an export is
// meant to be complete.
//
// Errors: Invalid (bad depth, type, kind or window, as NetworkQuery's
// Normalize says), NotFound (unknown entity), and the store's.
func Select(ctx context.Context, st graph.Store, f Filter) (*Graph, error) {
	// NetworkQuery holds the same parameters and their bounds; checking
	// them there keeps one copy of the rules.
	q := graph.NetworkQuery{Entity: f.Entity, Depth: f.Depth, Kinds: f.Kinds, Types: f.Types, Window: f.Window}
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	var g *Graph
	var err error
	if f.Entity == "" {
		g, err = whole(ctx, st, f)
	} else {
		g, err = around(ctx, st, q)
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(g.Nodes, func(a, b graph.Entity) int {
		return cmp.Or(cmp.Compare(slices.Index(graph.Kinds, a.Kind), slices.Index(graph.Kinds, b.Kind)),
			cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(g.Relations, func(a, b graph.Relation) int {
		return cmp.Or(cmp.Compare(slices.Index(graph.RelTypes, a.Type), slices.Index(graph.RelTypes, b.Type)),
			cmp.Compare(a.ID, b.ID))
	})
	return g, nil
}

// kindSet is the Kinds filter as a set; nil lets every kind pass.
func kindSet(kinds []graph.Kind) map[graph.Kind]bool {
	if len(kinds) == 0 {
		return nil
	}
	set := map[graph.Kind]bool{}
	for _, k := range kinds {
		set[k] = true
	}
	return set
}

// whole selects from a scan of the whole store.
func whole(ctx context.Context, st graph.Store, f Filter) (*Graph, error) {
	filtered := len(f.Types) > 0 || len(f.Kinds) > 0 || !f.Window.Open()
	kinds := kindSet(f.Kinds)
	docs := map[string]graph.Document{}
	kindOf := map[string]graph.Kind{}
	var ents []graph.Entity
	g := &Graph{Documents: map[string]graph.Document{}}
	err := st.Scan(ctx, func(o graph.Object) error {
		switch {
		case o.Document != nil:
			d := *o.Document
			d.Text = ""
			docs[d.ID] = d
			kindOf[d.ID] = graph.KindDocument
		case o.Entity != nil:
			ents = append(ents, *o.Entity)
			kindOf[o.Entity.ID] = o.Entity.Kind
		case o.Relation != nil:
			// Scan gives every entity before any relation, so both
			// ends' kinds are known here.
			r := o.Relation
			if graph.RelationMatches(r, f.Types, f.Window, 0) &&
				(kinds == nil || kinds[kindOf[r.From]] && kinds[kindOf[r.To]]) {
				g.Relations = append(g.Relations, *r)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ends := map[string]bool{}
	for _, r := range g.Relations {
		ends[r.From], ends[r.To] = true, true
		for _, ev := range r.Evidence {
			if d, ok := docs[ev.Document]; ok {
				g.Documents[d.ID] = d
			}
		}
	}
	for _, e := range ents {
		if !filtered || ends[e.ID] {
			g.Nodes = append(g.Nodes, e)
		}
	}
	for id, d := range docs {
		if ends[id] {
			g.Nodes = append(g.Nodes, graph.DocumentEntity(&d))
		}
	}
	return g, nil
}

// around walks breadth-first from q.Entity. Every level is expanded, the
// last one too: its relations to entities already reached are part of the
// subgraph (two neighbours of the centre may be related to each other),
// it only reaches no one new.
func around(ctx context.Context, st graph.Store, q graph.NetworkQuery) (*Graph, error) {
	centre, err := st.Entity(ctx, q.Entity)
	if err != nil {
		return nil, err
	}
	kinds := kindSet(q.Kinds)
	nodes := map[string]graph.Entity{centre.ID: centre}
	rels := map[string]graph.Relation{}
	types := graph.TraversalTypes(q.Types)
	level := []string{centre.ID}
	for depth := 0; depth <= q.Depth && len(level) > 0; depth++ {
		var next []string
		for _, id := range level {
			err := relations(ctx, st, graph.RelationQuery{Entity: id, Types: types, Window: q.Window}, func(r graph.Relation) {
				other := r.Other
				r.Other = nil
				if _, in := nodes[other.ID]; !in {
					if depth == q.Depth || kinds != nil && !kinds[other.Kind] {
						return
					}
					nodes[other.ID] = *other
					next = append(next, other.ID)
				}
				rels[r.ID] = r
			})
			if err != nil {
				return nil, err
			}
		}
		level = next
	}
	g := &Graph{Documents: map[string]graph.Document{}}
	for _, e := range nodes {
		g.Nodes = append(g.Nodes, e)
	}
	cited := map[string]bool{}
	for _, r := range rels {
		g.Relations = append(g.Relations, r)
		for _, ev := range r.Evidence {
			cited[ev.Document] = true
		}
	}
	for id := range cited {
		d, err := st.Document(ctx, id)
		if graph.Is(err, graph.NotFound) {
			continue // evidence outlived its document; the CSV leaves its columns empty
		}
		if err != nil {
			return nil, err
		}
		d.Text = ""
		g.Documents[id] = d
	}
	return g, nil
}

// relations calls fn with every relation q matches, page by page.
func relations(ctx context.Context, st graph.Store, q graph.RelationQuery, fn func(graph.Relation)) error {
	q.Limit = graph.MaxPageSize
	for {
		page, err := st.Relations(ctx, q)
		if err != nil {
			return err
		}
		for _, r := range page.Items {
			fn(r)
		}
		if page.Next == "" {
			return nil
		}
		q.Cursor = page.Next
	}
}
