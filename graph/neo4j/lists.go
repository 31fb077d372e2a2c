package neo4jstore

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// The lists that grow with every report, an entity's mentions and a
// relation's evidence, are kept one node per document that adds to them:
// (:Mentions {entity, document, spans}) and (:Evidence {relation,
// document, items}), spans and items being JSON lists. Held in one
// property of the entity or relation, each write that touched a hub read
// the whole list and wrote it back, so that what a write carried, and
// what the driver's buffers kept, grew with the graph. Now Apply reads the
// lists of the documents its batch names and writes the documents that
// changed; the relation keeps a tally of its evidence (count, dates,
// confidences) to derive the rest from. Merges and analysts' edits, which
// move or remove whole lists, read them whole.

// tally is what a relation keeps of its evidence in its own properties:
// enough to derive evidence_count, first_seen, last_seen and confidence
// when a write has read only some of the pieces.
type tally struct {
	count       int
	first, last string
	conf        map[float64]int // how many pieces have each confidence
}

func tallyOf(ev []graph.Evidence) tally {
	t := tally{conf: map[float64]int{}}
	for _, e := range ev {
		t.add(e, 1)
		t.first, t.last = graph.MinDate(t.first, e.Date), graph.MaxDate(t.last, e.Date)
	}
	return t
}

// add counts n more (or, negative, fewer) pieces like e; dates are the
// caller's.
func (t *tally) add(e graph.Evidence, n int) {
	t.count += n
	if t.conf[e.Confidence] += n; t.conf[e.Confidence] == 0 {
		delete(t.conf, e.Confidence)
	}
}

// derive sets r's derived fields as graph.Derive would over the whole
// evidence.
func (t tally) derive(r *graph.Relation) {
	r.EvidenceCount, r.FirstSeen, r.LastSeen = t.count, t.first, t.last
	r.Confidence = graph.ConfidenceOf(t.conf)
}

// lists are the confidences, ascending, and how many pieces have each: the
// relationship's confidence_values and confidence_counts.
func (t tally) lists() ([]float64, []int64) {
	values := slices.Sorted(maps.Keys(t.conf))
	counts := make([]int64, len(values))
	for i, v := range values {
		counts[i] = int64(t.conf[v])
	}
	return values, counts
}

// decodeTally reads a relationship's tally.
func decodeTally(m map[string]any) (tally, error) {
	r := &reader{m: m}
	t := tally{count: int(r.int("evidence_count")), first: r.str("first_seen"), last: r.str("last_seen"), conf: map[float64]int{}}
	values, _ := m["confidence_values"].([]any)
	counts, _ := m["confidence_counts"].([]any)
	if len(values) != len(counts) {
		return tally{}, errorf("relationship %v: %d confidence values, %d counts", m["id"], len(values), len(counts))
	}
	for i := range values {
		v, ok1 := values[i].(float64)
		n, ok2 := counts[i].(int64)
		if !ok1 || !ok2 {
			return tally{}, errorf("relationship %v: confidence tally %v, %v", m["id"], values[i], counts[i])
		}
		t.conf[v] += int(n)
	}
	return t, r.err
}

// updatedTally is the tally of a relation that a write read only some
// evidence of (old, the pieces of the documents it read), from the stored
// tally: old's pieces out, next's in. ok is false where the dates cannot
// be had so (a piece read has gone or changed its date, and the earliest
// or latest may have been it); then the caller reads the whole evidence.
func updatedTally(stored tally, old, next []graph.Evidence) (t tally, ok bool) {
	dates := make(map[string]string, len(next))
	for _, e := range next {
		dates[e.ID] = e.Date
	}
	t = tally{count: stored.count, first: stored.first, last: stored.last, conf: maps.Clone(stored.conf)}
	for _, e := range old {
		if d, in := dates[e.ID]; !in || d != e.Date {
			return tally{}, false
		}
		t.add(e, -1)
	}
	for _, e := range next {
		t.add(e, 1)
		t.first, t.last = graph.MinDate(t.first, e.Date), graph.MaxDate(t.last, e.Date)
	}
	return t, true
}

// groupRows are the rows that take the nodes of one owner's list from
// before to after, a document at a time: set holds the documents whose
// items changed, with after's items as JSON (key "items"), del those left
// with none.
func groupRows[T comparable](owner string, before, after []T, doc func(T) string) (set, del []map[string]any, err error) {
	group := func(l []T) map[string][]T {
		out := map[string][]T{}
		for _, x := range l {
			out[doc(x)] = append(out[doc(x)], x)
		}
		return out
	}
	b, a := group(before), group(after)
	for _, d := range slices.Sorted(maps.Keys(a)) {
		if slices.Equal(b[d], a[d]) {
			continue
		}
		items, err := json.Marshal(a[d])
		if err != nil {
			return nil, nil, &graph.Error{Code: graph.Internal, Message: "cannot encode a list", Err: err}
		}
		set = append(set, map[string]any{"owner": owner, "document": d, "items": string(items)})
	}
	for _, d := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[d]; !ok {
			del = append(del, map[string]any{"owner": owner, "document": d})
		}
	}
	return set, del, nil
}

// listNodes names the nodes of one kind of list: their label, the
// property naming the owner and the one holding the items.
type listNodes struct{ label, owner, items string }

var (
	mentionNodes  = listNodes{labelMentions, "entity", "spans"}
	evidenceNodes = listNodes{labelEvidence, "relation", "items"}
)

// listWrites collects the writes of one kind of list in a commit.
type listWrites struct {
	nodes    listNodes
	set, del []map[string]any
	drop     []map[string]any // owners gone: all their nodes go
}

// addList takes an owner's list from before to after; with gone set,
// the owner is removed, and all its nodes with it.
func addList[T comparable](lw *listWrites, owner string, before, after []T, gone bool, doc func(T) string) error {
	if gone {
		lw.drop = append(lw.drop, map[string]any{"owner": owner})
		return nil
	}
	set, del, err := groupRows(owner, before, after, doc)
	lw.set, lw.del = append(lw.set, set...), append(lw.del, del...)
	return err
}

// lists runs the statements: the nodes of removed owners and emptied
// documents go, changed documents are set (MERGE, as the plan does not say
// which documents' nodes exist).
func (w *writer) lists(lw *listWrites) {
	l := lw.nodes
	w.unwind("UNWIND $rows AS row MATCH (g:"+l.label+" {"+l.owner+": row.owner}) DELETE g", lw.drop)
	w.unwind("UNWIND $rows AS row MATCH (g:"+l.label+" {"+l.owner+": row.owner, document: row.document}) DELETE g", lw.del)
	w.unwind("UNWIND $rows AS row MERGE (g:"+l.label+" {"+l.owner+": row.owner, document: row.document}) SET g."+l.items+" = row.items", lw.set)
}

func mentionDocument(m graph.Mention) string   { return m.Document }
func evidenceDocument(e graph.Evidence) string { return e.Document }

// addMentions appends to entity id in s the mentions of the spans of
// :Mentions nodes (a list of JSON texts), keeping them in order.
func (s *source) addMentions(id string, groups any) error {
	e := s.ents[id]
	if e == nil {
		return nil
	}
	ms, err := decodeMentions(groups)
	if err != nil {
		return errorf("mentions of %s: %v", id, err)
	}
	if len(ms) > 0 {
		e.Mentions = append(e.Mentions, ms...)
		graph.SortMentions(e.Mentions)
	}
	return nil
}

// loadMentions gives the batch's entities, as src has them, their
// mentions in the documents the batch's mentions of them name: all that
// planning the batch reads of them.
func loadMentions(ctx context.Context, tx neo4j.ManagedTransaction, b *graph.Batch, src *source) error {
	var rows []map[string]any
	seen := map[[2]string]bool{}
	for _, e := range b.Entities {
		id := src.Resolve(e.ID)
		if src.ents[id] == nil {
			continue
		}
		for _, m := range e.Mentions {
			if k := [2]string{id, m.Document}; !seen[k] {
				seen[k] = true
				rows = append(rows, map[string]any{"entity": id, "document": m.Document})
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	recs, err := collect(ctx, tx, "UNWIND $rows AS row MATCH (m:"+labelMentions+" {entity: row.entity, document: row.document}) "+
		"RETURN row.entity, collect(m.spans)", map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		id, _ := rec.Values[0].(string)
		if err := src.addMentions(id, rec.Values[1]); err != nil {
			return err
		}
	}
	return nil
}
