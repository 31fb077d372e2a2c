package neo4jstore

import (
	"context"

	"github.com/polgraph/polgraph/graph"
)

// Edit implements graph.Store.
func (s *Store) Edit(ctx context.Context, e graph.Edit) (graph.AuditRecord, error) {
	return graph.AuditRecord{}, graph.Errorf(graph.Internal, "edit: not implemented yet")
}

// Audit implements graph.Store.
func (s *Store) Audit(ctx context.Context, q graph.AuditQuery) (graph.AuditPage, error) {
	return graph.AuditPage{Items: []graph.AuditRecord{}}, nil
}
