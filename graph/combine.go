package graph

// This file holds the rules for merges and for the parts of an upsert that
// upsert.go does not cover. Both backends need them, so they live here once.

// MergeEntity folds entity drop into entity keep, as Store.Merge does and as
// Apply does for an incoming entity whose id was merged away: keep's fields
// win and drop fills those keep lacks, every name of drop becomes an alias,
// lists are unioned, first and last seen widen, and drop's id (and whatever
// was merged into drop) joins MergedFrom. The id, kind and key stay keep's.
// Folding the same drop in twice changes nothing the second time.
func MergeEntity(keep, drop Entity) Entity {
	d := drop
	d.Aliases = drop.Names()
	d.Name, d.NameAr, d.Key = "", "", ""
	d.MergedFrom = append(append([]string{}, drop.MergedFrom...), drop.ID)
	out := UpsertEntity(d, keep)
	out.ID, out.Kind, out.Key = keep.ID, keep.Kind, keep.Key
	return NormalizeEntity(out)
}

// RehomeRelation returns r with each end passed through resolve, which maps
// the id of a merged-away entity to the entity it was merged into and every
// other id to itself. When an end changes, the relation id and its evidence
// ids are derived anew from the new ends, so the moved fact meets the same
// fact already stored there (and the same sentence read twice stays one
// piece of evidence). The result is not yet Derived: callers combine it
// with UpsertRelation. A relation whose ends become one entity has From ==
// To; backends drop it, as Validate would refuse it.
func RehomeRelation(r Relation, resolve func(id string) string) Relation {
	from, to := resolve(r.From), resolve(r.To)
	if from == r.From && to == r.To {
		return r
	}
	out := r
	out.From, out.To = from, to
	out.ID = RelationID(r.Type, from, to, r.Qualifier())
	out.Evidence = make([]Evidence, len(r.Evidence))
	for i, e := range r.Evidence {
		e.ID = EvidenceID(out.ID, e.Document, e.Start, e.End)
		out.Evidence[i] = e
	}
	return out
}

// UpsertDocument combines a stored document with an incoming one for the
// same id: non-empty incoming fields win, so a later read that lacks the
// text or the title does not erase them; an older Revision changes nothing.
func UpsertDocument(old, in Document) Document {
	if in.Revision != 0 && in.Revision < old.Revision {
		return old // an older version of an event-data record
	}
	out := old
	if in.Revision > old.Revision {
		out.Revision = in.Revision
	}
	out.ID = in.ID
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&out.URL, in.URL}, {&out.Outlet, in.Outlet}, {&out.Title, in.Title},
		{&out.Language, in.Language}, {&out.Published, in.Published},
		{&out.SHA256, in.SHA256}, {&out.Source, in.Source}, {&out.Text, in.Text},
	} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	return out
}

// CheckKinds reports Invalid when a document or entity of the batch reuses
// the id of a stored entity of another kind. Validate checks relation ends
// against stored kinds but not the batch's own entities; backends call both.
// known is as for Validate.
func (b *Batch) CheckKinds(known func(id string) (Kind, bool)) error {
	if known == nil {
		return nil
	}
	for i, d := range b.Documents {
		if k, ok := known(d.ID); ok && k != KindDocument {
			return Errorf(Invalid, "documents[%d]: id %s is stored as a %s", i, d.ID, k)
		}
	}
	for i, e := range b.Entities {
		if k, ok := known(e.ID); ok && k != e.Kind {
			return Errorf(Invalid, "entities[%d]: id %s is stored as a %s, not a %s", i, e.ID, k, e.Kind)
		}
	}
	return nil
}
