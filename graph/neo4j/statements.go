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
	s   *Store
	ctx context.Context
	tx  neo4j.ManagedTransaction
	err error
}

func (w *writer) unwind(cypher string, rows []map[string]any) {
	if w.err == nil && len(rows) > 0 {
		w.err = w.s.unwind(w.ctx, w.tx, cypher, rows)
	}
}

func (w *writer) exec(cypher string, params map[string]any) {
	if w.err == nil {
		w.err = exec(w.ctx, w.tx, cypher, params)
	}
}

// nodes creates and updates entity nodes and keeps their search keys in
// step: only keys that came or went are touched, so that writers rarely
// contend on the shared key nodes.
func (w *writer) nodes(creates, updates []nodeWrite) {
	byKind := map[graph.Kind][]map[string]any{}
	var addKeys, delKeys []map[string]any
	var gone []string
	for _, n := range creates {
		p, err := nodeProps(n.e, n.doc)
		if err != nil {
			w.err = err
			return
		}
		byKind[n.e.Kind] = append(byKind[n.e.Kind], map[string]any{"props": map[string]any(p)})
		if keys := graph.EntityIndexKeys(n.e); len(keys) > 0 {
			addKeys = append(addKeys, map[string]any{"id": n.e.ID, "keys": keys})
		}
	}
	var rows []map[string]any
	for _, n := range updates {
		p, err := nodeProps(n.e, n.doc)
		if err != nil {
			w.err = err
			return
		}
		rows = append(rows, map[string]any{"id": n.e.ID, "props": map[string]any(p)})
		if slices.Equal(n.old.Names(), n.e.Names()) {
			continue
		}
		oldKeys, newKeys := graph.EntityIndexKeys(n.old), graph.EntityIndexKeys(n.e)
		if add := minus(newKeys, oldKeys); len(add) > 0 {
			addKeys = append(addKeys, map[string]any{"id": n.e.ID, "keys": add})
		}
		if del := minus(oldKeys, newKeys); len(del) > 0 {
			delKeys = append(delKeys, map[string]any{"id": n.e.ID, "keys": del})
			gone = append(gone, del...)
		}
	}
	for _, k := range graph.Kinds {
		w.unwind("UNWIND $rows AS row CREATE (n:"+labelEntity+":"+kindLabel(k)+") SET n = row.props", byKind[k])
	}
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) SET n = row.props", rows)
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) UNWIND row.keys AS k "+
		"MATCH (:"+labelNameKey+" {key: k})-[l:"+relNames+"]->(n) DELETE l", delKeys)
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) UNWIND row.keys AS k "+
		"MERGE (nk:"+labelNameKey+" {key: k}) MERGE (nk)-[:"+relNames+"]->(n)", addKeys)
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
		keys = append(keys, graph.EntityIndexKeys(e)...)
	}
	w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) DETACH DELETE n", rows)
	w.dropOrphanKeys(keys)
}

// relations deletes, creates and updates relationships, one statement per
// relation type: Cypher takes the type only as a literal.
func (w *writer) relations(deletes, creates, updates []*graph.Relation) {
	for _, t := range graph.RelTypes {
		typ := relTypes([]graph.RelType{t})
		var del, cre, upd []map[string]any
		for _, r := range deletes {
			if r.Type == t {
				del = append(del, map[string]any{"id": r.ID})
			}
		}
		for _, group := range []struct {
			rels []*graph.Relation
			rows *[]map[string]any
		}{{creates, &cre}, {updates, &upd}} {
			for _, r := range group.rels {
				if r.Type != t {
					continue
				}
				p, err := relProps(r)
				if err != nil {
					w.err = err
					return
				}
				*group.rows = append(*group.rows, map[string]any{"id": r.ID, "from": r.From, "to": r.To, "props": map[string]any(p)})
			}
		}
		w.unwind("UNWIND $rows AS row MATCH ()-[r:"+typ+" {id: row.id}]->() DELETE r", del)
		w.unwind("UNWIND $rows AS row MATCH (a:"+labelEntity+" {id: row.from}) MATCH (b:"+labelEntity+" {id: row.to}) "+
			"CREATE (a)-[r:"+typ+"]->(b) SET r = row.props", cre)
		w.unwind("UNWIND $rows AS row MATCH ()-[r:"+typ+" {id: row.id}]->() SET r = row.props", upd)
	}
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
		rows[i] = map[string]any{"props": map[string]any(changeProps(c))}
	}
	w.unwind("UNWIND $rows AS row CREATE (c:"+labelChange+") SET c = row.props", rows)
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
