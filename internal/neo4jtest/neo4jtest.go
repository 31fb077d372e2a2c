// Package neo4jtest gives tests of any package a graph store on the Neo4j
// that NEO4J_URI names (scripts/neo4j.sh start), wiped before and after.
// Neo4j Community has one database and `go test ./...` runs packages in
// parallel processes, so each store holds an exclusive file lock for the
// Neo4j's address while its test runs: tests of different packages take
// turns instead of wiping each other's data.
//
// Without NEO4J_URI the tests skip, unless CI is set: there a missing
// Neo4j is a failure, not a pass.
package neo4jtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
)

var bg = context.Background()

// Config returns the Config the environment names, or skips.
func Config(t testing.TB) neo4jstore.Config {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_URI is not set, and CI is: the Neo4j tests must run (scripts/neo4j.sh start)")
		}
		t.Skip("NEO4J_URI is not set: skipping the Neo4j tests")
	}
	return neo4jstore.Config{URI: uri, User: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE")}
}

// Session opens a plain driver session on the test database, as an
// analyst's tool would.
func Session(t testing.TB, cfg neo4jstore.Config) neo4j.SessionWithContext {
	t.Helper()
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	d, err := neo4j.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	db := cfg.Database
	if db == "" {
		db = neo4jstore.DefaultDatabase
	}
	sess := d.NewSession(bg, neo4j.SessionConfig{DatabaseName: db})
	t.Cleanup(func() {
		sess.Close(bg)
		d.Close(bg)
	})
	return sess
}

// Wipe deletes every node and relationship (the schema stays). Call it
// only while holding the lock (Open, Lock).
func Wipe(t testing.TB, cfg neo4jstore.Config) {
	t.Helper()
	if err := WipeSession(bg, Session(t, cfg)); err != nil {
		t.Fatalf("wiping the test database: %v", err)
	}
}

// WipeSession deletes every node and relationship of sess's database (the
// schema stays), in batches, so that a large graph does not need one
// transaction as large. The benchmark and soak commands wipe with it too.
func WipeSession(ctx context.Context, sess neo4j.SessionWithContext) error {
	res, err := sess.Run(ctx, "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return err
}

// Lock takes the database for the rest of the test. The lock is between
// processes: within one (one package's tests, which use Neo4j one after
// another and never in parallel) it is shared, so a subtest may open a
// store while its parent holds one.
func Lock(t testing.TB, cfg neo4jstore.Config) {
	t.Helper()
	held.Lock()
	defer held.Unlock()
	if held.count == 0 {
		sum := sha256.Sum256([]byte(cfg.URI + "\x00" + cfg.Database))
		path := filepath.Join(os.TempDir(), "polgraph-neo4j-"+hex.EncodeToString(sum[:8])+".lock")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			t.Fatalf("locking the test database: %v", err)
		}
		held.file = f
	}
	held.count++
	t.Cleanup(func() {
		held.Lock()
		defer held.Unlock()
		if held.count--; held.count == 0 {
			syscall.Flock(int(held.file.Fd()), syscall.LOCK_UN)
			held.file.Close()
			held.file = nil
		}
	})
}

// held is this process's hold on the lock.
var held struct {
	sync.Mutex
	count int
	file  *os.File
}

// Open returns a store on an empty database, closed and wiped when the
// test ends. Every store a test opens shares one database: a test that
// needs two Neo4j stores at once sees one graph.
func Open(t testing.TB, cfg neo4jstore.Config) *neo4jstore.Store {
	t.Helper()
	Lock(t, cfg)
	Wipe(t, cfg)
	s, err := neo4jstore.Open(bg, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		Wipe(t, cfg)
	})
	if err := s.Ready(bg); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	return s
}
