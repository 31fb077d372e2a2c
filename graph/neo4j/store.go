// Package neo4jstore is the graph.Store on Neo4j 5 (5.21 or later, for
// SHORTEST k), through the official Go driver over Bolt. It is the
// production backend: the graph lives in Neo4j as plain labelled nodes and
// typed relationships that analysts can query with Cypher (SCHEMA.md), and
// several polgraph replicas may share one database.
//
// It is a translator only. The rules (validation, upserts, merges, search
// scoring, windows, cursors) come from package graph, so that it gives the
// same answers as graph/memstore; graph/storetest holds both to that.
// Nothing but this package imports the driver, and no Cypher here is built
// from user input: values travel as parameters, and labels and relationship
// types come from the closed vocabularies graph.Kinds and graph.RelTypes.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	neo4jlog "github.com/neo4j/neo4j-go-driver/v5/neo4j/log"

	"github.com/polgraph/polgraph/graph"
)

// Config says where Neo4j is and how to use it.
type Config struct {
	URI, User, Password, Database string        // Database "" → "neo4j"
	BatchSize                     int           // rows per UNWIND statement; 0 → 1000
	QueryTimeout                  time.Duration // per transaction, less if the call's deadline is sooner; 0 → 30s
	// MaxConnections bounds the driver's pool of Bolt connections; 0 →
	// DefaultMaxConnections. Calls past it wait for a connection (up to
	// QueryTimeout) rather than open another.
	MaxConnections int
	Logger         *slog.Logger // nil: discard
}

// Defaults of Config.
const (
	DefaultDatabase     = "neo4j"
	DefaultBatchSize    = 1000
	DefaultQueryTimeout = 30 * time.Second
	// DefaultMaxConnections is below the driver's 100 because every pooled
	// connection keeps the buffers of the largest message it has carried
	// (an entity's mention list, a relation's evidence), for its life:
	// polgraph's memory is about connections × largest message, so the
	// pool is sized to what one Neo4j serves at once, not to the number of
	// requests that may be waiting. Raise it for a large Neo4j or a
	// cluster, where more transactions run in parallel.
	DefaultMaxConnections = 32
	// connectionLifetime retires a connection, and the buffers it grew,
	// after this long; the driver's default is an hour. Opening one again
	// is a Bolt handshake, a millisecond on a LAN.
	connectionLifetime = 5 * time.Minute
)

// Store is the Neo4j graph.Store. It is safe for concurrent use: every call
// opens its own session on the one driver.
type Store struct {
	driver  neo4j.DriverWithContext
	marks   neo4j.BookmarkManager // shared by every session: read your writes, also on a cluster
	db      string
	batch   int
	timeout time.Duration
	log     *slog.Logger
	boltLog neo4jlog.BoltLogger // nil but in tests, which read the timeouts sent

	migrateMu sync.Mutex
	migrated  atomic.Bool
	closed    atomic.Bool
}

var _ graph.Store = (*Store)(nil)

// Open creates the driver and, if Neo4j answers, runs the schema migrations.
// It does not fail because Neo4j is down, so that a server can start and
// report itself not ready: the migrations are then retried before each call
// until they succeed, and calls fail with graph.Unavailable meanwhile. Open
// fails only for a configuration it cannot use (graph.Invalid).
func Open(ctx context.Context, cfg Config) (*Store, error) {
	u, err := url.Parse(cfg.URI)
	if err != nil || u.Host == "" {
		return nil, graph.Errorf(graph.Invalid, "neo4j: %q is not a Bolt URI (bolt://host:7687, neo4j://host, neo4j+s://host)", redactURI(cfg.URI))
	}
	switch u.Scheme {
	case "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc":
	default:
		return nil, graph.Errorf(graph.Invalid, "neo4j: URI scheme %q is not one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc", u.Scheme)
	}
	s := &Store{db: cfg.Database, batch: cfg.BatchSize, timeout: cfg.QueryTimeout, log: cfg.Logger}
	if s.db == "" {
		s.db = DefaultDatabase
	}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	if s.timeout <= 0 {
		s.timeout = DefaultQueryTimeout
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	s.driver, err = neo4j.NewDriverWithContext(cfg.URI, auth, driverConfig(s.timeout, cfg.MaxConnections))
	if err != nil {
		return nil, &graph.Error{Code: graph.Invalid, Message: "neo4j: cannot create the driver", Err: err}
	}
	s.marks = neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{})
	if err := s.ensureSchema(ctx); err != nil {
		s.log.Warn("neo4j: not ready; will retry before each call", "uri", u.Redacted(), "err", err)
	}
	return s, nil
}

// driverConfig is how the store sets up the driver.
func driverConfig(timeout time.Duration, maxConnections int) func(*config.Config) {
	if maxConnections <= 0 {
		maxConnections = DefaultMaxConnections
	}
	return func(c *config.Config) {
		// The driver retries transactions that failed on a lost
		// connection or a transient error; bound that by the same limit
		// as one query, so that an outage surfaces as Unavailable within
		// it instead of after the driver's default 30s.
		c.MaxTransactionRetryTime = timeout
		c.ConnectionAcquisitionTimeout = timeout
		c.MaxConnectionPoolSize = maxConnections
		c.MaxConnectionLifetime = connectionLifetime
	}
}

// redactURI hides the user information of a URI that may not parse, so
// that an error about it never shows a password.
func redactURI(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = "xxxxx" + rest[at:]
	}
	if ok {
		return scheme + "://" + rest
	}
	return rest
}

// Ready reports whether the store can serve: Neo4j answers and the schema
// migrations are done. It returns graph.Unavailable otherwise.
func (s *Store) Ready(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return s.translate(ctx, err)
	}
	// Not ready is not ready: a migration that fails while Neo4j is
	// still bringing its database or indexes online is a 503 to a load
	// balancer, not a 500.
	err := s.ensureSchema(ctx)
	if err == nil || graph.Is(err, graph.Unavailable) || ctx.Err() != nil {
		return err
	}
	s.log.Warn("neo4j: not ready: the schema migrations failed", "err", err)
	return &graph.Error{Code: graph.Unavailable, Message: "the graph database's schema is not ready", Err: err}
}

// Close closes the driver. Calls after the first return nil, and every other
// method then fails with graph.Unavailable.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	// Not the caller's context: a cancelled one would leave connections
	// behind (driver PR #430).
	if err := s.driver.Close(context.Background()); err != nil {
		return &graph.Error{Code: graph.Internal, Message: "neo4j: closing the driver failed", Err: err}
	}
	return nil
}

var errClosed = graph.Errorf(graph.Unavailable, "the store is closed")

// begin checks what every call checks first: the context, that the store
// is open, and that the schema is in place.
func (s *Store) begin(ctx context.Context) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if s.closed.Load() {
		return errClosed
	}
	return s.ensureSchema(ctx)
}

// ensureSchema runs the migrations once per process, after the first
// successful contact with Neo4j.
func (s *Store) ensureSchema(ctx context.Context) error {
	if s.migrated.Load() {
		return nil
	}
	s.migrateMu.Lock()
	defer s.migrateMu.Unlock()
	if s.migrated.Load() {
		return nil
	}
	// VerifyConnectivity fails at once when Neo4j is down, where a
	// transaction would be retried until the timeout.
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return s.translate(ctx, err)
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	s.migrated.Store(true)
	return nil
}

// work is a transaction function: it may run more than once, so it
// computes everything from what it reads in its transaction.
type work func(ctx context.Context, tx neo4j.ManagedTransaction) error

// read runs f in a read transaction (routed to a secondary in a cluster).
func (s *Store) read(ctx context.Context, f work) error {
	return s.transact(ctx, neo4j.AccessModeRead, f)
}

// write runs f in a write transaction.
func (s *Store) write(ctx context.Context, f work) error {
	return s.transact(ctx, neo4j.AccessModeWrite, f)
}

// transact runs f in a transaction whose Neo4j timeout is txTimeout's, so
// that Neo4j itself stops work nobody waits for any more. (The driver sets
// the timeout once for all its attempts: a retry may be given more time
// than is left, and the context's deadline then ends it on the client,
// which closes the connection and so the server's transaction.)
func (s *Store) transact(ctx context.Context, mode neo4j.AccessMode, f work) error {
	timeout, err := txTimeout(ctx, s.timeout)
	if err != nil {
		return err
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode, BookmarkManager: s.marks,
		BoltLogger: s.boltLog})
	defer sess.Close(context.Background())
	fn := func(tx neo4j.ManagedTransaction) (any, error) { return nil, f(ctx, tx) }
	start := time.Now()
	if mode == neo4j.AccessModeRead {
		_, err = sess.ExecuteRead(ctx, fn, neo4j.WithTxTimeout(timeout))
	} else {
		_, err = sess.ExecuteWrite(ctx, fn, neo4j.WithTxTimeout(timeout))
	}
	if errors.Is(err, errRollback) {
		return nil
	}
	return s.translateTx(ctx, err, time.Since(start) >= timeout)
}

// txTimeout is the Neo4j transaction timeout of a call: the store's
// (Config.QueryTimeout), or the time left before the context's deadline if
// that is sooner. A deadline already passed, or less than the millisecond
// Neo4j counts in away, is Timeout at once: a timeout of 0 would mean none.
func txTimeout(ctx context.Context, limit time.Duration) (time.Duration, error) {
	d, ok := ctx.Deadline()
	if !ok {
		return limit, nil
	}
	left := time.Until(d)
	if left < time.Millisecond {
		if err := ctxErr(ctx); err != nil {
			return 0, err
		}
		return 0, &graph.Error{Code: graph.Timeout, Message: "the request's time limit ran out", Err: context.DeadlineExceeded}
	}
	return min(limit, left), nil
}

// collect runs one statement and returns all its records.
func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// exec runs one statement for its effect.
func exec(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// unwind runs a statement that reads its rows from $rows, BatchSize rows at
// a time: one round trip and one cached plan per batch instead of per row.
func (s *Store) unwind(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []map[string]any) error {
	for i := 0; i < len(rows); i += s.batch {
		if err := exec(ctx, tx, cypher, map[string]any{"rows": rows[i:min(i+s.batch, len(rows))]}); err != nil {
			return err
		}
	}
	return nil
}

func checkID(id, param string) error {
	if !graph.ValidID(id) {
		return &graph.Error{Code: graph.Invalid, Message: param + " must be an id (a UUID)", Param: param}
	}
	return nil
}

func notFound(what, id string) error {
	return graph.Errorf(graph.NotFound, "no %s has id %s", what, id)
}

func errorf(format string, args ...any) error {
	return &graph.Error{Code: graph.Internal, Message: "neo4j: the stored graph is not in the expected form", Err: fmt.Errorf(format, args...)}
}
