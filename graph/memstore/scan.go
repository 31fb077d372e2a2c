package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/polgraph/polgraph/graph"
)

// Scan implements graph.Store. The ids are listed under one read lock;
// the objects are then copied a page at a time, so a long export never
// holds writers back for more than a page.
func (s *Store) Scan(ctx context.Context, fn func(graph.Object) error) error {
	var docs, ents, rels []string
	err := s.read(ctx, func(st *state) error {
		docs = sortedKeys(st.documents, nil)
		ents = sortedKeys(st.entities, func(e *graph.Entity) (string, bool) {
			return string(rune('a' + slices.Index(graph.Kinds, e.Kind))), e.Kind != graph.KindDocument
		})
		rels = sortedKeys(st.relations, func(r *graph.Relation) (string, bool) {
			return string(rune('a' + slices.Index(graph.RelTypes, r.Type))), true
		})
		return nil
	})
	if err != nil {
		return err
	}
	type copier func(st *state, id string) (graph.Object, bool)
	pass := func(ids []string, get copier) error {
		for len(ids) > 0 {
			page := ids[:min(len(ids), graph.ScanPage)]
			ids = ids[len(page):]
			objs := make([]graph.Object, 0, len(page))
			if err := s.read(ctx, func(st *state) error {
				for _, id := range page {
					if o, ok := get(st, id); ok {
						objs = append(objs, o)
					}
				}
				return nil
			}); err != nil {
				return err
			}
			for _, o := range objs {
				if err := fn(o); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := pass(docs, func(st *state, id string) (graph.Object, bool) {
		d, ok := st.documents[id]
		if !ok {
			return graph.Object{}, false
		}
		c := *d
		return graph.Object{Document: &c}, true
	}); err != nil {
		return err
	}
	if err := pass(ents, func(st *state, id string) (graph.Object, bool) {
		e, ok := st.entities[id] // not st.entity: a merged-away id is gone, not redirected
		if !ok {
			return graph.Object{}, false
		}
		c := cloneEntity(e)
		return graph.Object{Entity: &c}, true
	}); err != nil {
		return err
	}
	return pass(rels, func(st *state, id string) (graph.Object, bool) {
		r, ok := st.relations[id]
		if !ok {
			return graph.Object{}, false
		}
		c := cloneRelation(r)
		return graph.Object{Relation: &c}, true
	})
}

// sortedKeys lists the ids of m in the order of (group, id), where group
// gives each value's group and whether to keep it; nil keeps all in id
// order.
func sortedKeys[V any](m map[string]V, group func(V) (string, bool)) []string {
	type item struct{ group, id string }
	items := make([]item, 0, len(m))
	for id, v := range m {
		g, keep := "", true
		if group != nil {
			g, keep = group(v)
		}
		if keep {
			items = append(items, item{g, id})
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		if c := strings.Compare(a.group, b.group); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.id
	}
	return ids
}
