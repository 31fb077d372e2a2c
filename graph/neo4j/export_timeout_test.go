package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	neo4jlog "github.com/neo4j/neo4j-go-driver/v5/neo4j/log"
)

// This file lends the package's external tests (timeout_test.go) what
// they need to give the store work that outlasts a deadline and to see the
// transaction timeouts it sends.

// ReadForTest runs one statement in a read transaction of the store, the
// way its own reads run (with their transaction timeout and translation).
func (s *Store) ReadForTest(ctx context.Context, cypher string) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	return s.read(ctx, func(ctx context.Context, tx neo4j.ManagedTransaction) error {
		return exec(ctx, tx, cypher, nil)
	})
}

// SetBoltLoggerForTest has l see the Bolt messages of the store's
// transactions from now on. Call it before the store is in use.
func (s *Store) SetBoltLoggerForTest(l neo4jlog.BoltLogger) { s.boltLog = l }
