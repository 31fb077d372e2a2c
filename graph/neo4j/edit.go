package neo4jstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// Edit implements graph.Store. It is one write transaction, as Apply and
// Merge are: it takes the writers' lock, plans the edit with
// graph.PlanEdit against what it reads in the transaction, and writes the
// plan, the merge bookkeeping and the audit record (numbered from the
// counter the lock read) together.
func (s *Store) Edit(ctx context.Context, e graph.Edit) (graph.AuditRecord, error) {
	if err := s.begin(ctx); err != nil {
		return graph.AuditRecord{}, err
	}
	var out graph.AuditRecord
	err := s.write(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		out = graph.AuditRecord{}
		lk, err := lock(ctx, tx)
		if err != nil {
			return err
		}
		src := newEditSource(ctx, tx)
		at := time.Now().UTC()
		ep, err := graph.PlanEdit(ctx, src, e, at, false)
		if src.err != nil { // a failed read, not the edit's fault
			return src.err
		}
		if err != nil {
			return err
		}
		steps, changes, rec, ok := ep.Diff(at)
		if src.err != nil {
			return src.err
		}
		if !ok {
			out = rec
			return errRollback
		}
		rec.Seq = uint64(lk.audit) + 1
		out = rec
		return s.commit(ctx, tx, ep.Plan, steps, changes,
			bookkeeping{merge: ep.Merge, unmerge: ep.Unmerge, forget: ep.Deleted, audit: &rec}, lk)
	})
	if err != nil {
		return graph.AuditRecord{}, err
	}
	// The form it reads back in, as memstore returns it.
	out, _, err = graph.Canonical(out)
	return out, err
}

// Audit implements graph.Store.
func (s *Store) Audit(ctx context.Context, q graph.AuditQuery) (graph.AuditPage, error) {
	if err := q.Check(); err != nil {
		return graph.AuditPage{}, err
	}
	if err := s.begin(ctx); err != nil {
		return graph.AuditPage{}, err
	}
	cypher := "MATCH (a:" + labelAudit + ") WHERE a.seq > $since RETURN a.record ORDER BY a.seq LIMIT $limit"
	if q.Entity != "" {
		// Two index seeks rather than one scan with an OR.
		cypher = "CALL { MATCH (a:" + labelAudit + " {entity: $entity}) WHERE a.seq > $since RETURN a " +
			"UNION MATCH (a:" + labelAudit + " {into: $entity}) WHERE a.seq > $since RETURN a } " +
			"RETURN a.record ORDER BY a.seq LIMIT $limit"
	}
	params := map[string]any{"since": int64(min(q.Since, 1<<63-1)), "limit": int64(q.Limit), "entity": q.Entity}
	page := graph.AuditPage{Items: []graph.AuditRecord{}, Next: q.Since}
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		page.Items = page.Items[:0]
		recs, err := collect(ctx, tx, cypher, params)
		if err != nil {
			return err
		}
		for _, r := range recs {
			raw, _ := r.Values[0].(string)
			var a graph.AuditRecord
			if err := json.Unmarshal([]byte(raw), &a); err != nil {
				return errorf("audit record: %v", err)
			}
			page.Items = append(page.Items, a)
		}
		return nil
	})
	if err != nil {
		return graph.AuditPage{}, err
	}
	if n := len(page.Items); n > 0 {
		page.Next = page.Items[n-1].Seq
	}
	return page, nil
}

// editSource is the graph.EditSource of an edit: a source that reads what
// planning asks for in the edit's transaction, on first use (a batch of it
// when planning says ahead with Prefetch), and keeps it. Lookups cannot
// fail in the interface: the first failed read is kept in err, and the
// plan made meanwhile is thrown away.
type editSource struct {
	*source
	ctx      context.Context
	tx       neo4j.ManagedTransaction
	resolved map[string]bool // ids whose redirect (or lack of one) is read
	nodes    map[string]bool // ids whose node (or lack of one) is read
	relsRead map[string]bool // relation ids read (or found absent)
	adj      map[string][]*graph.Relation
	merges   map[string]*graph.MergeRecord // nil value: read, no record
	err      error
}

func newEditSource(ctx context.Context, tx neo4j.ManagedTransaction) *editSource {
	return &editSource{source: newSource(), ctx: ctx, tx: tx, resolved: map[string]bool{}, nodes: map[string]bool{},
		relsRead: map[string]bool{}, adj: map[string][]*graph.Relation{}, merges: map[string]*graph.MergeRecord{}}
}

func (s *editSource) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// fetchEntities reads, for the ids not read yet, where merges sent them
// and the nodes of both.
func (s *editSource) fetchEntities(ids []string) {
	var resolve, nodes []string
	for _, id := range ids {
		if !s.resolved[id] {
			resolve = append(resolve, id)
		}
	}
	if len(resolve) > 0 && s.err == nil {
		if _, err := loadKinds(s.ctx, s.tx, resolve, s.redirect); err != nil {
			s.fail(err)
			return
		}
		for _, id := range resolve {
			s.resolved[id] = true
		}
	}
	for _, id := range ids {
		for _, n := range []string{id, s.source.Resolve(id)} {
			if !s.nodes[n] {
				s.nodes[n] = true
				nodes = append(nodes, n)
			}
		}
	}
	if len(nodes) > 0 && s.err == nil {
		if err := loadNodes(s.ctx, s.tx, nodes, s.source); err != nil {
			s.fail(err)
		}
	}
}

func (s *editSource) fetchRelations(rels []graph.Relation) {
	var need []graph.Relation
	for _, r := range rels {
		if !s.relsRead[r.ID] {
			s.relsRead[r.ID] = true
			need = append(need, r)
		}
	}
	if len(need) > 0 && s.err == nil {
		if err := loadRelations(s.ctx, s.tx, need, s.source, false); err != nil {
			s.fail(err)
		}
	}
}

func (s *editSource) Entity(id string) *graph.Entity {
	s.fetchEntities([]string{id})
	return s.source.Entity(id)
}

func (s *editSource) Document(id string) *graph.Document {
	s.fetchEntities([]string{id})
	return s.source.Document(id)
}

func (s *editSource) Resolve(id string) string {
	s.fetchEntities([]string{id})
	return s.source.Resolve(id)
}

// Relation reads a relation not prefetched by its id alone: one index
// seek per relation type, as the id does not say the type.
func (s *editSource) Relation(id string) *graph.Relation {
	if !s.relsRead[id] && s.err == nil {
		s.relsRead[id] = true
		recs, err := collect(s.ctx, s.tx, relationByID, map[string]any{"id": id})
		if err != nil {
			s.fail(err)
			return nil
		}
		for _, rec := range recs {
			r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2], rec.Values[3])
			if err == nil {
				r, _, err = graph.Canonical(r)
			}
			if err != nil {
				s.fail(err)
				return nil
			}
			s.rels[r.ID] = &r
		}
	}
	return s.source.Relation(id)
}

func (s *editSource) Relations(id string) []*graph.Relation {
	if rs, ok := s.adj[id]; ok || s.err != nil {
		return rs
	}
	rs, err := entityRelations(s.ctx, s.tx, id)
	if err != nil {
		s.fail(err)
		return nil
	}
	for i, r := range rs {
		s.relsRead[r.ID] = true
		if cur, ok := s.rels[r.ID]; ok {
			rs[i] = cur // one version of each relation in the plan's sight
		} else {
			s.rels[r.ID] = r
		}
	}
	s.adj[id] = rs
	return rs
}

func (s *editSource) MergeRecord(drop string) *graph.MergeRecord {
	if rec, ok := s.merges[drop]; ok || s.err != nil {
		return rec
	}
	recs, err := collect(s.ctx, s.tx, "MATCH (rd:"+labelRedirect+" {from: $id}) RETURN rd.record", map[string]any{"id": drop})
	if err != nil {
		s.fail(err)
		return nil
	}
	var out *graph.MergeRecord
	if len(recs) == 1 {
		raw, _ := recs[0].Values[0].(string)
		out = new(graph.MergeRecord)
		if err := json.Unmarshal([]byte(raw), out); err != nil {
			s.fail(errorf("merge record of %s: %v", drop, err))
			return nil
		}
	}
	s.merges[drop] = out
	return out
}

func (s *editSource) Prefetch(entities []string, rels []graph.Relation) {
	if len(entities) > 0 {
		s.fetchEntities(entities)
	}
	if len(rels) > 0 {
		s.fetchRelations(rels)
	}
}
