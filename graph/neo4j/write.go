package neo4jstore

import (
	"context"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// How a write works. Every Apply and Merge is one write transaction that
// first takes the lock of the change counter, so writers run one at a time
// across every process sharing the database (as memstore's write mutex does
// within one), their change sequence numbers follow commit order, and what
// a writer reads cannot change before it commits. It then reads what it
// needs by id, combines old and new with the rules of package graph in Go,
// and writes only what changed, in batched UNWIND statements. The driver
// may run the transaction function again after a transient failure, so the
// function computes everything from what it reads.

// Apply implements graph.Store.
func (s *Store) Apply(ctx context.Context, b *graph.Batch) (graph.ApplyResult, error) {
	if b == nil {
		return graph.ApplyResult{}, graph.Errorf(graph.Invalid, "no batch")
	}
	if err := ctxErr(ctx); err != nil {
		return graph.ApplyResult{}, err
	}
	if n := len(b.Documents) + len(b.Entities) + len(b.Relations); n > graph.MaxBatchItems {
		return graph.ApplyResult{}, b.Validate(nil) // TooLarge, before any round trip
	}
	if err := s.begin(ctx); err != nil {
		return graph.ApplyResult{}, err
	}
	var res graph.ApplyResult
	err := s.write(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		res = graph.ApplyResult{}
		lk, err := lock(ctx, tx)
		if err != nil {
			return err
		}
		var ids []string
		for _, d := range b.Documents {
			ids = append(ids, d.ID)
		}
		for _, e := range b.Entities {
			ids = append(ids, e.ID)
		}
		for _, r := range b.Relations {
			ids = append(ids, r.From, r.To)
		}
		p := newPlan()
		kinds, err := loadKinds(ctx, tx, ids, p.redirect)
		if err != nil {
			return err
		}
		known := func(id string) (graph.Kind, bool) { k, ok := kinds[id]; return k, ok }
		if err := b.Validate(known); err != nil {
			return err
		}
		if err := b.CheckKinds(known); err != nil {
			return err
		}

		// Read what the batch touches: its documents and entities (where
		// merges sent them) and its relations (once rehomed).
		ids = ids[:0]
		for _, d := range b.Documents {
			ids = append(ids, d.ID)
		}
		for _, e := range b.Entities {
			ids = append(ids, p.resolve(e.ID))
		}
		if err := loadNodes(ctx, tx, ids, p); err != nil {
			return err
		}
		rels := make([]graph.Relation, 0, len(b.Relations))
		for _, r := range b.Relations {
			r = graph.RehomeRelation(r, p.resolve)
			if r.From == r.To {
				continue // both ends were merged into one entity
			}
			rels = append(rels, r)
		}
		if err := loadRelations(ctx, tx, rels, p); err != nil {
			return err
		}

		for _, d := range b.Documents {
			if err := p.upsertDocument(d); err != nil {
				return err
			}
		}
		for _, e := range b.Entities {
			if err := p.upsertEntity(e); err != nil {
				return err
			}
		}
		for i, r := range rels {
			if i%1024 == 0 {
				if err := ctxErr(ctx); err != nil {
					return err
				}
			}
			if err := p.upsertRelation(r); err != nil {
				return err
			}
		}
		res, err = s.commit(ctx, tx, p, lk)
		return err
	})
	if err != nil {
		return graph.ApplyResult{}, err
	}
	return res, nil
}

// Merge implements graph.Store.
func (s *Store) Merge(ctx context.Context, keep, drop string) (graph.MergeRecord, error) {
	if err := checkID(keep, "keep"); err != nil {
		return graph.MergeRecord{}, err
	}
	if err := checkID(drop, "drop"); err != nil {
		return graph.MergeRecord{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.MergeRecord{}, err
	}
	var rec graph.MergeRecord
	err := s.write(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		lk, err := lock(ctx, tx)
		if err != nil {
			return err
		}
		p := newPlan()
		if _, err := loadKinds(ctx, tx, []string{keep, drop}, p.redirect); err != nil {
			return err
		}
		if err := loadNodes(ctx, tx, []string{p.resolve(keep), p.resolve(drop)}, p); err != nil {
			return err
		}
		k, d := p.oldEnts[p.resolve(keep)], p.oldEnts[p.resolve(drop)]
		switch {
		case k == nil:
			return notFound("entity", keep)
		case d == nil:
			return notFound("entity", drop)
		case k.ID == d.ID:
			return graph.Errorf(graph.Invalid, "%s and %s are the same entity", keep, drop)
		case k.Kind != d.Kind:
			return graph.Errorf(graph.Invalid, "cannot merge a %s into a %s", d.Kind, k.Kind)
		case k.Kind == graph.KindDocument:
			return graph.Errorf(graph.Invalid, "documents cannot be merged")
		}
		moved, err := entityRelations(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		p.ents[d.ID] = nil
		p.into[d.ID] = k.ID
		p.touch(ref{objEntity, d.ID})
		if err := p.setEntity(graph.MergeEntity(*k, *d), objEntity); err != nil {
			return err
		}
		resolve := func(id string) string {
			if id == d.ID {
				return k.ID
			}
			return id
		}
		movedIDs := make([]string, len(moved))
		rehomed := make([]graph.Relation, 0, len(moved))
		for i, r := range moved {
			movedIDs[i] = r.ID
			p.oldRels[r.ID] = r
			p.rels[r.ID] = nil
			p.touch(ref{objRelation, r.ID})
			if nr := graph.RehomeRelation(*r, resolve); nr.From != nr.To {
				rehomed = append(rehomed, nr) // else a relation between the two: nothing left to join
			}
		}
		if err := loadRelations(ctx, tx, rehomed, p); err != nil {
			return err
		}
		for _, r := range rehomed {
			if err := p.upsertRelation(r); err != nil {
				return err
			}
		}
		rec = graph.MergeRecord{Keep: k.ID, Drop: d.ID, Dropped: *d, Relations: movedIDs, At: time.Now().UTC()}
		p.merge = &rec
		_, err = s.commit(ctx, tx, p, lk)
		return err
	})
	if err != nil {
		return graph.MergeRecord{}, err
	}
	return rec, nil
}

// counter is the change counter as a writer found it.
type counter struct{ seq int64 }

// lock takes the writers' lock: an exclusive lock on the change counter,
// held until the transaction ends, taken by a plain SET. (A MERGE would
// first take a shared lock and then upgrade it, and two writers upgrading
// at once deadlock.) The counter is read only once the lock is held, so it
// is the last writer's. Migrations create the counter; it is created here
// too if someone deleted it since.
func lock(ctx context.Context, tx neo4j.ManagedTransaction) (counter, error) {
	params := map[string]any{"token": rand.Int64()}
	recs, err := collect(ctx, tx, "MATCH (m:"+labelMeta+" {name: 'changes'}) SET m.writer = $token RETURN m.seq", params)
	if err == nil && len(recs) == 0 {
		recs, err = collect(ctx, tx, "MERGE (m:"+labelMeta+" {name: 'changes'}) ON CREATE SET m.seq = 0, m.evidence = 0 "+
			"SET m.writer = $token RETURN m.seq", params)
	}
	if err != nil {
		return counter{}, err
	}
	if recs, err = collect(ctx, tx, "MATCH (m:"+labelMeta+" {name: 'changes'}) RETURN m.seq", nil); err != nil {
		return counter{}, err
	}
	if len(recs) != 1 {
		return counter{}, errorf("change counter: %d records", len(recs))
	}
	seq, _ := recs[0].Values[0].(int64)
	return counter{seq: seq}, nil
}

// loadKinds looks up, for each id, where merges sent it (filling redirect)
// and the kind of the entity it now is, if any.
func loadKinds(ctx context.Context, tx neo4j.ManagedTransaction, ids []string, redirect map[string]string) (map[string]graph.Kind, error) {
	recs, err := collect(ctx, tx, "UNWIND $ids AS id "+
		"OPTIONAL MATCH (rd:"+labelRedirect+" {from: id}) WITH DISTINCT id, coalesce(rd.to, id) AS rid "+
		"OPTIONAL MATCH (n:"+labelEntity+" {id: rid}) RETURN id, rid, n.kind",
		map[string]any{"ids": dedupe(ids)})
	if err != nil {
		return nil, err
	}
	kinds := make(map[string]graph.Kind, len(recs))
	for _, rec := range recs {
		id, _ := rec.Values[0].(string)
		rid, _ := rec.Values[1].(string)
		if rid != id {
			redirect[id] = rid
		}
		if k, ok := rec.Values[2].(string); ok {
			kinds[id] = graph.Kind(k)
		}
	}
	return kinds, nil
}

// loadNodes reads the entities (and documents) with the ids into the plan.
func loadNodes(ctx context.Context, tx neo4j.ManagedTransaction, ids []string, p *plan) error {
	recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (n:"+labelEntity+" {id: id}) RETURN n",
		map[string]any{"ids": dedupe(ids)})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		n, ok := rec.Values[0].(neo4j.Node)
		if !ok {
			return errorf("expected a node, got %T", rec.Values[0])
		}
		e, err := decodeEntity(n.Props)
		if err != nil {
			return err
		}
		if e, err = canonical(e); err != nil {
			return err
		}
		p.oldEnts[e.ID] = &e
		if e.Kind == graph.KindDocument {
			d, err := decodeDocument(n.Props)
			if err != nil {
				return err
			}
			p.oldDocs[d.ID] = &d
		}
	}
	return nil
}

// loadRelations reads the stored versions of rels, by type so that each
// lookup is a seek in that type's id index.
func loadRelations(ctx context.Context, tx neo4j.ManagedTransaction, rels []graph.Relation, p *plan) error {
	byType := map[graph.RelType][]string{}
	for _, r := range rels {
		if _, ok := p.oldRels[r.ID]; !ok {
			byType[r.Type] = append(byType[r.Type], r.ID)
		}
	}
	for _, t := range graph.RelTypes {
		if len(byType[t]) == 0 {
			continue
		}
		recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (a)-[r:"+relTypes([]graph.RelType{t})+" {id: id}]->(b) RETURN r, a.id, b.id",
			map[string]any{"ids": dedupe(byType[t])})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2])
			if err != nil {
				return err
			}
			if r, err = canonical(r); err != nil {
				return err
			}
			p.oldRels[r.ID] = &r
		}
	}
	return nil
}

// entityRelations reads every relation at an entity, in id order.
func entityRelations(ctx context.Context, tx neo4j.ManagedTransaction, id string) ([]*graph.Relation, error) {
	recs, err := collect(ctx, tx, "MATCH (:"+labelEntity+" {id: $id})-[r:"+allTypes+"]-() "+
		"RETURN r, startNode(r).id, endNode(r).id ORDER BY r.id", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Relation, 0, len(recs))
	for _, rec := range recs {
		r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2])
		if err != nil {
			return nil, err
		}
		if r, err = canonical(r); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, nil
}

func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return slices.Compact(out)
}
