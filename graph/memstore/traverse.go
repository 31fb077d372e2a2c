package memstore

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/polgraph/polgraph/graph"
)

// walker walks the graph for one query: which relations it may follow, and
// a context it checks every so many steps.
type walker struct {
	st     *state
	ctx    context.Context
	types  map[graph.RelType]bool
	window graph.Window
	steps  int
}

func newWalker(ctx context.Context, st *state, types []graph.RelType, w graph.Window) *walker {
	wk := &walker{st: st, ctx: ctx, types: map[graph.RelType]bool{}, window: w}
	for _, t := range graph.TraversalTypes(types) {
		wk.types[t] = true
	}
	return wk
}

func (w *walker) follows(r *graph.Relation) bool {
	return w.types[r.Type] && w.window.Contains(r.Span())
}

// tick counts a step and checks the context now and then.
func (w *walker) tick() error {
	if w.steps++; w.steps%4096 == 0 {
		return ctxErr(w.ctx)
	}
	return nil
}

// path is a walk as ids: nodes has one more element than rels.
type path struct {
	nodes, rels []string
}

func (p path) key() string { return strings.Join(p.rels, ",") }

// shortest finds a shortest path from src to dst of at most maxLen
// relations that avoids the blocked nodes and relations; of several, the
// one whose relation ids come first, compared one by one (the path a
// breadth-first search trying neighbours in relation-id order finds, which
// Yen's algorithm relies on to rank ties). It searches from both ends at
// once, widening the smaller frontier by a whole level at a time, so that a
// hub at either end costs one level of its neighbours, not the graph. Each
// side remembers, for every node it reaches, the relations that reach it
// from the level before: the shortest paths are then read off those links,
// and the least relation id is taken at each step.
func (w *walker) shortest(src, dst string, maxLen int, blockedNodes, blockedRels map[string]bool) (path, bool, error) {
	from, to := newSide(src), newSide(dst)
	var meet []string
	for len(meet) == 0 {
		if from.radius+to.radius >= maxLen || len(from.frontier) == 0 || len(to.frontier) == 0 {
			return path{}, false, nil
		}
		near, far := from, to
		if len(to.frontier) < len(from.frontier) {
			near, far = to, from
		}
		var err error
		if meet, err = w.widen(near, far, blockedNodes, blockedRels); err != nil {
			return path{}, false, err
		}
	}
	// The sides met, and no sooner: every meeting node is on a shortest
	// path. Walking back from them to src along the links of the src side
	// finds every node of a shortest path on that side, and the relations
	// that lead on from each towards dst.
	ahead := map[string][]link{}
	level, marked := meet, map[string]bool{}
	for len(level) > 0 {
		var next []string
		for _, v := range level {
			for _, l := range from.links[v] {
				ahead[l.node] = append(ahead[l.node], link{node: v, rel: l.rel})
				if !marked[l.node] {
					marked[l.node] = true
					next = append(next, l.node)
				}
			}
		}
		level = next
	}
	// From src, take the least relation on to a node of a shortest path:
	// on the src side the ones found above; from a meeting node on, the dst
	// side's links, all of which lead to dst by a shortest way.
	p := path{nodes: []string{src}}
	for u := src; u != dst; {
		next := ahead[u]
		if _, ok := to.dist[u]; ok {
			next = to.links[u]
		}
		if len(next) == 0 {
			return path{}, false, graph.Errorf(graph.Internal, "paths: lost the way at %s", u)
		}
		best := next[0]
		for _, l := range next[1:] {
			if l.rel < best.rel {
				best = l
			}
		}
		p.nodes, p.rels = append(p.nodes, best.node), append(p.rels, best.rel)
		u = best.node
	}
	return p, true, nil
}

// side is one end of a two-sided breadth-first search: how far each node
// it reached is from its end, and by which relations each is reached from
// the level before (towards its end).
type side struct {
	dist     map[string]int
	links    map[string][]link
	frontier []string
	radius   int
}

// link is a relation to a node.
type link struct{ node, rel string }

func newSide(end string) *side {
	return &side{dist: map[string]int{end: 0}, links: map[string][]link{}, frontier: []string{end}}
}

// widen takes s a level further: its frontier's neighbours not seen
// before, each with every relation that reaches it from the frontier. It
// returns those the other side has reached.
func (w *walker) widen(s, other *side, blockedNodes, blockedRels map[string]bool) (meet []string, err error) {
	s.radius++
	var next []string
	for _, u := range s.frontier {
		err := w.each(u, blockedNodes, blockedRels, func(rid, v string) {
			d, seen := s.dist[v]
			if seen && d != s.radius {
				return
			}
			if !seen {
				s.dist[v] = s.radius
				next = append(next, v)
				if _, ok := other.dist[v]; ok {
					meet = append(meet, v)
				}
			}
			s.links[v] = append(s.links[v], link{node: u, rel: rid})
		})
		if err != nil {
			return nil, err
		}
	}
	s.frontier = next
	return meet, nil
}

// each calls f with every relation of u the walk may follow and the
// neighbour it leads to, in relation-id order, but for blocked ones.
func (w *walker) each(u string, blockedNodes, blockedRels map[string]bool, f func(rid, v string)) error {
	for _, e := range w.st.adj[u] {
		if err := w.tick(); err != nil {
			return err
		}
		if blockedRels[e.rel.ID] || blockedNodes[e.other] || !w.follows(e.rel) {
			continue
		}
		f(e.rel.ID, e.other)
	}
	return nil
}

// kShortest is Yen's algorithm over the breadth-first search: up to k
// loopless paths, shortest first, ties by their relation ids. Paths are
// sequences of relations, so two relations between the same pair of
// entities make two paths.
func (w *walker) kShortest(from, to string, k, maxDepth int) ([]path, error) {
	first, ok, err := w.shortest(from, to, maxDepth, nil, nil)
	if err != nil || !ok {
		return nil, err
	}
	found := []path{first}
	seen := map[string]bool{first.key(): true}
	var candidates []path
	for len(found) < k {
		prev := found[len(found)-1]
		for i := range prev.rels {
			root := prev.rels[:i]
			blockedRels := map[string]bool{}
			for _, p := range found {
				if len(p.rels) > i && slices.Equal(p.rels[:i], root) {
					blockedRels[p.rels[i]] = true
				}
			}
			blockedNodes := map[string]bool{}
			for _, n := range prev.nodes[:i] {
				blockedNodes[n] = true
			}
			spur, ok, err := w.shortest(prev.nodes[i], to, maxDepth-i, blockedNodes, blockedRels)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			c := path{
				nodes: append(slices.Clone(prev.nodes[:i]), spur.nodes...),
				rels:  append(slices.Clone(root), spur.rels...),
			}
			if key := c.key(); !seen[key] {
				seen[key] = true
				candidates = append(candidates, c)
			}
		}
		if len(candidates) == 0 {
			break
		}
		best := 0
		for i, c := range candidates[1:] {
			b := candidates[best]
			if len(c.rels) < len(b.rels) || len(c.rels) == len(b.rels) && c.key() < b.key() {
				best = i + 1
			}
		}
		found = append(found, candidates[best])
		candidates = slices.Delete(candidates, best, best+1)
	}
	return found, nil
}

// Paths implements graph.Store.
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
	out := []graph.Path{}
	err := s.read(ctx, func(st *state) error {
		from, ok := st.entity(q.From)
		if !ok {
			return notFound("entity", q.From)
		}
		to, ok := st.entity(q.To)
		if !ok {
			return notFound("entity", q.To)
		}
		if from.ID == to.ID {
			return &graph.Error{Code: graph.Invalid, Message: "from and to are the same entity", Param: "to"}
		}
		paths, err := newWalker(ctx, st, q.Types, q.Window).kShortest(from.ID, to.ID, q.K, q.MaxDepth)
		if err != nil {
			return err
		}
		for _, p := range paths {
			gp := graph.Path{Nodes: make([]graph.Entity, len(p.nodes)), Relations: make([]graph.Relation, len(p.rels))}
			for i, id := range p.nodes {
				gp.Nodes[i] = cloneListed(st.entities[id])
			}
			for i, id := range p.rels {
				gp.Relations[i] = cloneRelation(st.relations[id])
			}
			out = append(out, gp)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Network implements graph.Store: breadth first from the centre, each depth
// in entity-id order, until the node budget is spent.
func (s *Store) Network(ctx context.Context, q graph.NetworkQuery) (graph.Network, error) {
	if err := q.Normalize(); err != nil {
		return graph.Network{}, err
	}
	if err := checkID(q.Entity, "entity"); err != nil {
		return graph.Network{}, err
	}
	kinds := map[graph.Kind]bool{}
	for _, k := range q.Kinds {
		kinds[k] = true
	}
	net := graph.Network{Nodes: []graph.Entity{}, Relations: []graph.Relation{}}
	err := s.read(ctx, func(st *state) error {
		centre, ok := st.entity(q.Entity)
		if !ok {
			return notFound("entity", q.Entity)
		}
		w := newWalker(ctx, st, q.Types, q.Window)
		in := map[string]bool{centre.ID: true}
		nodes := []string{centre.ID}
		level := nodes
		for depth := 1; depth <= q.Depth && len(level) > 0 && !net.Truncated; depth++ {
			var next []string
			for _, u := range level {
				for _, e := range st.adj[u] {
					if err := w.tick(); err != nil {
						return err
					}
					v := e.other
					if in[v] || !w.follows(e.rel) || len(kinds) > 0 && !kinds[st.entities[v].Kind] {
						continue
					}
					in[v] = true
					next = append(next, v)
				}
			}
			nodes, level, net.Truncated = graph.NextLevel(nodes, next, q.Limit, in)
		}
		for _, id := range nodes {
			net.Nodes = append(net.Nodes, cloneListed(st.entities[id]))
		}
		// Each relation once, found from the end with fewer relations
		// (ties: the smaller id), so a hub's list is read only for
		// relations to bigger hubs, and the biggest hub's not at all.
		before := func(a, b string) bool {
			da, db := len(st.adj[a]), len(st.adj[b])
			return da < db || da == db && a < b
		}
		biggest := nodes[0]
		for _, id := range nodes[1:] {
			if before(biggest, id) {
				biggest = id
			}
		}
		for _, id := range nodes {
			if id == biggest {
				continue
			}
			for _, e := range st.adj[id] {
				if in[e.other] && before(id, e.other) && w.follows(e.rel) {
					net.Relations = append(net.Relations, cloneRelation(e.rel))
				}
			}
		}
		sort.Slice(net.Relations, func(i, j int) bool { return net.Relations[i].ID < net.Relations[j].ID })
		return nil
	})
	if err != nil {
		return graph.Network{}, err
	}
	return net, nil
}

// eventKey orders events by date, then id, undated last; the cursor of an
// event page is the key of its last item.
func eventKey(e *graph.Entity) string {
	if e.Date == "" {
		return "\xff\x00" + e.ID
	}
	return e.Date + "\x00" + e.ID
}

func eventID(key string) string { return key[strings.IndexByte(key, 0)+1:] }

// Events implements graph.Store.
func (s *Store) Events(ctx context.Context, q graph.EventQuery) (graph.EventPage, error) {
	if err := q.Normalize(); err != nil {
		return graph.EventPage{}, err
	}
	after, err := graph.EventCursor(q.Cursor)
	if err != nil {
		return graph.EventPage{}, err
	}
	types := map[string]bool{}
	for _, t := range q.Types {
		types[t] = true
	}
	page := graph.EventPage{Items: []graph.Entity{}}
	err = s.read(ctx, func(st *state) error {
		// Start from the smallest set the filters allow.
		var cands []*graph.Entity
		linked := func(id string, t graph.RelType, out bool) {
			for _, e := range st.adj[id] {
				r := e.rel
				if r.Type != t {
					continue
				}
				if out && r.From == id {
					cands = append(cands, st.entities[r.To])
				} else if !out && r.To == id {
					cands = append(cands, st.entities[r.From])
				}
			}
		}
		switch {
		case q.Actor != "":
			linked(st.resolve(q.Actor), graph.ParticipatedIn, true)
		case q.Place != "":
			linked(st.resolve(q.Place), graph.OccurredIn, false)
		default:
			// The timeline is sorted: start at the cursor or at the
			// earliest date that can meet the window (a coarse date such
			// as "2025" sorts before the days it covers, hence the year),
			// and stop once dates pass the window's end or a page is full
			// of matches.
			from := after
			if y := q.Window.From; y != "" && y[:4] > from {
				from = y[:4]
			}
			i, _ := slices.BinarySearch(st.events, from)
			if i < len(st.events) && st.events[i] == after {
				i++
			}
			for ; i < len(st.events) && len(cands) <= q.Limit; i++ {
				e := st.entities[eventID(st.events[i])]
				if q.Window.To != "" && (e.Date == "" || e.Date > q.Window.To+"\xff") {
					break
				}
				if len(types) == 0 || types[e.EventType] {
					if q.Window.Contains(e.Date, e.Date) {
						cands = append(cands, e)
					}
				}
			}
		}
		place := st.resolve(q.Place)
		var keep []*graph.Entity
		for _, e := range cands {
			if e.Kind != graph.KindEvent || len(types) > 0 && !types[e.EventType] ||
				!q.Window.Contains(e.Date, e.Date) || after != "" && eventKey(e) <= after {
				continue
			}
			if q.Place != "" && q.Actor != "" && !occurredIn(st, e.ID, place) {
				continue
			}
			keep = append(keep, e)
		}
		sort.Slice(keep, func(i, j int) bool { return eventKey(keep[i]) < eventKey(keep[j]) })
		keep = slices.CompactFunc(keep, func(a, b *graph.Entity) bool { return a.ID == b.ID })
		if len(keep) > q.Limit {
			keep = keep[:q.Limit]
			page.Next = graph.EncodeCursor(eventKey(keep[len(keep)-1]))
		}
		for _, e := range keep {
			page.Items = append(page.Items, cloneListed(e))
		}
		return nil
	})
	if err != nil {
		return graph.EventPage{}, err
	}
	return page, nil
}

func occurredIn(st *state, event, place string) bool {
	for _, e := range st.adj[event] {
		if r := e.rel; r.Type == graph.OccurredIn && r.From == event && r.To == place {
			return true
		}
	}
	return false
}
