package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// source is what a write read of the stored graph, in canonical form: the
// graph.PlanSource of its plan. A write reads everything its batch touches
// inside its transaction before planning, so lookups never go to the
// database; an object it did not read does not exist.
type source struct {
	redirect map[string]string // merged-away id → the entity it now is
	ents     map[string]*graph.Entity
	docs     map[string]*graph.Document
	rels     map[string]*graph.Relation
	refs     refs // the element ids of the nodes read, for the writes
	// stored holds the tallies of the relations read with only some of
	// their evidence (loadRelations); the others were read whole.
	stored map[string]tally
}

func newSource() *source {
	return &source{redirect: map[string]string{}, ents: map[string]*graph.Entity{},
		docs: map[string]*graph.Document{}, rels: map[string]*graph.Relation{}, refs: refs{}, stored: map[string]tally{}}
}

// refs maps entity ids to the element ids of their nodes. A write
// addresses the nodes it links by element id: a seek by element id is a
// direct read of the node, where a seek by id searches the id index (and,
// in a statement that writes, locks the entry). Element ids may change
// between transactions, so refs are only kept within one; within it
// they hold, as only the writer deletes nodes and it holds the writers'
// lock.
type refs map[string]string

func (s *source) Entity(id string) *graph.Entity     { return s.ents[id] }
func (s *source) Document(id string) *graph.Document { return s.docs[id] }
func (s *source) Relation(id string) *graph.Relation { return s.rels[id] }

func (s *source) Resolve(id string) string {
	if to, ok := s.redirect[id]; ok {
		return to
	}
	return id
}

// nodeWrite is an entity node to create or update; doc is set for a
// document's node, whose properties hold both.
type nodeWrite struct {
	e, old *graph.Entity
	doc    *graph.Document
}

// bookkeeping is what a write records beside the objects it changes.
type bookkeeping struct {
	merge   *graph.MergeRecord // a merge made: its redirect, holding the record
	unmerge *graph.MergeRecord // a merge undone: its redirect goes, redirects into the drop come back
	forget  string             // an entity deleted: the redirects to it go, with their records
	audit   *graph.AuditRecord // an analyst's edit, numbered
}

// commit writes exactly what the plan changes (steps, with their change
// feed entries, from its Diff) and the bookkeeping. A plan that changes
// nothing and has no bookkeeping returns errRollback, so the transaction
// ends without a commit. The plan's source read every list whole.
func (s *Store) commit(ctx context.Context, tx neo4j.ManagedTransaction, p *graph.Plan, steps []graph.Step, changes []graph.Change, bk bookkeeping, lk counter) error {
	return s.commitRefs(ctx, tx, p, steps, changes, bk, lk, refs{}, nil)
}

// relWrite is a relation to update: old is the version the plan read.
type relWrite struct{ old, rel *graph.Relation }

// commitRefs is commit given the element ids of nodes the transaction has
// read, and the stored tallies of the relations it read only some
// evidence of (source.stored); it looks up the element ids of the other
// nodes it links.
func (s *Store) commitRefs(ctx context.Context, tx neo4j.ManagedTransaction, p *graph.Plan, steps []graph.Step, changes []graph.Change, bk bookkeeping, lk counter, known refs, stored map[string]tally) error {
	var creates, updates []nodeWrite
	var deletes []*graph.Entity
	var relCreates, relDeletes []*graph.Relation
	var relUpdates []relWrite
	mentions, evidenceLists := listWrites{nodes: mentionNodes}, listWrites{nodes: evidenceNodes}
	evidence := 0 // the change in the number of pieces of evidence stored
	for _, c := range steps {
		var err error
		switch c.Object {
		case graph.ObjectEntity, graph.ObjectDocument:
			var before, after []graph.Mention
			if c.OldEntity != nil {
				before = c.OldEntity.Mentions
			}
			if c.Entity != nil {
				after = c.Entity.Mentions
			}
			err = addList(&mentions, c.ID, before, after, c.Entity == nil, mentionDocument)
		case graph.ObjectRelation:
			var before, after []graph.Evidence
			if c.OldRelation != nil {
				before = c.OldRelation.Evidence
			}
			if c.Relation != nil {
				after = c.Relation.Evidence
			}
			err = addList(&evidenceLists, c.ID, before, after, c.Relation == nil, evidenceDocument)
		}
		if err != nil {
			return err
		}
		switch c.Object {
		case graph.ObjectEntity:
			switch {
			case c.Entity == nil:
				deletes = append(deletes, c.OldEntity)
			case c.OldEntity == nil:
				creates = append(creates, nodeWrite{e: c.Entity})
			default:
				updates = append(updates, nodeWrite{e: c.Entity, old: c.OldEntity, doc: p.Document(c.ID)})
			}
		case graph.ObjectDocument:
			if c.OldEntity == nil {
				creates = append(creates, nodeWrite{e: c.Entity, doc: c.Document})
			} else {
				updates = append(updates, nodeWrite{e: c.Entity, old: c.OldEntity, doc: c.Document})
			}
		case graph.ObjectRelation:
			switch {
			case c.Relation == nil:
				relDeletes = append(relDeletes, c.OldRelation)
				evidence -= len(c.OldRelation.Evidence)
			case c.OldRelation == nil:
				relCreates = append(relCreates, c.Relation)
				evidence += len(c.Relation.Evidence)
			default:
				relUpdates = append(relUpdates, relWrite{old: c.OldRelation, rel: c.Relation})
				// Of the same documents, where old is partial.
				evidence += len(c.Relation.Evidence) - len(c.OldRelation.Evidence)
			}
		}
	}
	if len(changes) == 0 && bk == (bookkeeping{}) {
		return errRollback
	}
	if err := ctxErr(ctx); err != nil {
		return err
	}
	seq := lk.seq
	for i := range changes {
		seq++
		changes[i].Seq = uint64(seq)
	}
	w := &writer{s: s, ctx: ctx, tx: tx, refs: known, stored: stored}
	w.nodes(creates, updates)
	w.relations(relDeletes, nil, nil)
	w.deleteNodes(deletes)
	w.relations(nil, relCreates, relUpdates)
	w.lists(&mentions)
	w.lists(&evidenceLists)
	if bk.merge != nil {
		w.redirect(bk.merge)
	}
	if bk.unmerge != nil {
		w.unredirect(bk.unmerge)
	}
	if bk.forget != "" {
		w.exec("MATCH (rd:"+labelRedirect+" {to: $id}) DELETE rd", map[string]any{"id": bk.forget})
	}
	if bk.audit != nil {
		w.audit(bk.audit)
	}
	w.changes(changes, seq, evidence)
	return w.err
}
