package neo4jstore

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// resolveEntity is a Cypher fragment that binds n to the entity $id names,
// following a merge: merged-away ids resolve in one step, because Merge
// points every redirect at the entity that is still there.
const resolveEntity = "OPTIONAL MATCH (rd:" + labelRedirect + " {from: $id}) WITH coalesce(rd.to, $id) AS rid " +
	"MATCH (n:" + labelEntity + " {id: rid}) "

// lookup returns the entity an id names, following merges; ok is false if
// there is none. Without withMentions it reads the entity as lists give it,
// which for a hub is most of the cost of reading it.
func lookup(ctx context.Context, tx neo4j.ManagedTransaction, id string, withMentions bool) (graph.Entity, bool, error) {
	project := listedProjection
	if withMentions {
		project = entityProjection
	}
	recs, err := collect(ctx, tx, resolveEntity+"RETURN "+project("n"), map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return graph.Entity{}, false, err
	}
	e, err := decodeNodeEntity(recs[0].Values[0])
	return e, err == nil, err
}

// resolveID returns the id of the entity id names now (itself unless merged
// away), whether or not it exists.
func resolveID(ctx context.Context, tx neo4j.ManagedTransaction, id string) (string, error) {
	recs, err := collect(ctx, tx, "OPTIONAL MATCH (rd:"+labelRedirect+" {from: $id}) RETURN coalesce(rd.to, $id)", map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return id, err
	}
	out, _ := recs[0].Values[0].(string)
	return out, nil
}

// Entity implements graph.Store.
func (s *Store) Entity(ctx context.Context, id string) (graph.Entity, error) {
	if err := checkID(id, "id"); err != nil {
		return graph.Entity{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.Entity{}, err
	}
	var out graph.Entity
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		e, ok, err := lookup(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("entity", id)
		}
		out = e
		return nil
	})
	return out, err
}

// Document implements graph.Store. Documents are never merged, so their ids
// are not resolved.
func (s *Store) Document(ctx context.Context, id string) (graph.Document, error) {
	if err := checkID(id, "id"); err != nil {
		return graph.Document{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.Document{}, err
	}
	var out graph.Document
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, "MATCH (n:"+string(graph.KindDocument)+" {id: $id}) RETURN n", map[string]any{"id": id})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return notFound("document", id)
		}
		n, ok := recs[0].Values[0].(neo4j.Node)
		if !ok {
			return errorf("expected a node, got %T", recs[0].Values[0])
		}
		out, err = decodeDocument(n.Props)
		return err
	})
	return out, err
}

// relationByID is one index seek per relation type: a relation id does not
// say its type, and each type has its own id index.
var relationByID = func() string {
	parts := make([]string, len(graph.RelTypes))
	for i, t := range graph.RelTypes {
		parts[i] = "MATCH (a)-[r:" + relTypes([]graph.RelType{t}) + " {id: $id}]->(b) RETURN r, a.id AS f, b.id AS t"
	}
	return "CALL { " + strings.Join(parts, " UNION ALL ") + " } RETURN r, f, t, " + evidenceOf("r")
}()

// Relation implements graph.Store.
func (s *Store) Relation(ctx context.Context, id string) (graph.Relation, error) {
	if err := checkID(id, "id"); err != nil {
		return graph.Relation{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.Relation{}, err
	}
	var out graph.Relation
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		recs, err := collect(ctx, tx, relationByID, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return notFound("relation", id)
		}
		out, err = decodeRelation(recs[0].Values[0], recs[0].Values[1], recs[0].Values[2], recs[0].Values[3])
		return err
	})
	return out, err
}

// windowFilter returns a Cypher predicate on relationship r that keeps what
// graph.Window.Contains keeps (see graph.Relation.SpanBounds), and adds its
// parameters; "" for an open window.
func windowFilter(r string, w graph.Window, params map[string]any) string {
	if w.Open() {
		return ""
	}
	from, to := w.Bounds()
	conds := []string{r + ".span_start IS NOT NULL"}
	if from != "" {
		conds = append(conds, r+".span_end >= $window_from")
		params["window_from"] = from
	}
	if to != "" {
		conds = append(conds, r+".span_start <= $window_to")
		params["window_to"] = to
	}
	return strings.Join(conds, " AND ")
}

func and(conds ...string) string {
	var out []string
	for _, c := range conds {
		if c != "" {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(out, " AND ") + " "
}

// Relations implements graph.Store. The filters run in Cypher (the window on
// the span properties Apply derives), rows come in relation id order, and
// graph.RelationMatches decides. Neo4j sorts only the relationships' ids
// and returns a page and one more: of a hub's thousands of relations, only
// those rows carry their properties and the other end's entity. Should Go
// turn rows down, the next rows are asked for after the last one read.
func (s *Store) Relations(ctx context.Context, q graph.RelationQuery) (graph.RelationPage, error) {
	if err := q.Normalize(); err != nil {
		return graph.RelationPage{}, err
	}
	if err := checkID(q.Entity, "entity"); err != nil {
		return graph.RelationPage{}, err
	}
	after, err := graph.RelationCursor(q.Cursor)
	if err != nil {
		return graph.RelationPage{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.RelationPage{}, err
	}
	types := allTypes
	if len(q.Types) > 0 {
		types = relTypes(q.Types)
	}
	pattern := "-[r:" + types + "]-(o)"
	switch q.Direction {
	case graph.Outgoing:
		pattern = "-[r:" + types + "]->(o)"
	case graph.Incoming:
		pattern = "<-[r:" + types + "]-(o)"
	}
	rows := q.Limit + 1
	params := map[string]any{"min": q.MinConfidence, "rows": int64(rows)}
	// The entity is looked up first, by its resolved id: given the node,
	// the planner expands from it, where a predicate on r.id alone would
	// tempt it to scan the relationship id index.
	other := listedProjection("o")
	if q.WithMentions {
		other = entityProjection("o")
	}
	cypher := "MATCH (n:" + labelEntity + " {id: $id})" + pattern + " " +
		and("r.id > $after", "r.confidence >= $min", windowFilter("r", q.Window, params)) +
		"WITH r, o ORDER BY r.id LIMIT $rows " +
		"RETURN r, startNode(r).id, endNode(r).id, " + other + ", " + evidenceOf("r")
	var page graph.RelationPage
	err = s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		page = graph.RelationPage{Items: []graph.Relation{}}
		e, ok, err := lookup(ctx, tx, q.Entity, false)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("entity", q.Entity)
		}
		params["id"], params["after"] = e.ID, after
		for {
			read, done := 0, false
			err := each(ctx, tx, cypher, params, func(rec *neo4j.Record) (bool, error) {
				read++
				r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2], rec.Values[4])
				if err != nil {
					return false, err
				}
				params["after"] = r.ID
				if !graph.RelationMatches(&r, q.Types, q.Window, q.MinConfidence) {
					return false, nil
				}
				if len(page.Items) == q.Limit {
					page.Next = graph.EncodeCursor(page.Items[len(page.Items)-1].ID)
					done = true
					return true, nil
				}
				other, err := decodeNodeEntity(rec.Values[3])
				if err != nil {
					return false, err
				}
				r.Other = &other
				page.Items = append(page.Items, r)
				return false, nil
			})
			if err != nil || done || read < rows {
				return err
			}
		}
	})
	if err != nil {
		return graph.RelationPage{}, err
	}
	return page, nil
}

// Search implements graph.Store as memstore does: candidates are the
// entities whose name keys meet every query token's keys (found through the
// :NameKey nodes), scored by the query's Score, ordered by graph.SortHits.
// A common word has thousands of candidates: they are scored on the
// properties Score and SortHits read, and only the hits returned are read
// whole (an actor's mentions run to megabytes).
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) ([]graph.SearchHit, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	tokens := q.Keys()
	var keys []string
	for _, ks := range tokens {
		if len(ks) == 0 {
			return []graph.SearchHit{}, nil // a token no name in the script can hold
		}
		keys = append(keys, ks...)
	}
	hits := []graph.SearchHit{}
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		hits = []graph.SearchHit{}
		recs, err := collect(ctx, tx, "UNWIND $keys AS k MATCH (:"+labelNameKey+" {key: k})-[:"+relNames+"]->(n:"+labelEntity+") "+
			"RETURN k, collect(n.id)", map[string]any{"keys": dedupe(keys)})
		if err != nil {
			return err
		}
		// One record per key, not per entity: the driver's cost is per
		// record, and a common word names thousands.
		byKey := map[string][]string{}
		for _, rec := range recs {
			k, _ := rec.Values[0].(string)
			byKey[k] = append(byKey[k], strs(rec.Values[1])...)
		}
		var cands map[string]bool
		for _, ks := range tokens {
			set := map[string]bool{}
			for _, k := range ks {
				for _, id := range byKey[k] {
					if cands == nil || cands[id] {
						set[id] = true
					}
				}
			}
			if cands = set; len(cands) == 0 {
				return nil
			}
		}
		ids := make([]string, 0, len(cands))
		for id := range cands {
			ids = append(ids, id)
		}
		recs, err = collect(ctx, tx, "UNWIND $ids AS id MATCH (n:"+labelEntity+" {id: id}) "+
			"RETURN collect([n.id, n.kind, n.name, n.name_ar, n.aliases])", map[string]any{"ids": ids})
		if err != nil || len(recs) == 0 {
			return err
		}
		rows, _ := recs[0].Values[0].([]any)
		for _, row := range rows {
			v, _ := row.([]any)
			if len(v) != 5 {
				return errorf("search candidate row %v", row)
			}
			e := graph.Entity{ID: str(v[0]), Kind: graph.Kind(str(v[1])), Name: str(v[2]), NameAr: str(v[3]), Aliases: strs(v[4])}
			if score, matched := q.Score(&e); score > 0 {
				hits = append(hits, graph.SearchHit{Entity: e, Score: score, Matched: matched})
			}
		}
		hits = graph.SortHits(hits, q.Limit)
		top := make([]string, len(hits))
		for i, h := range hits {
			top[i] = h.Entity.ID
		}
		ents, err := entitiesByID(ctx, tx, top)
		if err != nil {
			return err
		}
		for i := range hits {
			e, ok := ents[hits[i].Entity.ID]
			if !ok {
				return errorf("search hit %s vanished", hits[i].Entity.ID)
			}
			hits[i].Entity = e
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return hits, nil
}

// Stats implements graph.Store. Counts by label and by relationship type
// come from Neo4j's count store; evidence and the change sequence are kept
// on the change counter by every write.
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	if err := s.begin(ctx); err != nil {
		return graph.Stats{}, err
	}
	var parts []string
	for _, k := range graph.Kinds {
		parts = append(parts, "MATCH (n:"+kindLabel(k)+") RETURN 'kind' AS what, '"+string(k)+"' AS name, count(n) AS n")
	}
	for _, t := range graph.RelTypes {
		parts = append(parts, "MATCH ()-[r:"+relTypes([]graph.RelType{t})+"]->() RETURN 'type' AS what, '"+string(t)+"' AS name, count(r) AS n")
	}
	parts = append(parts, "MATCH (m:"+labelMeta+" {name: 'changes'}) RETURN 'seq' AS what, '' AS name, m.seq AS n",
		"MATCH (m:"+labelMeta+" {name: 'changes'}) RETURN 'evidence' AS what, '' AS name, m.evidence AS n")
	cypher := "CALL { " + strings.Join(parts, " UNION ALL ") + " } RETURN what, name, n"
	var out graph.Stats
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		out = graph.Stats{Entities: map[graph.Kind]int{}, Relations: map[graph.RelType]int{}}
		recs, err := collect(ctx, tx, cypher, nil)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			what, _ := rec.Values[0].(string)
			name, _ := rec.Values[1].(string)
			n, _ := rec.Values[2].(int64)
			switch {
			case what == "kind" && n > 0:
				out.Entities[graph.Kind(name)] = int(n)
				if graph.Kind(name) == graph.KindDocument {
					out.Documents = int(n)
				}
			case what == "type" && n > 0:
				out.Relations[graph.RelType(name)] = int(n)
			case what == "seq":
				out.Changes = uint64(n)
			case what == "evidence":
				out.Evidence = int(n)
			}
		}
		return nil
	})
	return out, err
}

// Changes implements graph.Store. A limit of 0 or less means 100; at most
// graph.MaxPageSize are returned.
func (s *Store) Changes(ctx context.Context, since uint64, limit int) (graph.ChangePage, error) {
	limit = graph.ChangeLimit(limit)
	page := graph.ChangePage{Items: []graph.Change{}, Next: since}
	if since >= math.MaxInt64 {
		return page, nil // Neo4j integers stop there: no change has a later number
	}
	if err := s.begin(ctx); err != nil {
		return graph.ChangePage{}, err
	}
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		page.Items = []graph.Change{}
		recs, err := collect(ctx, tx, "MATCH (c:"+labelChange+") WHERE c.seq > $since RETURN c ORDER BY c.seq LIMIT $limit",
			map[string]any{"since": int64(since), "limit": int64(limit)})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			c, err := decodeChange(rec.Values[0])
			if err != nil {
				return err
			}
			page.Items = append(page.Items, c)
		}
		return nil
	})
	if err != nil {
		return graph.ChangePage{}, err
	}
	if n := len(page.Items); n > 0 {
		page.Next = page.Items[n-1].Seq
	}
	return page, nil
}

// eventKey orders events by date, then id, undated last; the cursor of an
// event page is the key of its last item. The same keys as memstore's, so
// a cursor means the same to both.
func eventKey(e *graph.Entity) string {
	if e.Date == "" {
		return "\xff\x00" + e.ID
	}
	return e.Date + "\x00" + e.ID
}

// Events implements graph.Store. With an actor or a place the candidates are
// that entity's events; otherwise the timeline is read in (date, id) order
// from the Event (date, id) index, dated events first, and stops once a page and
// one more are found.
func (s *Store) Events(ctx context.Context, q graph.EventQuery) (graph.EventPage, error) {
	if err := q.Normalize(); err != nil {
		return graph.EventPage{}, err
	}
	after, err := graph.EventCursor(q.Cursor)
	if err != nil {
		return graph.EventPage{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.EventPage{}, err
	}
	types := map[string]bool{}
	for _, t := range q.Types {
		types[t] = true
	}
	keep := func(e *graph.Entity) bool {
		return e.Kind == graph.KindEvent && (len(types) == 0 || types[e.EventType]) &&
			q.Window.Contains(e.Date, e.Date) && (after == "" || eventKey(e) > after)
	}
	typeFilter := ""
	if len(q.Types) > 0 {
		typeFilter = "e.event_type IN $types"
	}
	var page graph.EventPage
	err = s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		page = graph.EventPage{Items: []graph.Entity{}}
		var items []graph.Entity
		// add keeps the events that pass and stops once it has a page and
		// one more (or never, with stopAt at its maximum).
		stopAt := q.Limit
		add := func(rec *neo4j.Record) (bool, error) {
			e, err := decodeNodeEntity(rec.Values[0])
			if err != nil {
				return false, err
			}
			if keep(&e) {
				items = append(items, e)
			}
			return len(items) > stopAt, nil
		}
		params := map[string]any{"types": q.Types}
		event := "(e:" + kindLabel(graph.KindEvent) + ")"
		switch {
		case q.Actor != "" || q.Place != "":
			var match []string
			if q.Actor != "" {
				actor, err := resolveID(ctx, tx, q.Actor)
				if err != nil {
					return err
				}
				params["actor"] = actor
				match = append(match, "MATCH (:"+labelEntity+" {id: $actor})-[:"+relTypes([]graph.RelType{graph.ParticipatedIn})+"]->"+event)
			}
			if q.Place != "" {
				place, err := resolveID(ctx, tx, q.Place)
				if err != nil {
					return err
				}
				params["place"] = place
				match = append(match, "MATCH "+event+"-[:"+relTypes([]graph.RelType{graph.OccurredIn})+"]->(:"+labelEntity+" {id: $place})")
			}
			// Every candidate is read, sorted and cut here: an actor's or a
			// place's events are its degree, not the timeline.
			stopAt = math.MaxInt
			if err := each(ctx, tx, strings.Join(match, " ")+" "+and(typeFilter)+"RETURN DISTINCT "+listedProjection("e"), params, add); err != nil {
				return err
			}
			sort.Slice(items, func(i, j int) bool { return eventKey(&items[i]) < eventKey(&items[j]) })
		default:
			// Dated events in (date, id) order, from the cursor's date or
			// the window's year (a coarse date such as "2025" sorts before
			// the days it covers, and may still meet the window) up to the
			// window's end; then, if the page is not full and no window
			// rules them out, the undated ones by id. (date, id) order is
			// eventKey order.
			lower := ""
			if i := strings.IndexByte(after, 0); i > 0 && after[0] != '\xff' {
				lower = after[:i]
			}
			if y := q.Window.From; y != "" && y[:4] > lower {
				lower = y[:4]
			}
			params["lower"] = lower
			conds := []string{"e.date >= $lower", "e.id IS NOT NULL", typeFilter}
			if _, to := q.Window.Bounds(); to != "" {
				conds = append(conds, "e.date <= $upper")
				params["upper"] = to
			}
			if after == "" || after[0] != '\xff' {
				// "WITH e ORDER BY" on the node's properties, and the id
				// predicate, let the (date, id) index give the order.
				if err := each(ctx, tx, "MATCH "+event+" "+and(conds...)+"WITH e ORDER BY e.date, e.id RETURN "+listedProjection("e"),
					params, add); err != nil {
					return err
				}
			}
			if len(items) <= q.Limit && q.Window.Open() {
				if err := each(ctx, tx, "MATCH "+event+" "+and("e.date IS NULL", "e.id IS NOT NULL", typeFilter)+"WITH e ORDER BY e.id RETURN "+listedProjection("e"),
					params, add); err != nil {
					return err
				}
			}
		}
		if len(items) > q.Limit {
			items = items[:q.Limit]
			page.Next = graph.EncodeCursor(eventKey(&items[len(items)-1]))
		}
		page.Items = append(page.Items, items...)
		return nil
	})
	if err != nil {
		return graph.EventPage{}, err
	}
	return page, nil
}

// each runs a statement and hands its records to f one at a time, as the
// driver fetches them, until f says stop: a reader that needs a page does
// not pull the whole result.
func each(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, f func(*neo4j.Record) (stop bool, err error)) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		stop, err := f(res.Record())
		if err != nil || stop {
			return err
		}
	}
	return res.Err()
}
