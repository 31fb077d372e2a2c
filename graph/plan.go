package graph

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"time"
	"unicode/utf8"
)

// This file holds the planning of a write, shared by both backends: how an
// Apply or a Merge combines what the store holds with what comes in, which
// objects it changes, what it counts and what it records in the change feed.
// A backend gives the plan a PlanSource to read the stored graph from, runs
// Apply or Merge on it, and writes the steps Diff returns in its own way.

// Objects named in the change feed (Change.Object). Exposed to clients: do
// not rename.
const (
	ObjectEntity   = "entity"
	ObjectDocument = "document"
	ObjectRelation = "relation"
)

// PlanSource is the stored graph as a Plan sees it. Lookups are by exact id
// (no merge redirects followed) and return nil when the store has no such
// object; they must return the canonical form (see Canonical), as reading
// the object back from storage would. Resolve follows merge redirects to the
// id of the entity an id now names (the id itself if it was never merged
// away). A backend that cannot look up cheaply reads what a batch touches
// first and serves the lookups from that.
type PlanSource interface {
	Entity(id string) *Entity
	Document(id string) *Document
	Relation(id string) *Relation
	Resolve(id string) string
}

// Ref names one object a plan touches: Object is one of ObjectEntity,
// ObjectDocument (a document and its entity) and ObjectRelation.
type Ref struct{ Object, ID string }

// Plan is a write in preparation: the new versions of everything an Apply
// or Merge touches, built against a PlanSource without changing it. A nil
// entity or relation means the object is removed.
type Plan struct {
	src     PlanSource
	ents    map[string]*Entity
	docs    map[string]*Document
	rels    map[string]*Relation
	order   []Ref // objects in the order first touched: the order of their changes
	touched map[Ref]bool
	into    map[string]string // removed entity → the entity it was merged into
	raw     map[Ref][]byte    // the JSON of new versions, as Canonical made it; nil unless kept
}

// NewPlan returns an empty plan against src. With keepJSON the plan keeps
// the JSON encoding of each new version it canonicalises, for a backend that
// stores JSON (see JSON).
func NewPlan(src PlanSource, keepJSON bool) *Plan {
	p := &Plan{src: src, ents: map[string]*Entity{}, docs: map[string]*Document{},
		rels: map[string]*Relation{}, touched: map[Ref]bool{}, into: map[string]string{}}
	if keepJSON {
		p.raw = map[Ref][]byte{}
	}
	return p
}

func (p *Plan) touch(r Ref) {
	if !p.touched[r] {
		p.touched[r] = true
		p.order = append(p.order, r)
	}
}

// Entity returns the entity as the plan has it so far (nil if absent or
// removed).
func (p *Plan) Entity(id string) *Entity {
	if e, ok := p.ents[id]; ok {
		return e
	}
	return p.src.Entity(id)
}

// Relation returns the relation as the plan has it so far (nil if absent or
// removed).
func (p *Plan) Relation(id string) *Relation {
	if r, ok := p.rels[id]; ok {
		return r
	}
	return p.src.Relation(id)
}

// Document returns the document as the plan has it so far (nil if absent).
func (p *Plan) Document(id string) *Document {
	if d, ok := p.docs[id]; ok {
		return d
	}
	return p.src.Document(id)
}

// JSON returns the encoding Canonical made of the new version of r's object
// (for ObjectDocument, of the document; its entity is under ObjectEntity),
// or nil if the plan kept none: the object is unchanged, removed, was
// canonicalised without a round trip (most relations), or the plan was
// made without keepJSON.
func (p *Plan) JSON(r Ref) []byte { return p.raw[r] }

// Canonical returns v as it reads back from storage, and its JSON encoding:
// a JSON round trip, so that what a backend compares is what it would read
// back (nil and empty lists, invalid UTF-8 and the like come out as stored).
func Canonical[T any](v T) (T, []byte, error) {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		return out, nil, &Error{Code: Invalid, Message: "the batch holds a value that cannot be stored", Err: err}
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, nil, &Error{Code: Internal, Message: "a value does not read back as written", Err: err}
	}
	return out, b, nil
}

// canonicalRelation is Canonical(r), without the round trip when r is
// already what it would give back: no Other, finite numbers and valid
// UTF-8 everywhere. Then the round trip would only copy memory, and
// skipping it halves the cost of a new relation. The shortcut makes no
// JSON: a backend that stores JSON encodes the relation itself.
func (p *Plan) canonicalRelation(r Relation) (Relation, []byte, error) {
	if !relationCanonical(&r) {
		return Canonical(r)
	}
	r.Evidence = slices.Clone(r.Evidence) // the caller's memory stays the caller's
	return r, nil, nil
}

// relationCanonical reports whether a JSON round trip would give r back
// unchanged. It names every field of Relation and Evidence that the round
// trip could change; TestRelationCanonical fails when a field is added.
func relationCanonical(r *Relation) bool {
	if r.Other != nil || !finite(r.Confidence) ||
		!validUTF8(r.ID, string(r.Type), r.From, r.To, r.Role, r.Title, r.Date, r.FirstSeen, r.LastSeen) {
		return false
	}
	for i := range r.Evidence {
		e := &r.Evidence[i]
		if !finite(e.Confidence) || !validUTF8(e.ID, e.Document, e.Text, e.Rule, e.SentenceText, e.Date) {
			return false
		}
	}
	return true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func validUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// ContextError returns nil while ctx is live, Timeout when its deadline
// has passed and Unavailable when it was cancelled.
func ContextError(ctx context.Context) error {
	switch err := ctx.Err(); {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: Timeout, Message: "the request's time limit ran out", Err: err}
	default:
		return &Error{Code: Unavailable, Message: "the request was cancelled", Err: err}
	}
}

// looselyEntity evens out the differences Canonical would remove that
// upserts commonly leave (an empty list for a nil one), so that an
// unchanged object is recognised without the cost of a round trip through
// JSON.
func looselyEntity(e Entity) Entity {
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

func looselyRelation(r Relation) Relation {
	if r.Evidence == nil {
		r.Evidence = []Evidence{}
	}
	r.Other = nil
	return r
}

// setEntity puts e in the plan under the object obj (a document's entity is
// part of the document). The version the plan has is kept when e equals it.
func (p *Plan) setEntity(e Entity, obj string) error {
	p.touch(Ref{obj, e.ID})
	cur := p.Entity(e.ID)
	if cur != nil && EntityEqual(*cur, looselyEntity(e)) {
		p.ents[e.ID] = cur
		return nil
	}
	c, raw, err := canonicalEntity(e)
	if err != nil {
		return err
	}
	if cur != nil && EntityEqual(*cur, c) {
		p.ents[e.ID] = cur
		return nil
	}
	p.ents[e.ID] = &c
	p.keep(Ref{ObjectEntity, e.ID}, raw)
	return nil
}

// canonicalEntity is Canonical(e), without the round trip when e is already
// what it would give back. An entity named in many reports carries a
// mention for each, and a batch names it many times: a round trip at each
// made Apply quadratic in the mentions of the most named actors. The
// shortcut makes no JSON: a backend that stores JSON encodes the entity
// once, when it writes it.
func canonicalEntity(e Entity) (Entity, []byte, error) {
	if !entityCanonical(&e) {
		return Canonical(e)
	}
	// The caller's memory stays the caller's.
	e.Aliases, e.Topics, e.MergedFrom = slices.Clone(e.Aliases), slices.Clone(e.Topics), slices.Clone(e.MergedFrom)
	e.Mentions = slices.Clone(e.Mentions)
	e.Lat, e.Lon, e.Goldstein, e.Fatalities = clonePtr(e.Lat), clonePtr(e.Lon), clonePtr(e.Goldstein), clonePtr(e.Fatalities)
	return e, nil, nil
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// entityCanonical reports whether a JSON round trip would give e back
// unchanged: valid UTF-8 everywhere, finite numbers, and no empty list
// where the JSON leaves the field out (it would come back nil). It names
// every field of Entity and Mention that the round trip could change;
// TestEntityCanonical fails when a field is added.
func entityCanonical(e *Entity) bool {
	for _, f := range []*float64{e.Lat, e.Lon, e.Goldstein} {
		if f != nil && !finite(*f) {
			return false
		}
	}
	if e.Topics != nil && len(e.Topics) == 0 || e.Mentions != nil && len(e.Mentions) == 0 ||
		e.MergedFrom != nil && len(e.MergedFrom) == 0 {
		return false
	}
	if !validUTF8(e.ID, string(e.Kind), e.Subtype, e.Name, e.NameAr, e.Key, e.Title, e.TitleAr, e.GeoPrecision,
		e.EventType, e.Date, e.DatePrecision, e.Cameo, e.Summary, e.FirstSeen, e.LastSeen) ||
		!validUTF8(e.Aliases...) || !validUTF8(e.Topics...) || !validUTF8(e.MergedFrom...) {
		return false
	}
	for i := range e.Mentions {
		if !validUTF8(e.Mentions[i].Document, e.Mentions[i].Text) {
			return false
		}
	}
	return true
}

func (p *Plan) setRelation(r Relation) error {
	p.touch(Ref{ObjectRelation, r.ID})
	cur := p.Relation(r.ID)
	if cur != nil && RelationEqual(*cur, looselyRelation(r)) {
		p.rels[r.ID] = cur
		return nil
	}
	c, raw, err := p.canonicalRelation(r)
	if err != nil {
		return err
	}
	if cur != nil && RelationEqual(*cur, c) {
		p.rels[r.ID] = cur
		return nil
	}
	p.rels[r.ID] = &c
	p.keep(Ref{ObjectRelation, r.ID}, raw)
	return nil
}

func (p *Plan) keep(r Ref, raw []byte) {
	if p.raw != nil {
		p.raw[r] = raw
	}
}

// UpsertEntity folds an incoming entity into the plan. An id that was
// merged away lands on the entity it went into, as another name of it.
func (p *Plan) UpsertEntity(in Entity) error {
	id := p.src.Resolve(in.ID)
	cur := p.Entity(id)
	var next Entity
	switch {
	case id != in.ID && cur != nil:
		next = MergeEntity(*cur, in)
	case cur == nil:
		next = UpsertEntity(Entity{ID: in.ID, Kind: in.Kind}, in)
	default:
		next = UpsertEntity(*cur, in)
	}
	return p.setEntity(next, ObjectEntity)
}

// UpsertRelation folds an incoming relation, whose ends are already
// resolved (see RehomeRelation), into the plan.
func (p *Plan) UpsertRelation(in Relation) error {
	base := Relation{ID: in.ID, Type: in.Type, From: in.From, To: in.To, Role: in.Role}
	if cur := p.Relation(in.ID); cur != nil {
		base = *cur
	}
	return p.setRelation(UpsertRelation(base, in))
}

// UpsertDocument folds an incoming document, and the entity that stands
// for it, into the plan.
func (p *Plan) UpsertDocument(in Document) error {
	var d Document
	if cur := p.Document(in.ID); cur != nil {
		d = UpsertDocument(*cur, in)
	} else {
		d = UpsertDocument(Document{}, in)
	}
	d, raw, err := Canonical(d)
	if err != nil {
		return err
	}
	p.docs[d.ID] = &d
	p.keep(Ref{ObjectDocument, d.ID}, raw)
	base := Entity{ID: d.ID, Kind: KindDocument}
	if cur := p.Entity(d.ID); cur != nil {
		base = *cur
	}
	return p.setEntity(UpsertEntity(base, DocumentEntity(&d)), ObjectDocument)
}

// Apply folds a batch, already validated, into the plan: documents, then
// entities, then relations with their ends resolved through merges (a
// relation whose ends were merged into one entity is dropped). It checks
// ctx every 1024 relations and at the end.
func (p *Plan) Apply(ctx context.Context, b *Batch) error {
	if len(p.touched) == 0 {
		// A fresh plan: its maps are made for the batch at once, rather
		// than grown and rehashed all the way up for a large one.
		n := len(b.Documents) + len(b.Entities) + len(b.Relations)
		p.ents = make(map[string]*Entity, len(b.Documents)+len(b.Entities))
		p.docs = make(map[string]*Document, len(b.Documents))
		p.rels = make(map[string]*Relation, len(b.Relations))
		p.touched = make(map[Ref]bool, n)
		p.order = make([]Ref, 0, n)
		if p.raw != nil {
			p.raw = make(map[Ref][]byte, n)
		}
	}
	for _, d := range b.Documents {
		if err := p.UpsertDocument(d); err != nil {
			return err
		}
	}
	for _, e := range b.Entities {
		if err := p.UpsertEntity(e); err != nil {
			return err
		}
	}
	for i, r := range b.Relations {
		if i%1024 == 0 {
			if err := ContextError(ctx); err != nil {
				return err
			}
		}
		r = RehomeRelation(r, p.src.Resolve)
		if r.From == r.To {
			continue // both ends were merged into one entity
		}
		if err := p.UpsertRelation(r); err != nil {
			return err
		}
	}
	return ContextError(ctx)
}

// CheckMerge returns the error Merge(keep, drop) returns, if any, for the
// entities the ids name now (k and d, nil if none).
func CheckMerge(keep, drop string, k, d *Entity) error {
	switch {
	case k == nil:
		return Errorf(NotFound, "no entity has id %s", keep)
	case d == nil:
		return Errorf(NotFound, "no entity has id %s", drop)
	case k.ID == d.ID:
		return Errorf(Invalid, "%s and %s are the same entity", keep, drop)
	case k.Kind != d.Kind:
		return Errorf(Invalid, "cannot merge a %s into a %s", d.Kind, k.Kind)
	case k.Kind == KindDocument:
		return Errorf(Invalid, "documents cannot be merged")
	}
	return nil
}

// MergedRelations returns the relations of moved (those at drop) as they
// join keep once drop is merged into it, leaving out any that ran between
// the two.
func MergedRelations(keep, drop string, moved []*Relation) []Relation {
	resolve := func(id string) string {
		if id == drop {
			return keep
		}
		return id
	}
	out := make([]Relation, 0, len(moved))
	for _, r := range moved {
		if nr := RehomeRelation(*r, resolve); nr.From != nr.To {
			out = append(out, nr) // else a relation between the two: nothing left to join
		}
	}
	return out
}

// Merge plans the merge of d into k (checked with CheckMerge): d goes,
// recorded as merged into k; k takes d's names; moved, every relation at d
// in id order, goes and comes back rehomed to k, combined with any relation
// k already has with the same id.
func (p *Plan) Merge(k, d *Entity, moved []*Relation) error {
	p.ents[d.ID] = nil
	p.into[d.ID] = k.ID
	p.touch(Ref{ObjectEntity, d.ID})
	if err := p.setEntity(MergeEntity(*k, *d), ObjectEntity); err != nil {
		return err
	}
	for _, r := range moved {
		p.rels[r.ID] = nil
		p.touch(Ref{ObjectRelation, r.ID})
	}
	for _, r := range MergedRelations(k.ID, d.ID, moved) {
		if err := p.UpsertRelation(r); err != nil {
			return err
		}
	}
	return nil
}

// A Step is one object a plan changes, with its version in the source
// (Old*, nil if it is new) and in the plan (nil if removed). An
// ObjectEntity step has the entity fields set, an ObjectDocument step the
// document and entity fields, an ObjectRelation step the relation fields.
type Step struct {
	Ref
	Op                    Op // Created, Updated, Deleted or Merged
	OldEntity, Entity     *Entity
	OldDocument, Document *Document
	OldRelation, Relation *Relation
}

// Diff works out what the plan changes against its source: the steps that
// change something, in the order their objects were first touched, the
// change feed entry of each (steps[i] has changes[i], stamped at, without a
// Seq), and the counts Apply returns. An object that equals its stored
// version counts as unchanged and has no step.
func (p *Plan) Diff(at time.Time) (steps []Step, changes []Change, res ApplyResult) {
	if len(p.order) > 0 { // room for every object: a large batch grows no lists
		steps, changes = make([]Step, 0, len(p.order)), make([]Change, 0, len(p.order))
	}
	for _, r := range p.order {
		s := Step{Ref: r}
		var existed, changed, removed bool
		switch r.Object {
		case ObjectEntity:
			s.OldEntity, s.Entity = p.src.Entity(r.ID), p.ents[r.ID]
			existed, removed = s.OldEntity != nil, s.Entity == nil
			changed = removed || !existed || !EntityEqual(*s.OldEntity, *s.Entity)
		case ObjectDocument:
			s.OldDocument, s.Document = p.src.Document(r.ID), p.docs[r.ID]
			s.OldEntity, s.Entity = p.src.Entity(r.ID), p.ents[r.ID]
			existed = s.OldDocument != nil
			changed = !existed || *s.OldDocument != *s.Document || s.OldEntity == nil || !EntityEqual(*s.OldEntity, *s.Entity)
		case ObjectRelation:
			s.OldRelation, s.Relation = p.src.Relation(r.ID), p.rels[r.ID]
			existed, removed = s.OldRelation != nil, s.Relation == nil
			changed = removed || !existed || !RelationEqual(*s.OldRelation, *s.Relation)
			if changed && !removed {
				res.Evidence += newEvidence(s.OldRelation, s.Relation)
			}
		}
		switch {
		case removed && !existed:
			continue
		case removed && p.into[r.ID] != "":
			s.Op = Merged
		case removed:
			s.Op = Deleted
		case !existed:
			s.Op = Created
			res.Created++
		case changed:
			s.Op = Updated
			res.Updated++
		default:
			res.Unchanged++
			continue
		}
		steps = append(steps, s)
		changes = append(changes, Change{Op: s.Op, Object: r.Object, ID: r.ID, Into: p.into[r.ID], At: at})
	}
	return steps, changes, res
}

// newEvidence counts the evidence of next that old did not have.
func newEvidence(old, next *Relation) int {
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
