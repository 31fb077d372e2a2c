package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// ReadForApply returns what Apply would read of the stored graph to plan
// b: the entities and relations of its source.
func ReadForApply(ctx context.Context, s *Store, b *graph.Batch) (map[string]*graph.Entity, map[string]*graph.Relation, error) {
	var ents map[string]*graph.Entity
	var rels map[string]*graph.Relation
	err := s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		src, err := readBatch(ctx, tx, b)
		if err == nil {
			ents, rels = src.ents, src.rels
		}
		return err
	})
	return ents, rels, err
}
