package memstore

import (
	"context"
	"math"
	"sort"

	"github.com/polgraph/polgraph/graph"
)

// Entity implements graph.Store.
func (s *Store) Entity(ctx context.Context, id string) (graph.Entity, error) {
	if err := checkID(id, "id"); err != nil {
		return graph.Entity{}, err
	}
	var out graph.Entity
	err := s.read(ctx, func(st *state) error {
		e, ok := st.entity(id)
		if !ok {
			return notFound("entity", id)
		}
		out = cloneEntity(e)
		return nil
	})
	return out, err
}

// Document implements graph.Store.
func (s *Store) Document(ctx context.Context, id string) (graph.Document, error) {
	if err := checkID(id, "id"); err != nil {
		return graph.Document{}, err
	}
	var out graph.Document
	err := s.read(ctx, func(st *state) error {
		d, ok := st.documents[id]
		if !ok {
			return notFound("document", id)
		}
		out = *d
		return nil
	})
	return out, err
}

// Relation implements graph.Store.
func (s *Store) Relation(ctx context.Context, id string) (graph.Relation, error) {
	if err := checkID(id, "id"); err != nil {
		return graph.Relation{}, err
	}
	var out graph.Relation
	err := s.read(ctx, func(st *state) error {
		r, ok := st.relations[id]
		if !ok {
			return notFound("relation", id)
		}
		out = cloneRelation(r)
		return nil
	})
	return out, err
}

// Relations implements graph.Store: the entity's adjacency list is already
// in id order, so a page starts where the cursor's id would be.
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
	page := graph.RelationPage{Items: []graph.Relation{}}
	err = s.read(ctx, func(st *state) error {
		e, ok := st.entity(q.Entity)
		if !ok {
			return notFound("entity", q.Entity)
		}
		l := st.adj[e.ID]
		i := 0
		if after != "" {
			var found bool
			if i, found = findEdge(l, after); found {
				i++
			}
		}
		for ; i < len(l); i++ {
			r := l[i].rel
			if q.Direction == graph.Outgoing && r.From != e.ID || q.Direction == graph.Incoming && r.To != e.ID ||
				!graph.RelationMatches(r, q.Types, q.Window, q.MinConfidence) {
				continue
			}
			if len(page.Items) == q.Limit {
				page.Next = graph.EncodeCursor(page.Items[len(page.Items)-1].ID)
				break
			}
			item := cloneRelation(r)
			far := r.To
			if far == e.ID {
				far = r.From
			}
			clone := cloneListed
			if q.WithMentions {
				clone = cloneEntity
			}
			other := clone(st.entities[far])
			item.Other = &other
			page.Items = append(page.Items, item)
		}
		return nil
	})
	if err != nil {
		return graph.RelationPage{}, err
	}
	return page, nil
}

// Search implements graph.Store. Candidates are the entities whose index
// keys meet every query token's keys (graph.SearchQuery.Keys); the query's
// Score ranks them.
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) ([]graph.SearchHit, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	hits := []graph.SearchHit{}
	err := s.read(ctx, func(st *state) error {
		var cands map[string]struct{}
		for _, keys := range q.Keys() {
			set := map[string]struct{}{}
			for _, k := range keys {
				for id := range st.index[k].all() {
					if cands == nil {
						set[id] = struct{}{}
					} else if _, ok := cands[id]; ok {
						set[id] = struct{}{}
					}
				}
			}
			cands = set
			if len(cands) == 0 {
				return nil
			}
		}
		for id := range cands {
			e := st.entities[id]
			if score, matched := q.Score(e); score > 0 {
				hits = append(hits, graph.SearchHit{Entity: cloneListed(e), Score: score, Matched: matched})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return graph.SortHits(hits, q.Limit), nil
}

// Stats implements graph.Store.
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	var out graph.Stats
	err := s.read(ctx, func(st *state) error {
		out = graph.Stats{Entities: map[graph.Kind]int{}, Relations: map[graph.RelType]int{},
			Documents: len(st.documents), Evidence: st.evidence, Changes: st.seq}
		for k, n := range st.kinds {
			out.Entities[k] = n
		}
		for t, n := range st.types {
			out.Relations[t] = n
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
	if since == math.MaxUint64 {
		return page, nil
	}
	err := s.read(ctx, func(st *state) error {
		if s.db != nil {
			// Under the read lock, so Close cannot pull the file away.
			items, err := s.readChanges(since, limit)
			page.Items = items
			return err
		}
		i := sort.Search(len(st.changes), func(i int) bool { return st.changes[i].Seq > since })
		page.Items = append(page.Items, st.changes[i:min(i+limit, len(st.changes))]...)
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
