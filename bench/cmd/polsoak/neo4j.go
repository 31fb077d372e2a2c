package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

type neo4jConfig struct{ uri, user, password string }

// lockNeo4j takes the lock internal/neo4jtest's tests and
// scripts/schemathesis.sh take for a Neo4j (the same file, from the URI
// and NEO4J_DATABASE), so that a test does not wipe the database under the
// soak, nor the soak under a test. It waits while another holds it.
func lockNeo4j(c neo4jConfig) (unlock func(), err error) {
	sum := sha256.Sum256([]byte(c.uri + "\x00" + os.Getenv("NEO4J_DATABASE")))
	path := filepath.Join(os.TempDir(), "polgraph-neo4j-"+hex.EncodeToString(sum[:8])+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	logf("taking the Neo4j lock %s", path)
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func session(ctx context.Context, c neo4jConfig) (neo4j.SessionWithContext, func(), error) {
	auth := neo4j.NoAuth()
	if c.user != "" {
		auth = neo4j.BasicAuth(c.user, c.password, "")
	}
	d, err := neo4j.NewDriverWithContext(c.uri, auth)
	if err != nil {
		return nil, nil, err
	}
	db := os.Getenv("NEO4J_DATABASE")
	if db == "" {
		db = neo4jstore.DefaultDatabase
	}
	sess := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db})
	return sess, func() { sess.Close(ctx); d.Close(ctx) }, nil
}

// prepareNeo4j empties the database if wipe, and otherwise refuses one
// that holds data: the soak checks counts, and must not mix its graph into
// someone's.
func prepareNeo4j(ctx context.Context, c neo4jConfig, wipe bool) error {
	if wipe {
		return wipeNeo4j(ctx, c)
	}
	sess, done, err := session(ctx, c)
	if err != nil {
		return err
	}
	defer done()
	res, err := sess.Run(ctx, "MATCH (n) RETURN count(n) AS n", nil)
	if err != nil {
		return fmt.Errorf("counting Neo4j's nodes: %w", err)
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return fmt.Errorf("counting Neo4j's nodes: %w", err)
	}
	if n, _ := rec.Get("n"); n != int64(0) {
		return fmt.Errorf("Neo4j at %s holds %v nodes: pass -wipe to empty it (its data is lost), or give an empty one", c.uri, n)
	}
	return nil
}

// wipeNeo4j deletes every node and relationship; the schema stays.
func wipeNeo4j(ctx context.Context, c neo4jConfig) error {
	sess, done, err := session(ctx, c)
	if err != nil {
		return err
	}
	defer done()
	if err := neo4jtest.WipeSession(ctx, sess); err != nil {
		return fmt.Errorf("wiping Neo4j: %w", err)
	}
	return nil
}
