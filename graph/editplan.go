package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/polgraph/polgraph/graph/names"
)

// This file plans analysts' edits (Store.Edit) for both backends, as
// plan.go plans Apply and Merge: PlanEdit checks the edit against the stored
// graph and builds a Plan of it; the backend writes the plan's steps, the
// merge bookkeeping and the audit record in one transaction.

// EditSource is the stored graph as the planning of an edit reads it: a
// PlanSource, the relations at an entity and the records of merges.
type EditSource interface {
	PlanSource
	// Relations returns every relation at the entity with the id (exactly
	// that id: no redirect followed), in id order.
	Relations(id string) []*Relation
	// MergeRecord returns the record of the merge that dropped the entity
	// with the id, nil if there is none.
	MergeRecord(drop string) *MergeRecord
	// Prefetch tells the source which entities (with where merges sent
	// them) and relations planning is about to look up, so that a backend
	// that reads over the network reads them in one round trip. It is a
	// hint: lookups of anything else must work too.
	Prefetch(entities []string, relations []Relation)
}

// EditPlan is an edit planned against an EditSource: the Plan of the
// objects it changes, and the bookkeeping beside them.
type EditPlan struct {
	*Plan
	// Merge is, for a merge, the record to store, with the redirect of its
	// drop to its keep (as Store.Merge stores them).
	Merge *MergeRecord
	// Unmerge is, for an unmerge, the record undone: the backend deletes it
	// and the redirect of its drop, and redirects that lead from the ids in
	// Unmerge.Dropped.MergedFrom to Unmerge.Keep lead to Unmerge.Drop again
	// (a backend that keeps chains of redirects has nothing to do there).
	Unmerge *MergeRecord
	// Deleted is, for a delete, the entity deleted: the backend also
	// deletes the redirects that lead to it, with their merge records, so
	// that the ids merged into it name nothing from then on (and a batch
	// that names one again creates it afresh, instead of landing on an
	// entity that is gone).
	Deleted string

	audit  AuditRecord
	before *Entity // the entity edited as stored, nil for create and unmerge
	after  string  // the id of the entity the record shows after the edit, "" for none
}

// EditableFields returns stored with the fields an analyst edits replaced
// by in's: names, titles, coordinates, event attributes, topics and
// summary. Id, kind, key, mentions, first and last seen, merged_from and
// revision stay stored's: they record where the entity comes from.
func EditableFields(stored, in Entity) Entity {
	out := stored
	out.Subtype = strings.TrimSpace(in.Subtype)
	out.Name, out.NameAr = strings.TrimSpace(in.Name), strings.TrimSpace(in.NameAr)
	out.Aliases = in.Aliases
	out.Title, out.TitleAr = strings.TrimSpace(in.Title), strings.TrimSpace(in.TitleAr)
	out.Lat, out.Lon, out.GeoPrecision = in.Lat, in.Lon, in.GeoPrecision
	out.EventType, out.Date, out.DatePrecision = in.EventType, in.Date, in.DatePrecision
	out.Cameo, out.QuadClass, out.Goldstein, out.Fatalities = in.Cameo, in.QuadClass, in.Goldstein, in.Fatalities
	out.Topics, out.Summary = in.Topics, in.Summary
	return NormalizeEntity(out)
}

// EditKey is the key, and so the id, an entity created by an edit gets:
// the key given, else its name normalised as ingest keys the entities it
// recognises (names.Key), so that an entity created by hand is the one
// ingest finds under the same name.
func EditKey(e Entity) string {
	if k := strings.TrimSpace(e.Key); k != "" {
		return k
	}
	return names.Key(e.Name)
}

// check refuses edits malformed whatever the store holds.
func (e *Edit) check() error {
	switch e.Op {
	case EditCreate, EditUpdate, EditDelete, EditMerge, EditUnmerge:
	default:
		return &Error{Code: Invalid, Message: fmt.Sprintf("edit operation %q is not one of create, update, delete, merge, unmerge", e.Op), Param: "op"}
	}
	if e.Op != EditCreate && !ValidID(e.ID) {
		return &Error{Code: Invalid, Message: "the entity edited must be named by its id (a UUID)", Param: "id"}
	}
	if e.Op == EditMerge && !ValidID(e.Into) {
		return &Error{Code: Invalid, Message: "a merge needs the id (a UUID) of the entity to keep", Param: "into"}
	}
	if e.Op != EditMerge && e.Into != "" {
		return &Error{Code: Invalid, Message: "only a merge names an entity to merge into", Param: "into"}
	}
	if (e.Op == EditCreate || e.Op == EditUnmerge) && e.IfMatch != "" {
		// Neither has a version of the entity to compare: a create makes
		// it, and an unmerge names an id that no entity has.
		return &Error{Code: Invalid, Message: "a " + string(e.Op) + " is not conditional on an entity's version", Param: "if_match"}
	}
	if e.Op == EditCreate || e.Op == EditUpdate {
		if e.Entity.Lat == nil != (e.Entity.Lon == nil) {
			return Errorf(Invalid, "coordinates need both lat and lon")
		}
	}
	return nil
}

// PlanEdit checks an edit against the stored graph and plans it, stamping
// a merge record with at. Errors: as Store.Edit.
func PlanEdit(ctx context.Context, src EditSource, e Edit, at time.Time, keepJSON bool) (*EditPlan, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	if err := ContextError(ctx); err != nil {
		return nil, err
	}
	ep := &EditPlan{Plan: NewPlan(src, keepJSON),
		audit: AuditRecord{Op: e.Op, Entity: e.ID, Actor: e.Actor, Reason: e.Reason}}
	var err error
	switch e.Op {
	case EditCreate:
		err = ep.create(src, e)
	case EditUpdate:
		err = ep.update(src, e)
	case EditDelete:
		err = ep.delete(src, e)
	case EditMerge:
		err = ep.merge(src, e, at)
	case EditUnmerge:
		err = ep.unmerge(src, e)
	}
	if err != nil {
		return nil, err
	}
	return ep, ContextError(ctx)
}

// Diff works out what the edit changes, as Plan.Diff, and its audit record
// (without Seq). ok is false when the edit changes nothing: the backend
// then writes and records nothing, and returns the record with Seq 0.
func (ep *EditPlan) Diff(at time.Time) (steps []Step, changes []Change, rec AuditRecord, ok bool) {
	steps, changes, _ = ep.Plan.Diff(at)
	rec = ep.audit
	rec.At = at
	if ep.before != nil {
		b := *ep.before
		rec.Before = &b
	}
	if ep.after != "" {
		if a := ep.Entity(ep.after); a != nil {
			c := *a
			rec.After = &c
		}
	}
	for _, s := range steps {
		if s.Object == ObjectRelation {
			rec.Relations++
		}
	}
	return steps, changes, rec, len(steps) > 0 || ep.Merge != nil || ep.Unmerge != nil
}

// exact returns the entity stored under exactly id: edits name entities
// exactly, so an id merged away is NotFound, saying where it went.
func exact(src EditSource, id string) (*Entity, error) {
	if e := src.Entity(id); e != nil {
		return e, nil
	}
	if to := src.Resolve(id); to != id {
		return nil, Errorf(NotFound, "entity %s was merged into %s; edits name entities exactly, so edit %s", id, to, to)
	}
	return nil, Errorf(NotFound, "no entity has id %s", id)
}

// checkETag compares an edit's IfMatch with the version of e it edits.
func checkETag(e Edit, cur *Entity) error {
	if e.IfMatch != "" && e.IfMatch != EntityETag(*cur) {
		return Errorf(Precondition, "entity %s has changed since version %s was read", cur.ID, e.IfMatch)
	}
	return nil
}

func checkEdited(e *Entity) error {
	if e.Name == "" {
		return &Error{Code: Invalid, Message: "an entity needs a name in Latin script", Param: "name"}
	}
	if msg := checkEntity(e); msg != "" {
		return Errorf(Invalid, "%s", msg)
	}
	return nil
}

func (ep *EditPlan) create(src EditSource, e Edit) error {
	in := e.Entity
	switch {
	case in.Kind == KindDocument:
		return &Error{Code: Invalid, Message: "documents are not created by an edit: ingest them", Param: "kind"}
	case !in.Kind.Valid():
		return &Error{Code: Invalid, Message: fmt.Sprintf("kind %q is not an entity kind", in.Kind), Param: "kind"}
	case strings.TrimSpace(in.Name) == "":
		return &Error{Code: Invalid, Message: "an entity needs a name in Latin script", Param: "name"}
	}
	key := EditKey(in)
	if key == "" {
		return &Error{Code: Invalid, Message: fmt.Sprintf("name %q has nothing to derive a key from; give a key", in.Name), Param: "key"}
	}
	id := EntityID(in.Kind, key)
	if in.ID != "" && in.ID != id {
		return &Error{Code: Invalid, Message: fmt.Sprintf("id %s does not derive from the kind and key (that gives %s)", in.ID, id), Param: "id"}
	}
	src.Prefetch([]string{id}, nil)
	if to := src.Resolve(id); to != id {
		return Errorf(Conflict, "entity %s existed and was merged into %s", id, to)
	}
	if src.Entity(id) != nil {
		return Errorf(Conflict, "entity %s already exists", id)
	}
	next := EditableFields(Entity{ID: id, Kind: in.Kind, Key: key}, in)
	if err := checkEdited(&next); err != nil {
		return err
	}
	ep.audit.Entity, ep.after = id, id
	return ep.setEntity(next, ObjectEntity)
}

func (ep *EditPlan) update(src EditSource, e Edit) error {
	src.Prefetch([]string{e.ID}, nil)
	cur, err := exact(src, e.ID)
	if err != nil {
		return err
	}
	in := e.Entity
	switch {
	case cur.Kind == KindDocument:
		return Errorf(Invalid, "%s is a document's node: documents change by ingesting them again", cur.ID)
	case in.ID != "" && in.ID != cur.ID:
		return &Error{Code: Invalid, Message: fmt.Sprintf("the entity given has id %s, not %s", in.ID, cur.ID), Param: "id"}
	case in.Kind != "" && in.Kind != cur.Kind:
		return &Error{Code: Invalid, Message: fmt.Sprintf("%s is a %s: an entity's kind cannot change", cur.ID, cur.Kind), Param: "kind"}
	}
	if err := checkETag(e, cur); err != nil {
		return err
	}
	next := EditableFields(*cur, in)
	if err := checkEdited(&next); err != nil {
		return err
	}
	ep.before, ep.after = cur, cur.ID
	return ep.setEntity(next, ObjectEntity)
}

func (ep *EditPlan) delete(src EditSource, e Edit) error {
	src.Prefetch([]string{e.ID}, nil)
	cur, err := exact(src, e.ID)
	if err != nil {
		return err
	}
	if cur.Kind == KindDocument {
		return Errorf(Invalid, "%s is a document's node: documents cannot be deleted by an edit", cur.ID)
	}
	if err := checkETag(e, cur); err != nil {
		return err
	}
	for _, r := range src.Relations(cur.ID) {
		ep.remove(Ref{ObjectRelation, r.ID})
	}
	ep.remove(Ref{ObjectEntity, cur.ID})
	ep.before, ep.Deleted = cur, cur.ID
	return nil
}

// remove plans the removal of an entity or relation (not a merge's).
func (p *Plan) remove(r Ref) {
	p.touch(r)
	if r.Object == ObjectRelation {
		p.rels[r.ID] = nil
	} else {
		p.ents[r.ID] = nil
	}
}

func (ep *EditPlan) merge(src EditSource, e Edit, at time.Time) error {
	src.Prefetch([]string{e.ID, e.Into}, nil)
	d, err := exact(src, e.ID)
	if err != nil {
		return err
	}
	k, err := exact(src, e.Into)
	if err != nil {
		return err
	}
	if err := CheckMerge(e.Into, e.ID, k, d); err != nil {
		return err
	}
	if err := checkETag(e, d); err != nil {
		return err
	}
	moved := src.Relations(d.ID)
	src.Prefetch(nil, MergedRelations(k.ID, d.ID, moved))
	rec, err := ep.MergeRecorded(k, d, moved, at)
	if err != nil {
		return err
	}
	ep.Merge = rec
	ep.audit.Into, ep.before = k.ID, d
	return nil
}

// MergeRecorded plans the merge of d into k as Merge does, and returns its
// record with what undoing it needs (Kept, Moved, Replaced), stamped at.
// moved is every relation at d, in id order.
func (p *Plan) MergeRecorded(k, d *Entity, moved []*Relation, at time.Time) (*MergeRecord, error) {
	rec := MergeRecord{Keep: k.ID, Drop: d.ID, Dropped: *d, Relations: make([]string, len(moved)), At: at,
		Kept: k, Moved: make([]Relation, len(moved))}
	for i, r := range moved {
		rec.Relations[i], rec.Moved[i] = r.ID, *r
	}
	seen := map[string]bool{}
	for _, r := range MergedRelations(k.ID, d.ID, moved) {
		if old := p.src.Relation(r.ID); old != nil && !seen[r.ID] {
			seen[r.ID] = true
			rec.Replaced = append(rec.Replaced, *old)
		}
	}
	// A copy in canonical form: the record shares no memory with the
	// stored objects, and reads back from storage as it is now.
	out, _, err := Canonical(rec)
	if err != nil {
		return nil, err
	}
	if err := p.Merge(k, d, moved); err != nil {
		return nil, err
	}
	return &out, nil
}

func (ep *EditPlan) unmerge(src EditSource, e Edit) error {
	rec := src.MergeRecord(e.ID)
	if rec == nil {
		src.Prefetch([]string{e.ID}, nil)
		if src.Entity(e.ID) != nil {
			return Errorf(Conflict, "entity %s is not merged into another", e.ID)
		}
		return Errorf(NotFound, "no entity has id %s", e.ID)
	}
	if rec.Kept == nil {
		return Errorf(Conflict, "%s was merged into %s before polgraph recorded how to undo a merge; it cannot be undone", rec.Drop, rec.Keep)
	}
	ends := []string{rec.Drop, rec.Keep}
	for _, m := range rec.Moved {
		ends = append(ends, m.From, m.To)
	}
	for _, r := range rec.Replaced {
		ends = append(ends, r.From, r.To)
	}
	src.Prefetch(ends, nil)
	k := src.Entity(rec.Keep)
	switch {
	case k == nil && src.Resolve(rec.Keep) != rec.Keep:
		return Errorf(Conflict, "%s, which %s was merged into, has since been merged into %s: undo that merge first",
			rec.Keep, rec.Drop, src.Resolve(rec.Keep))
	case k == nil:
		return Errorf(Conflict, "%s, which %s was merged into, has since been deleted", rec.Keep, rec.Drop)
	case src.Entity(rec.Drop) != nil:
		return Errorf(Conflict, "entity %s exists again: it is not merged into another", rec.Drop)
	}

	// Ends are taken where merges since have sent them; the dropped id
	// stands for itself (restored) or for the kept entity (its relations'
	// counterparts there).
	resolve := func(id string) string {
		if id == rec.Drop {
			return id
		}
		return src.Resolve(id)
	}
	toKeep := func(id string) string {
		if id == rec.Drop {
			return rec.Keep
		}
		return src.Resolve(id)
	}
	live := func(r Relation) bool {
		return r.From != r.To && src.Entity(r.From) != nil && src.Entity(r.To) != nil
	}
	var restored []Relation
	brought := map[string]Relation{} // counterpart id → what the merge brought to it
	var order []string
	for _, m := range rec.Moved {
		if r := RehomeRelation(m, resolve); r.From != r.To && (r.From == rec.Drop || src.Entity(r.From) != nil) &&
			(r.To == rec.Drop || src.Entity(r.To) != nil) {
			restored = append(restored, r) // else its other end has been deleted since
		}
		// Evidence ids derive from the relation's last id only, so one
		// step gives what the merge and any merges since made of m.
		c := RehomeRelation(m, toKeep)
		if !live(c) {
			continue
		}
		if b, ok := brought[c.ID]; ok {
			brought[c.ID] = UpsertRelation(b, c)
		} else {
			brought[c.ID] = UpsertRelation(Relation{ID: c.ID, Type: c.Type, From: c.From, To: c.To, Role: c.Role}, c)
			order = append(order, c.ID)
		}
	}
	had := map[string]*Relation{} // counterpart id → the kept entity's relation there before the merge
	for _, r := range rec.Replaced {
		r = RehomeRelation(r, src.Resolve)
		if h := had[r.ID]; h != nil {
			u := UpsertRelation(*h, r)
			had[r.ID] = &u
		} else {
			u := UpsertRelation(Relation{ID: r.ID, Type: r.Type, From: r.From, To: r.To, Role: r.Role}, r)
			had[r.ID] = &u
		}
	}
	var look []Relation
	for _, id := range order {
		look = append(look, brought[id])
	}
	src.Prefetch(nil, append(look, restored...))

	if err := ep.setEntity(rec.Dropped, ObjectEntity); err != nil {
		return err
	}
	if err := ep.setEntity(UnmergeEntity(*k, *rec.Kept, rec.Dropped), ObjectEntity); err != nil {
		return err
	}
	for _, id := range order {
		cur := ep.Relation(id)
		if cur == nil {
			continue // gone since
		}
		if next := UnmergeRelation(*cur, had[id], brought[id]); next == nil {
			ep.remove(Ref{ObjectRelation, id})
		} else if err := ep.setRelation(*next); err != nil {
			return err
		}
	}
	for _, r := range restored {
		if err := ep.UpsertRelation(r); err != nil {
			return err
		}
	}
	ep.Unmerge = rec
	ep.audit.Entity, ep.audit.Into, ep.after = rec.Drop, rec.Keep, rec.Drop
	return nil
}

// UnmergeEntity takes out of cur, the kept entity of a merge as it is now,
// what the merge gave it: the names, topics, mentions and merged_from
// entries it added (but not those kept had before), and the values it
// filled in where they have not changed since. kept and dropped are the
// two entities as they were before the merge. What arrived since stays.
func UnmergeEntity(cur, kept, dropped Entity) Entity {
	merged := MergeEntity(kept, dropped)
	out := cur
	revert := func(now *string, was, then string) {
		if *now == then {
			*now = was
		}
	}
	revert(&out.Subtype, kept.Subtype, merged.Subtype)
	revert(&out.Name, kept.Name, merged.Name)
	revert(&out.NameAr, kept.NameAr, merged.NameAr)
	revert(&out.Title, kept.Title, merged.Title)
	revert(&out.TitleAr, kept.TitleAr, merged.TitleAr)
	revert(&out.GeoPrecision, kept.GeoPrecision, merged.GeoPrecision)
	revert(&out.EventType, kept.EventType, merged.EventType)
	revert(&out.DatePrecision, kept.DatePrecision, merged.DatePrecision)
	revert(&out.Date, kept.Date, merged.Date)
	revert(&out.Cameo, kept.Cameo, merged.Cameo)
	revert(&out.Summary, kept.Summary, merged.Summary)
	revert(&out.FirstSeen, kept.FirstSeen, merged.FirstSeen)
	revert(&out.LastSeen, kept.LastSeen, merged.LastSeen)
	if samePtr(out.Lat, merged.Lat) && samePtr(out.Lon, merged.Lon) {
		out.Lat, out.Lon = kept.Lat, kept.Lon
	}
	if samePtr(out.Goldstein, merged.Goldstein) {
		out.Goldstein = kept.Goldstein
	}
	if samePtr(out.Fatalities, merged.Fatalities) {
		out.Fatalities = kept.Fatalities
	}
	if out.QuadClass == merged.QuadClass {
		out.QuadClass = kept.QuadClass
	}
	if out.Revision == merged.Revision {
		out.Revision = kept.Revision
	}
	out.Aliases = withoutAdded(cur.Aliases, kept.Names(), merged.Names())
	out.Topics = withoutAdded(cur.Topics, kept.Topics, merged.Topics)
	out.MergedFrom = withoutAdded(cur.MergedFrom, kept.MergedFrom, merged.MergedFrom)
	added := map[mentionSpan]bool{}
	for _, m := range merged.Mentions {
		if k := (mentionSpan{m.Document, m.Start, m.End}); !slices.ContainsFunc(kept.Mentions, k.of) {
			added[k] = true
		}
	}
	out.Mentions = nil
	for _, m := range cur.Mentions {
		if !added[mentionSpan{m.Document, m.Start, m.End}] {
			out.Mentions = append(out.Mentions, m)
		}
	}
	return NormalizeEntity(out)
}

// withoutAdded returns cur without the elements a merge added: those of
// merged that had are not.
func withoutAdded(cur, had, merged []string) []string {
	var out []string
	for _, s := range cur {
		if slices.Contains(had, s) || !slices.Contains(merged, s) {
			out = append(out, s)
		}
	}
	return out
}

func samePtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// UnmergeRelation takes out of cur, a relation of the kept entity of a
// merge as it is now, what the merge brought to it: brought is a moved
// relation as the merge combined it into cur (ends and evidence ids as
// cur's), before is cur as it was before the merge (nil if the kept entity
// had no such relation). Evidence the merge brought goes unless before had
// it (then before's version comes back if the merge's replaced it), and the
// qualifiers the merge set return to before's where unchanged since. When
// nothing remains that the merge did not bring, cur goes: the result is
// nil. Evidence that arrived since stays.
func UnmergeRelation(cur Relation, before *Relation, brought Relation) *Relation {
	broughtEv := map[string]Evidence{}
	for _, e := range brought.Evidence {
		broughtEv[e.ID] = e
	}
	hadEv := map[string]Evidence{}
	if before != nil {
		for _, e := range before.Evidence {
			hadEv[e.ID] = e
		}
	}
	out := cur
	out.Evidence = make([]Evidence, 0, len(cur.Evidence))
	for _, e := range cur.Evidence {
		b, fromMerge := broughtEv[e.ID]
		h, had := hadEv[e.ID]
		switch {
		case fromMerge && !had:
			continue
		case fromMerge && e == b:
			e = h
		}
		out.Evidence = append(out.Evidence, e)
	}
	if before == nil {
		if len(out.Evidence) == 0 {
			return nil
		}
		out = Derive(out)
		return &out
	}
	merged := UpsertRelation(*before, brought)
	if out.Title == merged.Title {
		out.Title = before.Title
	}
	if out.Date == merged.Date {
		out.Date = before.Date
	}
	if out.Count == merged.Count {
		out.Count = before.Count
	}
	out = Derive(out)
	return &out
}

// DefaultAuditLimit is the page size of an AuditQuery without a Limit.
const DefaultAuditLimit = 50

// Check validates an audit query and fills in its default limit. Errors:
// Invalid (a malformed entity id, a limit below 0 or above MaxPageSize).
func (q *AuditQuery) Check() error {
	if q.Entity != "" && !ValidID(q.Entity) {
		return &Error{Code: Invalid, Message: "entity must be an id (a UUID)", Param: "entity"}
	}
	if q.Limit < 0 || q.Limit > MaxPageSize {
		return &Error{Code: Invalid, Message: fmt.Sprintf("limit must be between 1 and %d", MaxPageSize), Param: "limit"}
	}
	if q.Limit == 0 {
		q.Limit = DefaultAuditLimit
	}
	return nil
}

// Matches reports whether r passes the query's entity filter.
func (q *AuditQuery) Matches(r *AuditRecord) bool {
	return q.Entity == "" || r.Entity == q.Entity || r.Into == q.Entity
}
