package neo4jstore

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// Objects named in the change feed. Exposed to clients: do not rename.
const (
	objEntity   = "entity"
	objDocument = "document"
	objRelation = "relation"
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

// ref names one object a plan touches.
type ref struct{ obj, id string }

// plan is a write in preparation: what the store held (old*) and the new
// versions of everything an Apply or Merge touches. A nil new entity or
// relation means the object is removed. It mirrors memstore's plan, so the
// two count, record and skip alike.
type plan struct {
	redirect map[string]string // merged-away id → the entity it now is
	oldEnts  map[string]*graph.Entity
	oldDocs  map[string]*graph.Document
	oldRels  map[string]*graph.Relation
	ents     map[string]*graph.Entity
	docs     map[string]*graph.Document
	rels     map[string]*graph.Relation
	order    []ref // objects in the order first touched: the order of their changes
	touched  map[ref]bool
	into     map[string]string // removed entity → the entity it was merged into
	merge    *graph.MergeRecord
}

func newPlan() *plan {
	return &plan{redirect: map[string]string{}, oldEnts: map[string]*graph.Entity{}, oldDocs: map[string]*graph.Document{},
		oldRels: map[string]*graph.Relation{}, ents: map[string]*graph.Entity{}, docs: map[string]*graph.Document{},
		rels: map[string]*graph.Relation{}, touched: map[ref]bool{}, into: map[string]string{}}
}

func (p *plan) resolve(id string) string {
	if to, ok := p.redirect[id]; ok {
		return to
	}
	return id
}

func (p *plan) touch(r ref) {
	if !p.touched[r] {
		p.touched[r] = true
		p.order = append(p.order, r)
	}
}

func (p *plan) entity(id string) *graph.Entity {
	if e, ok := p.ents[id]; ok {
		return e
	}
	return p.oldEnts[id]
}

func (p *plan) relation(id string) *graph.Relation {
	if r, ok := p.rels[id]; ok {
		return r
	}
	return p.oldRels[id]
}

func (p *plan) document(id string) *graph.Document {
	if d, ok := p.docs[id]; ok {
		return d
	}
	return p.oldDocs[id]
}

// setEntity puts e in the plan under the object obj (a document's entity is
// part of the document). The stored version is kept when e equals it.
func (p *plan) setEntity(e graph.Entity, obj string) error {
	p.touch(ref{obj, e.ID})
	c, err := canonical(e)
	if err != nil {
		return err
	}
	if cur := p.entity(e.ID); cur != nil && graph.EntityEqual(*cur, c) {
		p.ents[e.ID] = cur
		return nil
	}
	p.ents[e.ID] = &c
	return nil
}

func (p *plan) setRelation(r graph.Relation) error {
	p.touch(ref{objRelation, r.ID})
	c, err := canonical(r)
	if err != nil {
		return err
	}
	if cur := p.relation(r.ID); cur != nil && graph.RelationEqual(*cur, c) {
		p.rels[r.ID] = cur
		return nil
	}
	p.rels[r.ID] = &c
	return nil
}

// upsertEntity folds an incoming entity into the plan. An id that was merged
// away lands on the entity it went into, as another name of it.
func (p *plan) upsertEntity(in graph.Entity) error {
	id := p.resolve(in.ID)
	cur := p.entity(id)
	var next graph.Entity
	switch {
	case id != in.ID && cur != nil:
		next = graph.MergeEntity(*cur, in)
	case cur == nil:
		next = graph.UpsertEntity(graph.Entity{ID: in.ID, Kind: in.Kind}, in)
	default:
		next = graph.UpsertEntity(*cur, in)
	}
	return p.setEntity(next, objEntity)
}

// upsertRelation folds an incoming relation, whose ends are already
// resolved, into the plan.
func (p *plan) upsertRelation(in graph.Relation) error {
	base := graph.Relation{ID: in.ID, Type: in.Type, From: in.From, To: in.To, Role: in.Role}
	if cur := p.relation(in.ID); cur != nil {
		base = *cur
	}
	return p.setRelation(graph.UpsertRelation(base, in))
}

func (p *plan) upsertDocument(in graph.Document) error {
	var d graph.Document
	if cur := p.document(in.ID); cur != nil {
		d = graph.UpsertDocument(*cur, in)
	} else {
		d = graph.UpsertDocument(graph.Document{}, in)
	}
	d, err := canonical(d)
	if err != nil {
		return err
	}
	p.docs[d.ID] = &d
	base := graph.Entity{ID: d.ID, Kind: graph.KindDocument}
	if cur := p.entity(d.ID); cur != nil {
		base = *cur
	}
	return p.setEntity(graph.UpsertEntity(base, graph.DocumentEntity(&d)), objDocument)
}

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

// nodeWrite is an entity node to create or update; doc is set for a
// document's node, whose properties hold both.
type nodeWrite struct {
	e, old *graph.Entity
	doc    *graph.Document
}

// commit works out what the plan changes, counts it as memstore does, and
// writes exactly that with its change feed entries. A plan that changes
// nothing returns errRollback, so the transaction ends without a commit.
func (s *Store) commit(ctx context.Context, tx neo4j.ManagedTransaction, p *plan, lk counter) (graph.ApplyResult, error) {
	var res graph.ApplyResult
	now := time.Now().UTC()
	var changes []graph.Change
	var creates, updates []nodeWrite
	var deletes []*graph.Entity
	var relCreates, relUpdates, relDeletes []*graph.Relation
	evidence := 0 // the change in the number of pieces of evidence stored
	record := func(op graph.Op, r ref) {
		changes = append(changes, graph.Change{Op: op, Object: r.obj, ID: r.id, Into: p.into[r.id], At: now})
	}
	for _, r := range p.order {
		var existed, changed, removed bool
		switch r.obj {
		case objEntity:
			old, e := p.oldEnts[r.id], p.ents[r.id]
			existed, removed = old != nil, e == nil
			changed = removed || old == nil || !graph.EntityEqual(*old, *e)
			switch {
			case removed && existed:
				deletes = append(deletes, old)
			case changed && old == nil:
				creates = append(creates, nodeWrite{e: e})
			case changed && !removed:
				updates = append(updates, nodeWrite{e: e, old: old, doc: p.document(r.id)})
			}
		case objDocument:
			oldD, d := p.oldDocs[r.id], p.docs[r.id]
			oldE, e := p.oldEnts[r.id], p.ents[r.id]
			existed = oldD != nil
			changed = oldD == nil || *oldD != *d || oldE == nil || !graph.EntityEqual(*oldE, *e)
			switch {
			case changed && oldE == nil:
				creates = append(creates, nodeWrite{e: e, doc: d})
			case changed:
				updates = append(updates, nodeWrite{e: e, old: oldE, doc: d})
			}
		case objRelation:
			old, rel := p.oldRels[r.id], p.rels[r.id]
			existed, removed = old != nil, rel == nil
			changed = removed || old == nil || !graph.RelationEqual(*old, *rel)
			switch {
			case removed && existed:
				relDeletes = append(relDeletes, old)
				evidence -= len(old.Evidence)
			case changed && old == nil:
				relCreates = append(relCreates, rel)
				res.Evidence += len(rel.Evidence)
				evidence += len(rel.Evidence)
			case changed && !removed:
				relUpdates = append(relUpdates, rel)
				res.Evidence += newEvidence(old, rel)
				evidence += len(rel.Evidence) - len(old.Evidence)
			}
		}
		switch {
		case removed && !existed:
			continue
		case removed && p.into[r.id] != "":
			record(graph.Merged, r)
		case removed:
			record(graph.Deleted, r)
		case !existed:
			record(graph.Created, r)
			res.Created++
		case changed:
			record(graph.Updated, r)
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	if len(changes) == 0 && p.merge == nil {
		return res, errRollback
	}
	if err := ctxErr(ctx); err != nil {
		return graph.ApplyResult{}, err
	}
	seq := lk.seq
	for i := range changes {
		seq++
		changes[i].Seq = uint64(seq)
	}
	w := &writer{s: s, ctx: ctx, tx: tx}
	w.nodes(creates, updates)
	w.relations(relDeletes, nil, nil)
	w.deleteNodes(deletes)
	w.relations(nil, relCreates, relUpdates)
	if p.merge != nil {
		w.redirect(p.merge)
	}
	w.changes(changes, seq, evidence)
	return res, w.err
}

// newEvidence counts the evidence of next that old did not have.
func newEvidence(old, next *graph.Relation) int {
	if old == nil {
		return len(next.Evidence)
	}
	had := make(map[string]bool, len(old.Evidence))
	for _, e := range old.Evidence {
		had[e.ID] = true
	}
	n := 0
	for _, e := range next.Evidence {
		if !had[e.ID] {
			n++
		}
	}
	return n
}

// writer runs a commit's statements, stopping at the first error.
type writer struct {
	s   *Store
	ctx context.Context
	tx  neo4j.ManagedTransaction
	err error
}

func (w *writer) unwind(cypher string, rows []map[string]any) {
	if w.err == nil && len(rows) > 0 {
		w.err = w.s.unwind(w.ctx, w.tx, cypher, rows)
	}
}

func (w *writer) exec(cypher string, params map[string]any) {
	if w.err == nil {
		w.err = exec(w.ctx, w.tx, cypher, params)
	}
}

// nodes creates and updates entity nodes and keeps their search keys in
// step: only keys that came or went are touched, so that writers rarely
// contend on the shared key nodes.
func (w *writer) nodes(creates, updates []nodeWrite) {
	byKind := map[graph.Kind][]map[string]any{}
	var addKeys, delKeys []map[string]any
	var gone []string
	for _, n := range creates {
		p, err := nodeProps(n.e, n.doc)
		if err != nil {
			w.err = err
			return
		}
		byKind[n.e.Kind] = append(byKind[n.e.Kind], map[string]any{"props": map[string]any(p)})
		if keys := graph.EntityIndexKeys(n.e); len(keys) > 0 {
			addKeys = append(addKeys, map[string]any{"id": n.e.ID, "keys": keys})
		}
	}
	var rows []map[string]any
	for _, n := range updates {
		p, err := nodeProps(n.e, n.doc)
		if err != nil {
			w.err = err
			return
		}
		rows = append(rows, map[string]any{"id": n.e.ID, "props": map[string]any(p)})
		if slices.Equal(n.old.Names(), n.e.Names()) {
			continue
		}
		oldKeys, newKeys := graph.EntityIndexKeys(n.old), graph.EntityIndexKeys(n.e)
		if add := minus(newKeys, oldKeys); len(add) > 0 {
			addKeys = append(addKeys, map[string]any{"id": n.e.ID, "keys": add})
		}
		if del := minus(oldKeys, newKeys); len(del) > 0 {
			delKeys = append(delKeys, map[string]any{"id": n.e.ID, "keys": del})
			gone = append(gone, del...)
		}
	}
	for _, k := range graph.Kinds {
		w.unwind("UNWIND $rows AS row CREATE (n:"+labelEntity+":"+kindLabel(k)+") SET n = row.props", byKind[k])
	}
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) SET n = row.props", rows)
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) UNWIND row.keys AS k "+
		"MATCH (:"+labelNameKey+" {key: k})-[l:"+relNames+"]->(n) DELETE l", delKeys)
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) UNWIND row.keys AS k "+
		"MERGE (nk:"+labelNameKey+" {key: k}) CREATE (nk)-[:"+relNames+"]->(n)", addKeys)
	w.dropOrphanKeys(gone)
}

// dropOrphanKeys deletes the key nodes among keys that name nothing now.
func (w *writer) dropOrphanKeys(keys []string) {
	if len(keys) == 0 {
		return
	}
	rows := make([]map[string]any, 0, len(keys))
	for _, k := range dedupe(keys) {
		rows = append(rows, map[string]any{"key": k})
	}
	w.unwind("UNWIND $rows AS row MATCH (nk:"+labelNameKey+" {key: row.key}) "+
		"WHERE NOT (nk)-[:"+relNames+"]->() DELETE nk", rows)
}

// deleteNodes removes merged-away entities with their search links.
func (w *writer) deleteNodes(es []*graph.Entity) {
	var rows []map[string]any
	var keys []string
	for _, e := range es {
		rows = append(rows, map[string]any{"id": e.ID})
		keys = append(keys, graph.EntityIndexKeys(e)...)
	}
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) DETACH DELETE n", rows)
	w.dropOrphanKeys(keys)
}

// relations deletes, creates and updates relationships, one statement per
// relation type: Cypher takes the type only as a literal.
func (w *writer) relations(deletes, creates, updates []*graph.Relation) {
	for _, t := range graph.RelTypes {
		typ := relTypes([]graph.RelType{t})
		var del, cre, upd []map[string]any
		for _, r := range deletes {
			if r.Type == t {
				del = append(del, map[string]any{"id": r.ID})
			}
		}
		for _, group := range []struct {
			rels []*graph.Relation
			rows *[]map[string]any
		}{{creates, &cre}, {updates, &upd}} {
			for _, r := range group.rels {
				if r.Type != t {
					continue
				}
				p, err := relProps(r)
				if err != nil {
					w.err = err
					return
				}
				*group.rows = append(*group.rows, map[string]any{"id": r.ID, "from": r.From, "to": r.To, "props": map[string]any(p)})
			}
		}
		w.unwind("UNWIND $rows AS row MATCH ()-[r:"+typ+" {id: row.id}]->() DELETE r", del)
		w.unwind("UNWIND $rows AS row MATCH (a:"+labelEntity+" {id: row.from}) MATCH (b:"+labelEntity+" {id: row.to}) "+
			"CREATE (a)-[r:"+typ+"]->(b) SET r = row.props", cre)
		w.unwind("UNWIND $rows AS row MATCH ()-[r:"+typ+" {id: row.id}]->() SET r = row.props", upd)
	}
}

// redirect records a merge: the dropped id, and every id that led to it,
// now lead to the kept entity in one step.
func (w *writer) redirect(rec *graph.MergeRecord) {
	b, err := json.Marshal(rec)
	if err != nil {
		w.err = &graph.Error{Code: graph.Internal, Message: "cannot encode the merge record", Err: err}
		return
	}
	params := map[string]any{"drop": rec.Drop, "keep": rec.Keep, "at": rec.At, "record": string(b)}
	w.exec("MATCH (rd:"+labelRedirect+" {to: $drop}) SET rd.to = $keep", params)
	w.exec("CREATE (:"+labelRedirect+" {from: $drop, to: $keep, at: $at, record: $record})", params)
}

// changes appends the change feed entries and moves the counter on.
func (w *writer) changes(cs []graph.Change, seq int64, evidence int) {
	rows := make([]map[string]any, len(cs))
	for i, c := range cs {
		rows[i] = map[string]any{"props": map[string]any(changeProps(c))}
	}
	w.unwind("UNWIND $rows AS row CREATE (c:"+labelChange+") SET c = row.props", rows)
	w.exec("MATCH (m:"+labelMeta+" {name: 'changes'}) SET m.seq = $seq, m.evidence = m.evidence + $evidence",
		map[string]any{"seq": seq, "evidence": int64(evidence)})
}

// minus returns the elements of a not in b.
func minus(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}
