package memstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/polgraph/polgraph/graph"
)

// source is the state as a graph.Plan reads it.
type source struct{ st *state }

func (s source) Entity(id string) *graph.Entity     { return s.st.entities[id] }
func (s source) Document(id string) *graph.Document { return s.st.documents[id] }
func (s source) Relation(id string) *graph.Relation { return s.st.relations[id] }
func (s source) Resolve(id string) string           { return s.st.resolve(id) }

// Relations, MergeRecord and Prefetch make source a graph.EditSource.
func (s source) Relations(id string) []*graph.Relation {
	out := make([]*graph.Relation, len(s.st.adj[id]))
	for i, e := range s.st.adj[id] { // sorted
		out[i] = e.rel
	}
	return out
}
func (s source) MergeRecord(drop string) *graph.MergeRecord { return s.st.merges[drop] }
func (s source) Prefetch([]string, []graph.Relation)        {}

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
	steps, changes, res := p.Diff(s.now().UTC())
	if err := s.commit(p, steps, changes, bookkeeping{}); err != nil {
		return graph.ApplyResult{}, err
	}
	return res, nil
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
	p := graph.NewPlan(source{st}, true)
	at := s.now().UTC()
	rec, err := p.MergeRecorded(k, d, source{st}.Relations(d.ID), at)
	if err != nil {
		return graph.MergeRecord{}, err
	}
	if err := ctxErr(ctx); err != nil {
		return graph.MergeRecord{}, err
	}
	steps, changes, _ := p.Diff(at)
	if err := s.commit(p, steps, changes, bookkeeping{merge: rec}); err != nil {
		return graph.MergeRecord{}, err
	}
	out, _, err := graph.Canonical(*rec) // a copy: callers get no memory of the store's
	return out, err
}

// bookkeeping is what a write records beside the objects it changes.
type bookkeeping struct {
	merge   *graph.MergeRecord // a merge made: its record and redirect
	unmerge *graph.MergeRecord // a merge undone: its record and redirect go
	forget  []string           // ids merged into an entity deleted: their records and redirects go
	audit   *graph.AuditRecord // an analyst's edit; commit numbers it
}

// commit writes exactly what the plan changes (steps, with their change
// feed entries, from its Diff) and the bookkeeping in one transaction, and
// only then swaps it into memory. A plan that changes nothing and has no
// bookkeeping writes nothing.
func (s *Store) commit(p *graph.Plan, steps []graph.Step, changes []graph.Change, bk bookkeeping) error {
	st := s.st
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
	// putEntity writes an entity's record and the changes to its mentions
	// (mentions.go); nil deletes both.
	putEntity := func(id string, e *graph.Entity) error {
		var before, after []graph.Mention
		if old := st.entities[id]; old != nil {
			before = old.Mentions
		}
		if e == nil {
			writes = append(writes, write{bucket: bucketEntities, key: id})
		} else {
			rec, err := entityRecord(e)
			if err != nil {
				return &graph.Error{Code: graph.Internal, Message: "cannot encode an entity", Err: err}
			}
			writes = append(writes, write{bucket: bucketEntities, key: id, value: rec})
			after = e.Mentions
		}
		writes = append(writes, mentionWrites(id, before, after)...)
		return nil
	}
	var rels []byte    // the relations appendRelation encodes
	var relAt [][3]int // for each, its write and where it is in rels
	for _, c := range steps {
		var err error
		switch c.Object {
		case graph.ObjectEntity:
			err = putEntity(c.ID, c.Entity)
		case graph.ObjectDocument:
			if err = putRaw(bucketDocuments, graph.Ref{Object: graph.ObjectDocument, ID: c.ID}, c.Document); err == nil {
				err = putEntity(c.ID, c.Entity)
			}
		case graph.ObjectRelation:
			ref := graph.Ref{Object: graph.ObjectRelation, ID: c.ID}
			start := len(rels)
			var ok bool
			switch {
			case c.Relation == nil:
				writes = append(writes, write{bucket: bucketRelations, key: c.ID})
			case p.JSON(ref) != nil:
				err = putRaw(bucketRelations, ref, c.Relation)
			default:
				// Most relations: the plan made no JSON. They share one
				// buffer.
				if rels, ok = appendRelation(rels, c.Relation); !ok {
					err = putRaw(bucketRelations, ref, c.Relation)
					break
				}
				relAt = append(relAt, [3]int{len(writes), start, len(rels)})
				writes = append(writes, write{bucket: bucketRelations, key: c.ID})
			}
		}
		if err != nil {
			return err
		}
	}
	for _, at := range relAt {
		writes[at[0]].value = rels[at[1]:at[2]:at[2]]
	}
	if bk.merge != nil {
		if err := put(bucketMerges, bk.merge.Drop, bk.merge); err != nil {
			return err
		}
	}
	if bk.unmerge != nil {
		writes = append(writes, write{bucket: bucketMerges, key: bk.unmerge.Drop})
	}
	for _, id := range bk.forget {
		writes = append(writes, write{bucket: bucketMerges, key: id})
	}
	var audit graph.AuditRecord
	if bk.audit != nil {
		bk.audit.Seq = st.auditSeq + 1
		var raw []byte
		var err error
		if audit, raw, err = graph.Canonical(*bk.audit); err != nil {
			return err
		}
		writes = append(writes, write{bucket: bucketAudit, key: string(seqKey(audit.Seq)), value: raw})
	}
	if len(changes) == 0 && bk.merge == nil && bk.unmerge == nil && bk.audit == nil {
		return nil
	}
	seq := st.seq
	// The change feed's entries share one buffer: a large batch has one
	// entry per object.
	var feed []byte
	ends := make([]int, len(changes))
	for i := range changes {
		seq++
		changes[i].Seq = seq
		var err error
		if feed, err = appendChange(feed, &changes[i]); err != nil {
			return err
		}
		ends[i] = len(feed)
	}
	start := 0
	for i := range changes {
		writes = append(writes, write{bucket: bucketChanges, key: string(seqKey(changes[i].Seq)), value: feed[start:ends[i]:ends[i]]})
		start = ends[i]
	}
	if err := s.persist(writes); err != nil {
		return err
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
	if bk.merge != nil {
		st.putMerge(bk.merge)
	}
	if bk.unmerge != nil {
		// Ids merged into the drop still lead to it: redirects here
		// form chains, which resolve follows.
		delete(st.merges, bk.unmerge.Drop)
		delete(st.redirect, bk.unmerge.Drop)
	}
	for _, id := range bk.forget {
		delete(st.merges, id)
		delete(st.redirect, id)
	}
	if bk.audit != nil {
		st.audit = append(st.audit, audit)
		st.auditSeq = audit.Seq
	}
	st.seq = seq
	if s.db == nil {
		st.changes = append(st.changes, changes...)
	}
	return nil
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
		slices.SortFunc(st.adj[id], edgeOrder)
	}
}

// appendChange appends the JSON encoding of c to b: what json.Marshal
// gives, written directly when every string of c is plain ASCII (ids, and
// the names of operations and objects, always are) and its time is one
// time.Time.MarshalJSON accepts. Marshalling a Change by reflection was a tenth of the
// time a large Apply took.
func appendChange(b []byte, c *graph.Change) ([]byte, error) {
	_, off := c.At.Zone()
	if y := c.At.Year(); y < 0 || y > 9999 || off <= -24*3600 || off >= 24*3600 || !plainJSON(string(c.Op)) || !plainJSON(c.Object) ||
		!plainJSON(c.ID) || !plainJSON(c.Into) {
		v, err := json.Marshal(c)
		if err != nil {
			return b, &graph.Error{Code: graph.Internal, Message: "cannot encode an object", Err: err}
		}
		return append(b, v...), nil
	}
	b = strconv.AppendUint(append(b, `{"seq":`...), c.Seq, 10)
	b = append(append(append(b, `,"op":"`...), c.Op...), '"')
	b = append(append(append(b, `,"object":"`...), c.Object...), '"')
	b = append(append(append(b, `,"id":"`...), c.ID...), '"')
	if c.Into != "" {
		b = append(append(append(b, `,"into":"`...), c.Into...), '"')
	}
	b = c.At.AppendFormat(append(b, `,"at":"`...), time.RFC3339Nano)
	return append(b, `"}`...), nil
}

// plainJSON reports whether s is written in JSON as it is: printable
// ASCII with nothing encoding/json escapes.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
