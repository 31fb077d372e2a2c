package neo4jstore

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// writer runs a commit's statements, stopping at the first error.
type writer struct {
	s    *Store
	ctx  context.Context
	tx   neo4j.ManagedTransaction
	refs refs // of the nodes read or created so far
	// stored holds the tallies of the relations the write read only some
	// evidence of.
	stored map[string]tally
	err    error
}

func (w *writer) unwind(cypher string, rows []map[string]any) {
	if w.err == nil && len(rows) > 0 {
		w.err = w.s.unwind(w.ctx, w.tx, cypher, rows)
	}
}

// query is unwind for a statement that returns records, passed to f.
func (w *writer) query(cypher string, rows []map[string]any, f func(*neo4j.Record)) {
	for i := 0; w.err == nil && i < len(rows); i += w.s.batch {
		var recs []*neo4j.Record
		recs, w.err = collect(w.ctx, w.tx, cypher, map[string]any{"rows": rows[i:min(i+w.s.batch, len(rows))]})
		for _, rec := range recs {
			f(rec)
		}
	}
}

func (w *writer) exec(cypher string, params map[string]any) {
	if w.err == nil {
		w.err = exec(w.ctx, w.tx, cypher, params)
	}
}

// lookup adds to w.refs the element ids of the nodes with the ids that it
// lacks. Apply has read them all already; edits and merges may not have.
func (w *writer) lookup(ids []string) {
	var need []string
	for _, id := range ids {
		if _, ok := w.refs[id]; !ok {
			need = append(need, id)
		}
	}
	if len(need) == 0 || w.err != nil {
		return
	}
	var recs []*neo4j.Record
	recs, w.err = collect(w.ctx, w.tx, "UNWIND $ids AS id MATCH (n:"+labelEntity+" {id: id}) RETURN id, elementId(n)",
		map[string]any{"ids": dedupe(need)})
	for _, rec := range recs {
		w.setRef(rec)
	}
}

// setRef records a record's (entity id, element id).
func (w *writer) setRef(rec *neo4j.Record) {
	id, _ := rec.Values[0].(string)
	eid, _ := rec.Values[1].(string)
	w.refs[id] = eid
}

// nodeRows are the rows of statements that link key nodes to entity
// nodes, both by element id. A node without one (an id nothing has) is
// left out, as a MATCH by id would find nothing.
func (w *writer) nodeRows(links []link, keyRefs refs) []map[string]any {
	rows := make([]map[string]any, 0, len(links))
	for _, l := range links {
		k, ok1 := keyRefs[l.key]
		n, ok2 := w.refs[l.id]
		if ok1 && ok2 {
			rows = append(rows, map[string]any{"key": k, "node": n})
		}
	}
	return rows
}

// link is a search key of an entity.
type link struct{ id, key string }

// nodes creates and updates entity nodes and keeps their search keys in
// step: only keys that came or went are touched, so that writers rarely
// contend on the shared key nodes. Nodes are created with CREATE and their
// links too, as the plan knows they are new; key nodes are merged, once
// each, as other entities may have them already.
func (w *writer) nodes(creates, updates []nodeWrite) {
	byKind := map[graph.Kind][]map[string]any{}
	var delKeys []map[string]any
	var created, added []link
	var gone []string
	for _, n := range creates {
		p := nodeProps(n.e, n.doc)
		byKind[n.e.Kind] = append(byKind[n.e.Kind], map[string]any{"id": n.e.ID, "props": map[string]any(p)})
		for _, k := range graph.EntityIndexKeys(n.e) {
			created = append(created, link{n.e.ID, k})
		}
	}
	var rows []map[string]any
	var ids []string
	for _, n := range updates {
		p := nodeProps(n.e, n.doc)
		rows = append(rows, map[string]any{"id": n.e.ID, "props": map[string]any(p)})
		ids = append(ids, n.e.ID)
		if slices.Equal(n.old.Names(), n.e.Names()) {
			continue
		}
		oldKeys, newKeys := graph.EntityIndexKeys(n.old), graph.EntityIndexKeys(n.e)
		for _, k := range minus(newKeys, oldKeys) {
			added = append(added, link{n.e.ID, k})
		}
		if del := minus(oldKeys, newKeys); len(del) > 0 {
			delKeys = append(delKeys, map[string]any{"id": n.e.ID, "keys": del})
			gone = append(gone, del...)
		}
	}
	for _, k := range graph.Kinds {
		w.query("UNWIND $rows AS row CREATE (n:"+labelEntity+":"+kindLabel(k)+") SET n = row.props RETURN row.id, elementId(n)",
			byKind[k], w.setRef)
	}
	w.lookup(ids)
	for _, row := range rows {
		row["node"] = w.refs[row["id"].(string)]
	}
	w.unwind("UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.node SET n = row.props", rows)
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) UNWIND row.keys AS k "+
		"MATCH (:"+labelNameKey+" {key: k})-[l:"+relNames+"]->(n) DELETE l", delKeys)

	var keys []map[string]any
	seen := map[string]bool{}
	for _, l := range slices.Concat(created, added) {
		if !seen[l.key] {
			seen[l.key] = true
			keys = append(keys, map[string]any{"key": l.key})
		}
	}
	keyRefs := refs{}
	w.query("UNWIND $rows AS row MERGE (nk:"+labelNameKey+" {key: row.key}) RETURN row.key, elementId(nk)", keys,
		func(rec *neo4j.Record) {
			k, _ := rec.Values[0].(string)
			eid, _ := rec.Values[1].(string)
			keyRefs[k] = eid
		})
	w.unwind("UNWIND $rows AS row MATCH (nk) WHERE elementId(nk) = row.key MATCH (n) WHERE elementId(n) = row.node "+
		"CREATE (nk)-[:"+relNames+"]->(n)", w.nodeRows(created, keyRefs))
	// An update's new keys are merged: a link the old names did not
	// give may still be there if the key rules changed since.
	w.unwind("UNWIND $rows AS row MATCH (nk) WHERE elementId(nk) = row.key MATCH (n) WHERE elementId(n) = row.node "+
		"MERGE (nk)-[:"+relNames+"]->(n)", w.nodeRows(added, keyRefs))
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
		delete(w.refs, e.ID)
		keys = append(keys, graph.EntityIndexKeys(e)...)
	}
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) DETACH DELETE n", rows)
	w.dropOrphanKeys(keys)
}

// relations deletes, creates and updates relationships, one statement per
// relation type: Cypher takes the type only as a literal. A relationship is
// created between nodes found by element id, with its properties written
// out in the pattern (relKeys): given as one map, which Cypher cannot
// check against the ids the statement reads, they would make it collect
// every row before writing any (an Eager operator). Their evidence is
// written beside them (lists).
func (w *writer) relations(deletes, creates []*graph.Relation, updates []relWrite) {
	ends := make([]string, 0, 2*len(creates))
	for _, r := range creates {
		ends = append(ends, r.From, r.To)
	}
	w.lookup(ends)
	for _, t := range graph.RelTypes {
		typ := relTypes([]graph.RelType{t})
		var del, cre, upd []map[string]any
		for _, r := range deletes {
			if r.Type == t {
				del = append(del, map[string]any{"id": r.ID})
			}
		}
		for _, r := range creates {
			if r.Type != t {
				continue
			}
			a, ok1 := w.refs[r.From]
			b, ok2 := w.refs[r.To]
			if ok1 && ok2 {
				cre = append(cre, map[string]any{"a": a, "b": b, "p": map[string]any(relProps(r, tallyOf(r.Evidence)))})
			}
		}
		for _, u := range updates {
			if u.rel.Type != t {
				continue
			}
			tl := w.tally(u)
			r := *u.rel
			tl.derive(&r)
			upd = append(upd, map[string]any{"id": r.ID, "props": map[string]any(relProps(&r, tl))})
		}
		w.unwind("UNWIND $rows AS row MATCH ()-[r:"+typ+" {id: row.id}]->() "+relIndex(typ)+" DELETE r", del)
		w.unwind("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a MATCH (b) WHERE elementId(b) = row.b "+
			"CREATE (a)-[:"+typ+" "+relPattern+"]->(b)", cre)
		w.unwind("UNWIND $rows AS row MATCH ()-[r:"+typ+" {id: row.id}]->() "+relIndex(typ)+" SET r = row.props", upd)
	}
}

// tally is the tally of an updated relation's whole evidence. For one
// read whole, that is its evidence's; for one read in part, the stored
// tally with the change made to the part; and where that cannot give the
// dates, the rest of the evidence is read after all.
func (w *writer) tally(u relWrite) tally {
	stored, partial := w.stored[u.rel.ID]
	if !partial {
		return tallyOf(u.rel.Evidence)
	}
	if t, ok := updatedTally(stored, u.old.Evidence, u.rel.Evidence); ok {
		return t
	}
	if w.err != nil {
		return tally{}
	}
	var recs []*neo4j.Record
	recs, w.err = collect(w.ctx, w.tx, "MATCH (ev:"+labelEvidence+" {relation: $id}) RETURN collect(ev.items)", map[string]any{"id": u.rel.ID})
	if w.err != nil || len(recs) == 0 {
		return tally{}
	}
	all, err := decodeEvidence(recs[0].Values[0])
	if err != nil {
		w.err = errorf("evidence of %s: %v", u.rel.ID, err)
		return tally{}
	}
	read := make(map[string]bool, len(u.old.Evidence))
	for _, e := range u.old.Evidence {
		read[e.ID] = true
	}
	whole := slices.DeleteFunc(all, func(e graph.Evidence) bool { return read[e.ID] })
	return tallyOf(append(whole, u.rel.Evidence...))
}

// relIndex is the hint that makes a statement find relationships of type
// typ by id with a seek in the type's id index, one per row. Without it,
// Neo4j has been seen to plan a scan of the whole index, filtered by id,
// for every row (BenchmarkApply at 110,000 relations ran 10 to 20 times
// slower, and did so again on later runs while the plan was cached), and
// a plain USING INDEX still lets it scan.
func relIndex(typ string) string {
	return "USING INDEX SEEK r:" + typ + "(id)"
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

// unredirect undoes a merge's redirect: the dropped id is an entity again,
// and the ids merged into it before, which the merge sent on to the kept
// entity, lead to it again. The record goes with the redirect.
func (w *writer) unredirect(rec *graph.MergeRecord) {
	params := map[string]any{"drop": rec.Drop, "keep": rec.Keep, "from": rec.Dropped.MergedFrom}
	if params["from"] == nil {
		params["from"] = []string{}
	}
	w.exec("MATCH (rd:"+labelRedirect+" {from: $drop}) DELETE rd", params)
	w.exec("UNWIND $from AS f MATCH (rd:"+labelRedirect+" {from: f}) WHERE rd.to = $keep SET rd.to = $drop", params)
}

// audit appends an analyst's edit to the audit log and moves its counter
// on. The record is stored whole as JSON; seq, entity, into and at are
// there to find it by.
func (w *writer) audit(rec *graph.AuditRecord) {
	b, err := json.Marshal(rec)
	if err != nil {
		w.err = &graph.Error{Code: graph.Internal, Message: "cannot encode the audit record", Err: err}
		return
	}
	p := props{"seq": int64(rec.Seq), "entity": rec.Entity, "at": rec.At, "record": string(b)}
	p.str("into", rec.Into)
	w.exec("CREATE (a:"+labelAudit+") SET a = $props", map[string]any{"props": map[string]any(p)})
	w.exec("MATCH (m:"+labelMeta+" {name: 'changes'}) SET m.audit = $seq", map[string]any{"seq": int64(rec.Seq)})
}

// changes appends the change feed entries and moves the counter on.
func (w *writer) changes(cs []graph.Change, seq int64, evidence int) {
	rows := make([]map[string]any, len(cs))
	for i, c := range cs {
		rows[i] = changeProps(c)
	}
	// The properties written out, not SET c = row: setting a map looks up
	// every key of it for every row.
	w.unwind("UNWIND $rows AS row CREATE (:"+labelChange+" {seq: row.seq, op: row.op, object: row.object, id: row.id, into: row.into, at: row.at})", rows)
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
