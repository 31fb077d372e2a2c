package memstore

import (
	"context"
	"encoding/json"
	"sort"

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

// plan is a write in preparation: the new versions of everything an Apply or
// Merge touches, built against the current state without changing it. A nil
// entity or relation means the object is removed.
type plan struct {
	st      *state
	ents    map[string]*graph.Entity
	docs    map[string]*graph.Document
	rels    map[string]*graph.Relation
	order   []ref // objects in the order first touched: the order of their changes
	touched map[ref]bool
	into    map[string]string // removed entity → the entity it was merged into
	merges  []*graph.MergeRecord
	raw     map[ref][]byte // the JSON of new versions, as canonical made it
}

func newPlan(st *state) *plan {
	return &plan{st: st, ents: map[string]*graph.Entity{}, docs: map[string]*graph.Document{},
		rels: map[string]*graph.Relation{}, touched: map[ref]bool{}, into: map[string]string{},
		raw: map[ref][]byte{}}
}

func (p *plan) touch(r ref) {
	if !p.touched[r] {
		p.touched[r] = true
		p.order = append(p.order, r)
	}
}

// entity returns the entity as the plan has it so far (nil if absent).
func (p *plan) entity(id string) *graph.Entity {
	if e, ok := p.ents[id]; ok {
		return e
	}
	return p.st.entities[id]
}

func (p *plan) relation(id string) *graph.Relation {
	if r, ok := p.rels[id]; ok {
		return r
	}
	return p.st.relations[id]
}

func (p *plan) document(id string) *graph.Document {
	if d, ok := p.docs[id]; ok {
		return d
	}
	return p.st.documents[id]
}

// canonical returns v as it will read back from the file, and its encoding,
// so that what memory compares is what a reopened store would compare (nil
// and empty lists, invalid UTF-8 and the like come out as the file has them).
func canonical[T any](v T) (T, []byte, error) {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		return out, nil, &graph.Error{Code: graph.Invalid, Message: "the batch holds a value that cannot be stored", Err: err}
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, nil, &graph.Error{Code: graph.Internal, Message: "a value does not read back as written", Err: err}
	}
	return out, b, nil
}

// loosely evens out the differences canonical would remove that upserts
// commonly leave (an empty list for a nil one), so that an unchanged object
// is recognised without the cost of a round trip through JSON.
func looselyEntity(e graph.Entity) graph.Entity {
	if len(e.Topics) == 0 {
		e.Topics = nil
	}
	if len(e.Mentions) == 0 {
		e.Mentions = nil
	}
	if len(e.MergedFrom) == 0 {
		e.MergedFrom = nil
	}
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	return e
}

func looselyRelation(r graph.Relation) graph.Relation {
	if r.Evidence == nil {
		r.Evidence = []graph.Evidence{}
	}
	r.Other = nil
	return r
}

// setEntity puts e in the plan under the object obj (a document's entity is
// part of the document). The stored version is kept when e equals it.
func (p *plan) setEntity(e graph.Entity, obj string) error {
	p.touch(ref{obj, e.ID})
	if cur := p.entity(e.ID); cur != nil && graph.EntityEqual(*cur, looselyEntity(e)) {
		p.ents[e.ID] = cur
		return nil
	}
	c, raw, err := canonical(e)
	if err != nil {
		return err
	}
	p.ents[e.ID], p.raw[ref{objEntity, e.ID}] = &c, raw
	return nil
}

func (p *plan) setRelation(r graph.Relation) error {
	p.touch(ref{objRelation, r.ID})
	if cur := p.relation(r.ID); cur != nil && graph.RelationEqual(*cur, looselyRelation(r)) {
		p.rels[r.ID] = cur
		return nil
	}
	c, raw, err := canonical(r)
	if err != nil {
		return err
	}
	p.rels[r.ID], p.raw[ref{objRelation, r.ID}] = &c, raw
	return nil
}

// upsertEntity folds an incoming entity into the plan. An id that was merged
// away lands on the entity it went into, as another name of it.
func (p *plan) upsertEntity(in graph.Entity) error {
	id := p.st.resolve(in.ID)
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
	d, raw, err := canonical(d)
	if err != nil {
		return err
	}
	p.docs[d.ID], p.raw[ref{objDocument, d.ID}] = &d, raw
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
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.isClosed() {
		return graph.ApplyResult{}, errClosed
	}
	// Only writers change st, and this one holds writeMu, so it may read st
	// without the read lock.
	st := s.st
	if err := b.Validate(st.knownKind); err != nil {
		return graph.ApplyResult{}, err
	}
	if err := b.CheckKinds(st.knownKind); err != nil {
		return graph.ApplyResult{}, err
	}
	p := newPlan(st)
	for _, d := range b.Documents {
		if err := p.upsertDocument(d); err != nil {
			return graph.ApplyResult{}, err
		}
	}
	for _, e := range b.Entities {
		if err := p.upsertEntity(e); err != nil {
			return graph.ApplyResult{}, err
		}
	}
	for i, r := range b.Relations {
		if i%1024 == 0 {
			if err := ctxErr(ctx); err != nil {
				return graph.ApplyResult{}, err
			}
		}
		r = graph.RehomeRelation(r, st.resolve)
		if r.From == r.To {
			continue // both ends were merged into one entity
		}
		if err := p.upsertRelation(r); err != nil {
			return graph.ApplyResult{}, err
		}
	}
	if err := ctxErr(ctx); err != nil {
		return graph.ApplyResult{}, err
	}
	return s.commit(p)
}

func (s *Store) isClosed() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.closed
}

// Merge implements graph.Store.
func (s *Store) Merge(ctx context.Context, keep, drop string) (graph.MergeRecord, error) {
	if err := checkID(keep, "keep"); err != nil {
		return graph.MergeRecord{}, err
	}
	if err := checkID(drop, "drop"); err != nil {
		return graph.MergeRecord{}, err
	}
	if err := ctxErr(ctx); err != nil {
		return graph.MergeRecord{}, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.isClosed() {
		return graph.MergeRecord{}, errClosed
	}
	st := s.st
	k, ok := st.entity(keep)
	if !ok {
		return graph.MergeRecord{}, notFound("entity", keep)
	}
	d, ok := st.entity(drop)
	if !ok {
		return graph.MergeRecord{}, notFound("entity", drop)
	}
	switch {
	case k.ID == d.ID:
		return graph.MergeRecord{}, graph.Errorf(graph.Invalid, "%s and %s are the same entity", keep, drop)
	case k.Kind != d.Kind:
		return graph.MergeRecord{}, graph.Errorf(graph.Invalid, "cannot merge a %s into a %s", d.Kind, k.Kind)
	case k.Kind == graph.KindDocument:
		return graph.MergeRecord{}, graph.Errorf(graph.Invalid, "documents cannot be merged")
	}
	p := newPlan(st)
	p.ents[d.ID] = nil
	p.into[d.ID] = k.ID
	p.touch(ref{objEntity, d.ID})
	if err := p.setEntity(graph.MergeEntity(*k, *d), objEntity); err != nil {
		return graph.MergeRecord{}, err
	}
	resolve := func(id string) string {
		if id == d.ID {
			return k.ID
		}
		return id
	}
	moved := append([]string{}, st.adj[d.ID]...) // sorted
	for _, id := range moved {
		p.rels[id] = nil
		p.touch(ref{objRelation, id})
	}
	for _, id := range moved {
		r := graph.RehomeRelation(*st.relations[id], resolve)
		if r.From == r.To {
			continue // a relation between the two: nothing left to join
		}
		if err := p.upsertRelation(r); err != nil {
			return graph.MergeRecord{}, err
		}
	}
	rec := &graph.MergeRecord{Keep: k.ID, Drop: d.ID, Dropped: cloneEntity(d), Relations: moved, At: s.now().UTC()}
	p.merges = append(p.merges, rec)
	if err := ctxErr(ctx); err != nil {
		return graph.MergeRecord{}, err
	}
	if _, err := s.commit(p); err != nil {
		return graph.MergeRecord{}, err
	}
	out := *rec
	out.Dropped = cloneEntity(&rec.Dropped)
	out.Relations = append([]string{}, rec.Relations...)
	return out, nil
}

// commit works out what the plan changes, writes exactly that and its change
// feed entries in one transaction, and only then swaps it into memory. A plan
// that changes nothing writes nothing.
func (s *Store) commit(p *plan) (graph.ApplyResult, error) {
	st := s.st
	var res graph.ApplyResult
	var writes []write
	var changes []graph.Change
	now := s.now().UTC()
	put := func(bucket []byte, id string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return &graph.Error{Code: graph.Internal, Message: "cannot encode an object", Err: err}
		}
		writes = append(writes, write{bucket: bucket, key: id, value: b})
		return nil
	}
	// putRaw writes the encoding canonical made, if it made one.
	putRaw := func(bucket []byte, r ref, v any) error {
		if b := p.raw[r]; b != nil {
			writes = append(writes, write{bucket: bucket, key: r.id, value: b})
			return nil
		}
		return put(bucket, r.id, v)
	}
	record := func(op graph.Op, r ref) {
		changes = append(changes, graph.Change{Op: op, Object: r.obj, ID: r.id, Into: p.into[r.id], At: now})
	}
	var live []ref // touched objects that changed
	for _, r := range p.order {
		var existed, changed, removed bool
		switch r.obj {
		case objEntity:
			old, e := st.entities[r.id], p.ents[r.id]
			existed, removed = old != nil, e == nil
			changed = removed || old == nil || !graph.EntityEqual(*old, *e)
			if changed && !removed {
				if err := putRaw(bucketEntities, ref{objEntity, r.id}, e); err != nil {
					return res, err
				}
			}
			if removed {
				writes = append(writes, write{bucket: bucketEntities, key: r.id})
			}
		case objDocument:
			oldD, d := st.documents[r.id], p.docs[r.id]
			oldE, e := st.entities[r.id], p.ents[r.id]
			existed = oldD != nil
			changed = oldD == nil || *oldD != *d || oldE == nil || !graph.EntityEqual(*oldE, *e)
			if changed {
				if err := putRaw(bucketDocuments, ref{objDocument, r.id}, d); err != nil {
					return res, err
				}
				if err := putRaw(bucketEntities, ref{objEntity, r.id}, e); err != nil {
					return res, err
				}
			}
		case objRelation:
			old, rel := st.relations[r.id], p.rels[r.id]
			existed, removed = old != nil, rel == nil
			changed = removed || old == nil || !graph.RelationEqual(*old, *rel)
			if changed && !removed {
				if err := putRaw(bucketRelations, ref{objRelation, r.id}, rel); err != nil {
					return res, err
				}
				res.Evidence += newEvidence(old, rel)
			}
			if removed {
				writes = append(writes, write{bucket: bucketRelations, key: r.id})
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
			continue
		}
		live = append(live, r)
	}
	for _, rec := range p.merges {
		if err := put(bucketMerges, rec.Drop, rec); err != nil {
			return res, err
		}
	}
	if len(changes) == 0 && len(p.merges) == 0 {
		return res, nil
	}
	seq := st.seq
	for i := range changes {
		seq++
		changes[i].Seq = seq
		if err := put(bucketChanges, string(seqKey(seq)), changes[i]); err != nil {
			return res, err
		}
	}
	if err := s.persist(writes); err != nil {
		return graph.ApplyResult{}, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	// Removals first, so a merge's moved relations leave the dropped
	// entity's lists before it goes.
	var added []*graph.Relation
	for _, r := range live {
		switch r.obj {
		case objRelation:
			if rel := p.rels[r.id]; rel == nil {
				st.deleteRelation(r.id)
			} else if st.relations[r.id] != nil {
				st.putRelation(rel, true)
			} else {
				added = append(added, rel)
			}
		case objDocument:
			st.documents[r.id] = p.docs[r.id]
			st.putEntity(p.ents[r.id])
		case objEntity:
			if e := p.ents[r.id]; e != nil {
				st.putEntity(e)
			}
		}
	}
	for _, r := range live {
		if r.obj == objEntity && p.ents[r.id] == nil {
			st.deleteEntity(r.id)
		}
	}
	st.addRelations(added)
	for _, rec := range p.merges {
		st.putMerge(rec)
	}
	st.seq = seq
	if s.db == nil {
		st.changes = append(st.changes, changes...)
	}
	return res, nil
}

// addRelations stores new relations, inserting each into its ends' sorted
// adjacency lists; an end that gains many at once is sorted once instead.
func (st *state) addRelations(rs []*graph.Relation) {
	gains := map[string]int{}
	for _, r := range rs {
		gains[r.From]++
		gains[r.To]++
	}
	resort := map[string]bool{}
	for _, r := range rs {
		bulk := gains[r.From] > 16 || gains[r.To] > 16
		st.putRelation(r, !bulk)
		if bulk {
			resort[r.From], resort[r.To] = true, true
		}
	}
	for id := range resort {
		sort.Strings(st.adj[id])
	}
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
