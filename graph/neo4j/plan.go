package neo4jstore

import (
	"context"
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
