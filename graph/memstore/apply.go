package memstore

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/polgraph/polgraph/graph"
)

// source is the state as a graph.Plan reads it.
type source struct{ st *state }

func (s source) Entity(id string) *graph.Entity     { return s.st.entities[id] }
func (s source) Document(id string) *graph.Document { return s.st.documents[id] }
func (s source) Relation(id string) *graph.Relation { return s.st.relations[id] }
func (s source) Resolve(id string) string           { return s.st.resolve(id) }

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
	p := graph.NewPlan(source{st}, true)
	if err := p.Apply(ctx, b); err != nil {
		return graph.ApplyResult{}, err
	}
	return s.commit(p, nil)
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
	k, _ := st.entity(keep)
	d, _ := st.entity(drop)
	if err := graph.CheckMerge(keep, drop, k, d); err != nil {
		return graph.MergeRecord{}, err
	}
	moved := make([]*graph.Relation, len(st.adj[d.ID]))
	movedIDs := make([]string, len(moved))
	for i, id := range st.adj[d.ID] { // sorted
		moved[i], movedIDs[i] = st.relations[id], id
	}
	p := graph.NewPlan(source{st}, true)
	if err := p.Merge(k, d, moved); err != nil {
		return graph.MergeRecord{}, err
	}
	rec := &graph.MergeRecord{Keep: k.ID, Drop: d.ID, Dropped: cloneEntity(d), Relations: movedIDs, At: s.now().UTC()}
	if err := ctxErr(ctx); err != nil {
		return graph.MergeRecord{}, err
	}
	if _, err := s.commit(p, rec); err != nil {
		return graph.MergeRecord{}, err
	}
	out := *rec
	out.Dropped = cloneEntity(&rec.Dropped)
	out.Relations = append([]string{}, rec.Relations...)
	return out, nil
}

// commit writes exactly what the plan changes, with its change feed
// entries and the merge record (if any), in one transaction, and only then
// swaps it into memory. A plan that changes nothing writes nothing.
func (s *Store) commit(p *graph.Plan, merge *graph.MergeRecord) (graph.ApplyResult, error) {
	st := s.st
	steps, changes, res := p.Diff(s.now().UTC())
	var writes []write
	put := func(bucket []byte, id string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return &graph.Error{Code: graph.Internal, Message: "cannot encode an object", Err: err}
		}
		writes = append(writes, write{bucket: bucket, key: id, value: b})
		return nil
	}
	// putRaw writes the encoding graph.Canonical made, if the plan kept one.
	putRaw := func(bucket []byte, r graph.Ref, v any) error {
		if b := p.JSON(r); b != nil {
			writes = append(writes, write{bucket: bucket, key: r.ID, value: b})
			return nil
		}
		return put(bucket, r.ID, v)
	}
	for _, c := range steps {
		var err error
		switch c.Object {
		case graph.ObjectEntity:
			if c.Entity == nil {
				writes = append(writes, write{bucket: bucketEntities, key: c.ID})
			} else {
				err = putRaw(bucketEntities, graph.Ref{Object: graph.ObjectEntity, ID: c.ID}, c.Entity)
			}
		case graph.ObjectDocument:
			if err = putRaw(bucketDocuments, graph.Ref{Object: graph.ObjectDocument, ID: c.ID}, c.Document); err == nil {
				err = putRaw(bucketEntities, graph.Ref{Object: graph.ObjectEntity, ID: c.ID}, c.Entity)
			}
		case graph.ObjectRelation:
			if c.Relation == nil {
				writes = append(writes, write{bucket: bucketRelations, key: c.ID})
			} else {
				err = putRaw(bucketRelations, graph.Ref{Object: graph.ObjectRelation, ID: c.ID}, c.Relation)
			}
		}
		if err != nil {
			return res, err
		}
	}
	if merge != nil {
		if err := put(bucketMerges, merge.Drop, merge); err != nil {
			return res, err
		}
	}
	if len(changes) == 0 && merge == nil {
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
	for _, c := range steps {
		switch c.Object {
		case graph.ObjectRelation:
			if c.Relation == nil {
				st.deleteRelation(c.ID)
			} else if c.OldRelation != nil {
				st.putRelation(c.Relation, true)
			} else {
				added = append(added, c.Relation)
			}
		case graph.ObjectDocument:
			st.documents[c.ID] = c.Document
			st.putEntity(c.Entity)
		case graph.ObjectEntity:
			if c.Entity != nil {
				st.putEntity(c.Entity)
			}
		}
	}
	for _, c := range steps {
		if c.Object == graph.ObjectEntity && c.Entity == nil {
			st.deleteEntity(c.ID)
		}
	}
	st.addRelations(added)
	if merge != nil {
		st.putMerge(merge)
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
