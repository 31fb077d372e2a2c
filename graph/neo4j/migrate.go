package neo4jstore

import (
	"context"
	"encoding/json"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// migrateLists takes a graph of schema version 2 to 3: the mentions and
// evidence JSON properties become :Mentions and :Evidence nodes, and each
// relation gains its confidence tally. It works a page at a time, each in
// one transaction that writes the nodes and removes the property, so a
// migration cut off part way goes on from where it stopped, and processes
// starting together write the same nodes. A graph without the old
// properties costs one query per relation type.
func (s *Store) migrateLists(ctx context.Context, sess neo4j.SessionWithContext) error {
	const page = 500
	params := map[string]any{"n": int64(page)}
	step := func(work func(tx neo4j.ManagedTransaction) (int, error)) error {
		for {
			n, err := neo4j.ExecuteWrite(ctx, sess, work, neo4j.WithTxTimeout(s.timeout))
			if err != nil || n < page {
				return err
			}
		}
	}
	err := step(func(tx neo4j.ManagedTransaction) (int, error) {
		recs, err := collect(ctx, tx, "MATCH (n:"+labelEntity+") WHERE n.mentions IS NOT NULL RETURN n.id, n.mentions LIMIT $n", params)
		if err != nil {
			return 0, err
		}
		lw := listWrites{nodes: mentionNodes}
		rows := make([]map[string]any, 0, len(recs))
		for _, rec := range recs {
			id, _ := rec.Values[0].(string)
			raw, _ := rec.Values[1].(string)
			var ms []graph.Mention
			if err := json.Unmarshal([]byte(raw), &ms); err != nil {
				return 0, errorf("mentions of entity %s: %v", id, err)
			}
			if err := addList(&lw, id, nil, ms, false, mentionDocument); err != nil {
				return 0, err
			}
			rows = append(rows, map[string]any{"id": id})
		}
		w := &writer{s: s, ctx: ctx, tx: tx}
		w.lists(&lw)
		w.unwind("UNWIND $rows AS row MATCH (n:"+labelEntity+" {id: row.id}) REMOVE n.mentions", rows)
		return len(recs), w.err
	})
	if err != nil {
		return err
	}
	for _, t := range graph.RelTypes {
		typ := relTypes([]graph.RelType{t})
		err := step(func(tx neo4j.ManagedTransaction) (int, error) {
			recs, err := collect(ctx, tx, "MATCH ()-[r:"+typ+"]->() WHERE r.evidence IS NOT NULL RETURN r.id, r.evidence LIMIT $n", params)
			if err != nil {
				return 0, err
			}
			lw := listWrites{nodes: evidenceNodes}
			rows := make([]map[string]any, 0, len(recs))
			for _, rec := range recs {
				id, _ := rec.Values[0].(string)
				raw, _ := rec.Values[1].(string)
				var ev []graph.Evidence
				if err := json.Unmarshal([]byte(raw), &ev); err != nil {
					return 0, errorf("evidence of relation %s: %v", id, err)
				}
				if err := addList(&lw, id, nil, ev, false, evidenceDocument); err != nil {
					return 0, err
				}
				values, counts := tallyOf(ev).lists()
				rows = append(rows, map[string]any{"id": id, "values": values, "counts": counts})
			}
			w := &writer{s: s, ctx: ctx, tx: tx}
			w.lists(&lw)
			w.unwind("UNWIND $rows AS row MATCH ()-[r:"+typ+" {id: row.id}]->() "+relIndex(typ)+
				" SET r.confidence_values = row.values, r.confidence_counts = row.counts REMOVE r.evidence, r.evidence_documents", rows)
			return len(recs), w.err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
