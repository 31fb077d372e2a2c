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
		src, err := readBatch(ctx, tx, b)
		if err != nil {
			return err
		}
		p := graph.NewPlan(src, false)
		if err := p.Apply(ctx, b); err != nil {
			return err
		}
		steps, changes, r := p.Diff(time.Now().UTC())
		res = r // also when nothing changes and commit rolls back
		return s.commitRefs(ctx, tx, p, steps, changes, bookkeeping{}, lk, src.refs, src.stored)
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
		src := newSource()
		if _, err := loadKinds(ctx, tx, []string{keep, drop}, src.redirect); err != nil {
			return err
		}
		if err := loadNodes(ctx, tx, []string{src.Resolve(keep), src.Resolve(drop)}, src); err != nil {
			return err
		}
		k, d := src.ents[src.Resolve(keep)], src.ents[src.Resolve(drop)]
		if err := graph.CheckMerge(keep, drop, k, d); err != nil {
			return err
		}
		moved, err := entityRelations(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		for _, r := range moved {
			src.rels[r.ID] = r
		}
		if err := loadRelations(ctx, tx, graph.MergedRelations(k.ID, d.ID, moved), src, false); err != nil {
			return err
		}
		p := graph.NewPlan(src, false)
		at := time.Now().UTC()
		r, err := p.MergeRecorded(k, d, moved, at)
		if err != nil {
			return err
		}
		steps, changes, _ := p.Diff(at)
		if err := s.commitRefs(ctx, tx, p, steps, changes, bookkeeping{merge: r}, lk, src.refs, src.stored); err != nil {
			return err
		}
		rec = *r
		return nil
	})
	if err != nil {
		return graph.MergeRecord{}, err
	}
	return rec, nil
}

// readBatch reads, once the batch is found valid against the stored
// kinds, what planning it needs of the stored graph: its documents and
// entities (where merges sent them) with their mentions in the documents
// the batch names them in, and its relations (once rehomed) with their
// evidence from the documents the batch cites.
func readBatch(ctx context.Context, tx neo4j.ManagedTransaction, b *graph.Batch) (*source, error) {
	src := newSource()
	kinds, nodes, err := loadBatch(ctx, tx, b, src)
	if err != nil {
		return nil, err
	}
	known := func(id string) (graph.Kind, bool) { k, ok := kinds[id]; return k, ok }
	if err := b.Validate(known); err != nil {
		return nil, err
	}
	if err := b.CheckKinds(known); err != nil {
		return nil, err
	}
	if err := src.addNodes(nodes); err != nil {
		return nil, err
	}
	if err := loadMentions(ctx, tx, b, src); err != nil {
		return nil, err
	}
	rels := make([]graph.Relation, 0, len(b.Relations))
	for _, r := range b.Relations {
		if r = graph.RehomeRelation(r, src.Resolve); r.From != r.To {
			rels = append(rels, r)
		}
	}
	return src, loadRelations(ctx, tx, rels, src, true)
}

// counter is the change counter as a writer found it, with the last
// audit record's number, kept on the same node.
type counter struct{ seq, audit int64 }

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
	if recs, err = collect(ctx, tx, "MATCH (m:"+labelMeta+" {name: 'changes'}) RETURN m.seq, coalesce(m.audit, 0)", nil); err != nil {
		return counter{}, err
	}
	if len(recs) != 1 {
		return counter{}, errorf("change counter: %d records", len(recs))
	}
	seq, _ := recs[0].Values[0].(int64)
	audit, _ := recs[0].Values[1].(int64)
	return counter{seq: seq, audit: audit}, nil
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

// loadBatch reads, in one statement, what a batch names: for every id
// (its documents, entities and relation ends) where merges sent it
// (filling src.redirect), the kind of the entity it now is and that node's
// element id (src.refs); for its documents and entities also the node, to
// be decoded by addNodes once the batch is found valid.
func loadBatch(ctx context.Context, tx neo4j.ManagedTransaction, b *graph.Batch, src *source) (map[string]graph.Kind, []neo4j.Node, error) {
	rows := make([]map[string]any, 0, len(b.Documents)+len(b.Entities)+2*len(b.Relations))
	seen := map[string]bool{}
	add := func(id string, full bool) {
		if !seen[id] {
			seen[id] = true
			rows = append(rows, map[string]any{"id": id, "full": full})
		}
	}
	for _, d := range b.Documents {
		add(d.ID, true)
	}
	for _, e := range b.Entities {
		add(e.ID, true)
	}
	for _, r := range b.Relations {
		add(r.From, false)
		add(r.To, false)
	}
	// One row per id: Redirect(from) is unique.
	recs, err := collect(ctx, tx, "UNWIND $rows AS row "+
		"OPTIONAL MATCH (rd:"+labelRedirect+" {from: row.id}) WITH row, coalesce(rd.to, row.id) AS rid "+
		"OPTIONAL MATCH (n:"+labelEntity+" {id: rid}) "+
		"RETURN row.id, rid, n.kind, elementId(n), CASE WHEN row.full THEN n END",
		map[string]any{"rows": rows})
	if err != nil {
		return nil, nil, err
	}
	kinds := make(map[string]graph.Kind, len(recs))
	var nodes []neo4j.Node
	for _, rec := range recs {
		id, _ := rec.Values[0].(string)
		rid, _ := rec.Values[1].(string)
		if rid != id {
			src.redirect[id] = rid
		}
		if k, ok := rec.Values[2].(string); ok {
			kinds[id] = graph.Kind(k)
		}
		if eid, ok := rec.Values[3].(string); ok {
			src.refs[rid] = eid
		}
		if n, ok := rec.Values[4].(neo4j.Node); ok {
			nodes = append(nodes, n)
		}
	}
	return kinds, nodes, nil
}

// loadNodes reads the entities (and documents) with the ids into src,
// with all their mentions.
func loadNodes(ctx context.Context, tx neo4j.ManagedTransaction, ids []string, src *source) error {
	recs, err := collect(ctx, tx, "UNWIND $ids AS id MATCH (n:"+labelEntity+" {id: id}) "+
		"RETURN n, COLLECT { MATCH (m:"+labelMentions+" {entity: n.id}) RETURN m.spans }",
		map[string]any{"ids": dedupe(ids)})
	if err != nil {
		return err
	}
	nodes := make([]neo4j.Node, 0, len(recs))
	for _, rec := range recs {
		n, ok := rec.Values[0].(neo4j.Node)
		if !ok {
			return errorf("expected a node, got %T", rec.Values[0])
		}
		nodes = append(nodes, n)
	}
	if err := src.addNodes(nodes); err != nil {
		return err
	}
	for i, rec := range recs {
		id, _ := nodes[i].Props["id"].(string)
		if err := src.addMentions(id, rec.Values[1]); err != nil {
			return err
		}
	}
	return nil
}

// addNodes decodes entity (and document) nodes into s.
func (s *source) addNodes(nodes []neo4j.Node) error {
	for _, n := range nodes {
		e, err := decodeEntity(n.Props)
		if err != nil {
			return err
		}
		if e, _, err = graph.Canonical(e); err != nil {
			return err
		}
		s.ents[e.ID] = &e
		s.refs[e.ID] = n.ElementId
		if e.Kind == graph.KindDocument {
			d, err := decodeDocument(n.Props)
			if err != nil {
				return err
			}
			s.docs[d.ID] = &d
		}
	}
	return nil
}

// loadRelations reads the stored versions of rels, by type so that each
// lookup is a seek in that type's id index. With partial, as for Apply, a
// relation comes with only the evidence of the documents its version in
// rels cites, derived (graph.Derive) from that alone, and its stored tally
// goes to src.stored for the write to derive the whole from; else with all
// of it.
func loadRelations(ctx context.Context, tx neo4j.ManagedTransaction, rels []graph.Relation, src *source, partial bool) error {
	byType := map[graph.RelType][]map[string]any{}
	docs := map[string][]string{} // a relation may come more than once, citing other documents
	for _, r := range rels {
		if _, ok := src.rels[r.ID]; ok {
			continue
		}
		if _, ok := docs[r.ID]; !ok {
			byType[r.Type] = append(byType[r.Type], map[string]any{"id": r.ID})
			docs[r.ID] = []string{}
		}
		for _, e := range r.Evidence {
			docs[r.ID] = append(docs[r.ID], e.Document)
		}
	}
	if partial {
		for _, rows := range byType {
			for _, row := range rows {
				row["docs"] = dedupe(docs[row["id"].(string)])
			}
		}
	}
	evidence := evidenceOf("r")
	if partial {
		evidence = "COLLECT { UNWIND row.docs AS doc MATCH (ev:" + labelEvidence + " {relation: row.id, document: doc}) RETURN ev.items }"
	}
	for _, t := range graph.RelTypes {
		if len(byType[t]) == 0 {
			continue
		}
		typ := relTypes([]graph.RelType{t})
		recs, err := collect(ctx, tx, "UNWIND $rows AS row MATCH (a)-[r:"+typ+" {id: row.id}]->(b) "+relIndex(typ)+
			" RETURN r, a.id, b.id, "+evidence, map[string]any{"rows": byType[t]})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2], rec.Values[3])
			if err != nil {
				return err
			}
			rel := rec.Values[0].(neo4j.Relationship) // decodeRelation checked
			if partial {
				stored, err := decodeTally(rel.Props)
				if err != nil {
					return err
				}
				src.stored[r.ID] = stored
				r = graph.Derive(r)
			}
			if r, _, err = graph.Canonical(r); err != nil {
				return err
			}
			src.rels[r.ID] = &r
			src.refs[r.From], src.refs[r.To] = rel.StartElementId, rel.EndElementId
		}
	}
	return nil
}

// entityRelations reads every relation at an entity, in id order.
func entityRelations(ctx context.Context, tx neo4j.ManagedTransaction, id string) ([]*graph.Relation, error) {
	recs, err := collect(ctx, tx, "MATCH (:"+labelEntity+" {id: $id})-[r:"+allTypes+"]-() "+
		"RETURN r, startNode(r).id, endNode(r).id, "+evidenceOf("r")+" ORDER BY r.id", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Relation, 0, len(recs))
	for _, rec := range recs {
		r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2], rec.Values[3])
		if err != nil {
			return nil, err
		}
		if r, _, err = graph.Canonical(r); err != nil {
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
