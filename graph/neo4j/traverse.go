package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// maxTrails bounds how many trails Paths asks SHORTEST for while looking
// for K simple paths (see Paths).
const maxTrails = 4096

// traversal returns the relationship pattern a traversal follows, undirected,
// with the query's window as an inline predicate: inline, Neo4j applies it
// while it searches (a WHERE on the whole path would filter only what the
// search already chose).
func traversal(types []graph.RelType, w graph.Window, params map[string]any) string {
	pat := "-[r:" + relTypes(graph.TraversalTypes(types))
	if wf := windowFilter("r", w, params); wf != "" {
		pat += " WHERE " + wf
	}
	return pat + "]-"
}

// Paths implements graph.Store with Cypher's SHORTEST k over the undirected
// pattern of the types it may follow, bounded by MaxDepth. SHORTEST gives
// trails (no relationship twice), which may pass a node twice; the contract
// wants simple paths. A trail that is not simple has a cycle, so a simple
// path shorter than it exists: the K shortest simple paths are therefore
// among enough of the shortest trails. Paths asks for K trails, keeps the
// simple ones, and asks for four times as many while fewer than K are
// simple and SHORTEST found all it was asked for. Any simple path of the
// longest length kept is as good as another: ties may differ from
// memstore's, lengths do not.
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Path, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if err := checkID(q.From, "from"); err != nil {
		return nil, err
	}
	if err := checkID(q.To, "to"); err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	var out []graph.Path
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		out = []graph.Path{}
		from, ok, err := lookup(ctx, tx, q.From)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("entity", q.From)
		}
		to, ok, err := lookup(ctx, tx, q.To)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("entity", q.To)
		}
		if from.ID == to.ID {
			return &graph.Error{Code: graph.Invalid, Message: "from and to are the same entity", Param: "to"}
		}
		params := map[string]any{"from": from.ID, "to": to.ID}
		pattern := traversal(q.Types, q.Window, params)
		var simple []trail
		for n := q.K; ; n *= 4 {
			// k and the depth bound are literals: both are checked integers
			// (Normalize), and Cypher wants the bound as one.
			cypher := fmt.Sprintf("MATCH p = SHORTEST %d (a:%s {id: $from})%s{1,%d}(b:%s {id: $to}) "+
				"RETURN [x IN nodes(p) | x.id], [x IN relationships(p) | x.id], [x IN relationships(p) | type(x)]",
				n, labelEntity, pattern, q.MaxDepth, labelEntity)
			recs, err := collect(ctx, tx, cypher, params)
			if err != nil {
				return err
			}
			simple = simple[:0]
			for _, rec := range recs {
				t := trail{nodes: strs(rec.Values[0]), rels: strs(rec.Values[1]), types: strs(rec.Values[2])}
				if t.simple() {
					simple = append(simple, t)
				}
			}
			if len(simple) >= q.K || len(recs) < n {
				break
			}
			if n >= maxTrails {
				s.log.Warn("neo4j: paths: fewer simple paths than asked for among the shortest trails",
					"from", from.ID, "to", to.ID, "trails", len(recs), "simple", len(simple), "k", q.K)
				break
			}
		}
		sort.Slice(simple, func(i, j int) bool {
			a, b := simple[i], simple[j]
			if len(a.rels) != len(b.rels) {
				return len(a.rels) < len(b.rels)
			}
			return strings.Join(a.rels, ",") < strings.Join(b.rels, ",")
		})
		simple = simple[:min(q.K, len(simple))]
		var nodeIDs []string
		var rels []graph.Relation
		for _, t := range simple {
			nodeIDs = append(nodeIDs, t.nodes...)
			for i, id := range t.rels {
				rels = append(rels, graph.Relation{ID: id, Type: graph.RelType(t.types[i])})
			}
		}
		ents, err := entitiesByID(ctx, tx, nodeIDs)
		if err != nil {
			return err
		}
		relsByID, err := relationsByID(ctx, tx, rels)
		if err != nil {
			return err
		}
		for _, t := range simple {
			p := graph.Path{Nodes: make([]graph.Entity, len(t.nodes)), Relations: make([]graph.Relation, len(t.rels))}
			for i, id := range t.nodes {
				e, ok := ents[id]
				if !ok {
					return errorf("path node %s vanished", id)
				}
				p.Nodes[i] = e
			}
			for i, id := range t.rels {
				r, ok := relsByID[id]
				if !ok {
					return errorf("path relation %s vanished", id)
				}
				p.Relations[i] = r
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// trail is a path as SHORTEST returns it, as ids.
type trail struct{ nodes, rels, types []string }

// simple reports whether no node repeats.
func (t trail) simple() bool {
	seen := make(map[string]bool, len(t.nodes))
	for _, n := range t.nodes {
		if seen[n] {
			return false
		}
		seen[n] = true
	}
	return len(t.rels) == len(t.types) && len(t.nodes) == len(t.rels)+1
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, len(l))
	for i, x := range l {
		out[i], _ = x.(string)
	}
	return out
}

// entitiesByID reads entities by id (no redirects: these are live ids).
func entitiesByID(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) (map[string]graph.Entity, error) {
	out := map[string]graph.Entity{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (n:"+labelEntity+" {id: id}) RETURN "+entityProjection("n"),
		map[string]any{"ids": dedupe(ids)})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		e, err := decodeNodeEntity(rec.Values[0])
		if err != nil {
			return nil, err
		}
		out[e.ID] = e
	}
	return out, nil
}

// relationsByID reads relations whose ids and types are known, by type.
func relationsByID(ctx context.Context, tx neo4j.ManagedTransaction, rels []graph.Relation) (map[string]graph.Relation, error) {
	byType := map[graph.RelType][]string{}
	for _, r := range rels {
		if !r.Type.Valid() {
			return nil, errorf("relationship type %q outside the vocabulary", r.Type)
		}
		byType[r.Type] = append(byType[r.Type], r.ID)
	}
	out := map[string]graph.Relation{}
	for _, t := range graph.RelTypes {
		if len(byType[t]) == 0 {
			continue
		}
		recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (a)-[r:"+relTypes([]graph.RelType{t})+" {id: id}]->(b) RETURN r, a.id, b.id",
			map[string]any{"ids": dedupe(byType[t])})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2])
			if err != nil {
				return nil, err
			}
			out[r.ID] = r
		}
	}
	return out, nil
}

// Network implements graph.Store as memstore does: breadth first from the
// centre, one query per depth for the next ring of neighbours, each ring in
// entity-id order, cut at the node budget; then the relations among the
// nodes kept. Cypher narrows by type and window; Go decides, with the same
// rules, which neighbours count.
func (s *Store) Network(ctx context.Context, q graph.NetworkQuery) (graph.Network, error) {
	if err := q.Normalize(); err != nil {
		return graph.Network{}, err
	}
	if err := checkID(q.Entity, "entity"); err != nil {
		return graph.Network{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.Network{}, err
	}
	kinds := map[graph.Kind]bool{}
	for _, k := range q.Kinds {
		kinds[k] = true
	}
	types := graph.TraversalTypes(q.Types)
	var net graph.Network
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		net = graph.Network{Nodes: []graph.Entity{}, Relations: []graph.Relation{}}
		centre, ok, err := lookup(ctx, tx, q.Entity)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("entity", q.Entity)
		}
		params := map[string]any{}
		pattern := traversal(q.Types, q.Window, params)
		ring := "UNWIND $level AS id MATCH (:" + labelEntity + " {id: id})" + pattern + "(v:" + labelEntity + ") " +
			"RETURN v.id, v.kind, type(r), r.date, r.first_seen, r.last_seen"
		in := map[string]bool{centre.ID: true}
		nodes := []string{centre.ID}
		level := nodes
		for depth := 1; depth <= q.Depth && len(level) > 0 && !net.Truncated; depth++ {
			params["level"] = level
			recs, err := collect(ctx, tx, ring, params)
			if err != nil {
				return err
			}
			var next []string
			for _, rec := range recs {
				v, _ := rec.Values[0].(string)
				kind, _ := rec.Values[1].(string)
				r := graph.Relation{Type: graph.RelType(str(rec.Values[2])), Date: str(rec.Values[3]),
					FirstSeen: str(rec.Values[4]), LastSeen: str(rec.Values[5])}
				if in[v] || !graph.RelationMatches(&r, types, q.Window, 0) || len(kinds) > 0 && !kinds[graph.Kind(kind)] {
					continue
				}
				in[v] = true
				next = append(next, v)
			}
			nodes, level, net.Truncated = graph.NextLevel(nodes, next, q.Limit, in)
		}
		ents, err := entitiesByID(ctx, tx, nodes)
		if err != nil {
			return err
		}
		for _, id := range nodes {
			e, ok := ents[id]
			if !ok {
				return errorf("network node %s vanished", id)
			}
			net.Nodes = append(net.Nodes, e)
		}
		// Each relation once: from the end with the smaller id.
		params["ids"] = nodes
		recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (a:"+labelEntity+" {id: id})"+pattern+"(b:"+labelEntity+") "+
			"WHERE a.id < b.id AND b.id IN $ids RETURN r, startNode(r).id, endNode(r).id", params)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2])
			if err != nil {
				return err
			}
			if graph.RelationMatches(&r, types, q.Window, 0) {
				net.Relations = append(net.Relations, r)
			}
		}
		sort.Slice(net.Relations, func(i, j int) bool { return net.Relations[i].ID < net.Relations[j].ID })
		net.Relations = slices.CompactFunc(net.Relations, func(a, b graph.Relation) bool { return a.ID == b.ID })
		return nil
	})
	if err != nil {
		return graph.Network{}, err
	}
	return net, nil
}

func str(v any) string { s, _ := v.(string); return s }
