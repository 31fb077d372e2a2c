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

// Paths implements graph.Store. Shortest paths are simple: when there are
// at least K of the shortest length, or none within MaxDepth, one
// allShortestPaths search answers. Otherwise Paths turns to Cypher's
// SHORTEST k over the undirected pattern of the types it may follow,
// bounded by MaxDepth. SHORTEST gives trails (no relationship twice), which
// may pass a node twice; the contract wants simple paths. A trail that is
// not simple has a cycle, so a simple path shorter than it exists: the K
// shortest simple paths are therefore among enough of the shortest trails.
// Paths asks for K trails, keeps the simple ones, and asks for four times
// as many while fewer than K are simple and SHORTEST found all it was asked
// for. Any simple path of the longest length kept is as good as another:
// ties may differ from memstore's, lengths do not.
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
		from, ok, err := lookup(ctx, tx, q.From, false)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("entity", q.From)
		}
		to, ok, err := lookup(ctx, tx, q.To, false)
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
		simple, err := allShortest(ctx, tx, q, params)
		if err != nil {
			return err
		}
		// Fewer shortest paths than K, but some: the others are longer,
		// and SHORTEST k finds them.
		if n := len(simple); n > 0 && n < q.K {
			if simple, err = s.shortestTrails(ctx, tx, q, params); err != nil {
				return err
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
		// The ends are read already.
		nodeIDs = slices.DeleteFunc(nodeIDs, func(id string) bool { return id == from.ID || id == to.ID })
		ents, err := entitiesByID(ctx, tx, nodeIDs)
		if err != nil {
			return err
		}
		ents[from.ID], ents[to.ID] = from, to
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

// allShortest returns up to K of the shortest paths, which are simple:
// allShortestPaths searches from both ends at once and stops at the
// shortest length, where SHORTEST k walks on to find k trails and is many
// times slower from a hub. The window is a predicate on every relationship
// of the path, which Neo4j applies during the search.
func allShortest(ctx context.Context, tx neo4j.ManagedTransaction, q graph.PathQuery, params map[string]any) ([]trail, error) {
	where := ""
	if wf := windowFilter("r", q.Window, params); wf != "" {
		where = "WHERE all(r IN relationships(p) WHERE " + wf + ") "
	}
	// The depth bound and k are literals: checked integers (Normalize).
	cypher := fmt.Sprintf("MATCH (a:%s {id: $from}), (b:%s {id: $to}) "+
		"MATCH p = allShortestPaths((a)-[:%s*1..%d]-(b)) %sWITH p LIMIT %d "+
		"RETURN [x IN nodes(p) | x.id], [x IN relationships(p) | x.id], [x IN relationships(p) | type(x)]",
		labelEntity, labelEntity, relTypes(graph.TraversalTypes(q.Types)), q.MaxDepth, where, q.K)
	recs, err := collect(ctx, tx, cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]trail, 0, len(recs))
	for _, rec := range recs {
		out = append(out, trail{nodes: strs(rec.Values[0]), rels: strs(rec.Values[1]), types: strs(rec.Values[2])})
	}
	return out, nil
}

// shortestTrails returns the simple ones among the shortest trails, at
// least K of them if there are: see Paths.
func (s *Store) shortestTrails(ctx context.Context, tx neo4j.ManagedTransaction, q graph.PathQuery, params map[string]any) ([]trail, error) {
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
			return nil, err
		}
		simple = simple[:0]
		for _, rec := range recs {
			t := trail{nodes: strs(rec.Values[0]), rels: strs(rec.Values[1]), types: strs(rec.Values[2])}
			if t.simple() {
				simple = append(simple, t)
			}
		}
		if len(simple) >= q.K || len(recs) < n {
			return simple, nil
		}
		if n >= maxTrails {
			s.log.Warn("neo4j: paths: fewer simple paths than asked for among the shortest trails",
				"from", params["from"], "to", params["to"], "trails", len(recs), "simple", len(simple), "k", q.K)
			return simple, nil
		}
	}
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

// entitiesByID reads entities by id (no redirects: these are live ids),
// without their mentions, for list answers.
func entitiesByID(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) (map[string]graph.Entity, error) {
	out := map[string]graph.Entity{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (n:"+labelEntity+" {id: id}) RETURN "+listedProjection("n"),
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
		recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (a)-[r:"+relTypes([]graph.RelType{t})+" {id: id}]->(b) RETURN r, a.id, b.id, "+evidenceOf("r"),
			map[string]any{"ids": dedupe(byType[t])})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2], rec.Values[3])
			if err != nil {
				return nil, err
			}
			out[r.ID] = r
		}
	}
	return out, nil
}

// Network implements graph.Store as memstore does: breadth first from the
// centre, each ring in entity-id order, cut at the node budget; then the
// relations among the nodes kept. One query per depth returns only the
// ring's first ids (in id order, one more than the budget has room for, to
// tell a cut): Neo4j finds the new neighbours and sorts their ids, and no
// more than the budget travels, however many a hub has. Entities and
// relations are read for the kept nodes only. Types and window are Cypher's
// to apply, the window on the span properties Apply derives
// (graph.Relation.SpanBounds, which graph's tests hold to Window.Contains).
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
	params := map[string]any{}
	pattern := traversal(q.Types, q.Window, params)
	// The kinds as a label expression: labels are on the node record,
	// where a kind property would be one more read per neighbour.
	other := "(v:" + labelEntity + ")"
	if len(q.Kinds) > 0 {
		labels := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			labels[i] = kindLabel(k)
		}
		other = "(v:" + labelEntity + "&(" + strings.Join(labels, "|") + "))"
	}
	ring := "UNWIND $level AS id MATCH (:" + labelEntity + " {id: id})" + pattern + other + " " +
		"WITH DISTINCT v WITH v.id AS v WHERE NOT v IN $in WITH v ORDER BY v LIMIT $room RETURN collect(v)"
	var net graph.Network
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		net = graph.Network{Nodes: []graph.Entity{}, Relations: []graph.Relation{}}
		centre, ok, err := lookup(ctx, tx, q.Entity, false)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("entity", q.Entity)
		}
		nodes := []string{centre.ID}
		level := nodes
		for depth := 1; depth <= q.Depth && len(level) > 0 && !net.Truncated; depth++ {
			room := q.Limit - len(nodes)
			params["level"], params["in"], params["room"] = level, nodes, int64(room+1)
			recs, err := collect(ctx, tx, ring, params)
			if err != nil {
				return err
			}
			var next []string
			if len(recs) > 0 {
				next = strs(recs[0].Values[0])
			}
			if len(next) > room {
				next, net.Truncated = next[:room], true
			}
			nodes = append(nodes[:len(nodes):len(nodes)], next...)
			level = next
		}
		ents, err := entitiesByID(ctx, tx, nodes[1:])
		if err != nil {
			return err
		}
		ents[centre.ID] = centre
		for _, id := range nodes {
			e, ok := ents[id]
			if !ok {
				return errorf("network node %s vanished", id)
			}
			net.Nodes = append(net.Nodes, e)
		}
		net.Relations, err = relationsAmong(ctx, tx, nodes, pattern, params)
		return err
	})
	if err != nil {
		return graph.Network{}, err
	}
	return net, nil
}

// relationsAmong returns the relations pattern follows between the nodes
// ids, in id order. Each relationship is found once, from its start node.
func relationsAmong(ctx context.Context, tx neo4j.ManagedTransaction, ids []string, pattern string, params map[string]any) ([]graph.Relation, error) {
	params["ids"] = ids
	recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (a:"+labelEntity+" {id: id})"+strings.TrimSuffix(pattern, "-")+"->(b:"+labelEntity+") "+
		"WHERE a <> b AND b.id IN $ids RETURN r, a.id, b.id, "+evidenceOf("r"), params)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Relation, 0, len(recs))
	for _, rec := range recs {
		r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2], rec.Values[3])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func str(v any) string { s, _ := v.(string); return s }
