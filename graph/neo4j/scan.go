package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// Scan implements graph.Store. Each label and relationship type is read in
// pages by id (keyset paging on the id index each has), one read
// transaction per page, and fn is called outside the transaction so that a
// retried page never calls it twice.
func (s *Store) Scan(ctx context.Context, fn func(graph.Object) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	// pages reads cypher page by page; it returns the records' objects and
	// the id the next page starts after.
	pages := func(cypher string, decode func(*neo4j.Record) (graph.Object, string, error)) error {
		after := ""
		for {
			var objs []graph.Object
			err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
				objs = objs[:0]
				recs, err := collect(ctx, tx, cypher, map[string]any{"after": after, "n": graph.ScanPage})
				if err != nil {
					return err
				}
				for _, rec := range recs {
					o, id, err := decode(rec)
					if err != nil {
						return err
					}
					objs = append(objs, o)
					after = id
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, o := range objs {
				if err := fn(o); err != nil {
					return err
				}
			}
			if len(objs) < graph.ScanPage {
				return nil
			}
		}
	}
	err := pages("MATCH (n:"+string(graph.KindDocument)+") WHERE n.id > $after RETURN n ORDER BY n.id LIMIT $n",
		func(rec *neo4j.Record) (graph.Object, string, error) {
			n, ok := rec.Values[0].(neo4j.Node)
			if !ok {
				return graph.Object{}, "", errorf("expected a node, got %T", rec.Values[0])
			}
			d, err := decodeDocument(n.Props)
			return graph.Object{Document: &d}, d.ID, err
		})
	if err != nil {
		return err
	}
	for _, k := range graph.Kinds {
		if k == graph.KindDocument {
			continue
		}
		err := pages("MATCH (n:"+string(k)+") WHERE n.id > $after RETURN "+entityProjection("n")+" ORDER BY n.id LIMIT $n",
			func(rec *neo4j.Record) (graph.Object, string, error) {
				m, _ := rec.Values[0].(map[string]any)
				e, err := decodeEntity(m)
				return graph.Object{Entity: &e}, e.ID, err
			})
		if err != nil {
			return err
		}
	}
	for _, t := range graph.RelTypes {
		err := pages("MATCH (a)-[r:"+relTypes([]graph.RelType{t})+"]->(b) WHERE r.id > $after "+
			"WITH r, a, b ORDER BY r.id LIMIT $n RETURN r, a.id, b.id, "+evidenceOf("r"),
			func(rec *neo4j.Record) (graph.Object, string, error) {
				r, err := decodeRelation(rec.Values[0], rec.Values[1], rec.Values[2], rec.Values[3])
				return graph.Object{Relation: &r}, r.ID, err
			})
		if err != nil {
			return err
		}
	}
	return nil
}
