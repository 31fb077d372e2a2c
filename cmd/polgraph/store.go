package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
)

// neo4jOptions configure the Neo4j backend. Besides POLGRAPH_NEO4J_*, they
// read the variable names Neo4j's own tools use (NEO4J_URI, NEO4J_USERNAME,
// NEO4J_PASSWORD, NEO4J_DATABASE), so one environment serves both.
type neo4jOptions struct {
	uri, user, password, database string
	batchSize, maxConnections     int
	queryTimeout                  time.Duration
}

func (o *neo4jOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.uri, "neo4j-uri", "bolt://127.0.0.1:7687", "Neo4j URI: bolt://, neo4j:// (cluster routing) or neo4j+s:// (Aura, TLS) (env NEO4J_URI)")
	fs.StringVar(&o.user, "neo4j-user", "", "Neo4j user; empty for a server without auth (env NEO4J_USERNAME)")
	fs.StringVar(&o.password, "neo4j-password", "", "Neo4j password (env NEO4J_PASSWORD; prefer the environment to the command line)")
	fs.StringVar(&o.database, "neo4j-database", "neo4j", "Neo4j database (env NEO4J_DATABASE)")
	fs.IntVar(&o.batchSize, "neo4j-batch-size", 1000, "rows per write statement")
	fs.DurationVar(&o.queryTimeout, "neo4j-timeout", 30*time.Second, "server-side limit on each transaction")
	fs.IntVar(&o.maxConnections, "neo4j-max-connections", neo4jstore.DefaultMaxConnections,
		"Bolt connections in the driver's pool; calls past it wait for one (each keeps buffers as large as the largest message it carried)")
}

// neo4jEnv maps flags to the names Neo4j's tools use; POLGRAPH_NEO4J_* is
// read first by applyEnv, so it wins.
var neo4jEnv = map[string]string{
	"neo4j-uri":      "NEO4J_URI",
	"neo4j-user":     "NEO4J_USERNAME",
	"neo4j-password": "NEO4J_PASSWORD",
	"neo4j-database": "NEO4J_DATABASE",
}

func (o *neo4jOptions) applyEnv(fs *pflag.FlagSet, getenv func(string) string) error {
	for flag, env := range neo4jEnv {
		f := fs.Lookup(flag)
		if f == nil || f.Changed {
			continue
		}
		if v := getenv(env); v != "" {
			if err := fs.Set(flag, v); err != nil {
				return fmt.Errorf("%s: %w", env, err)
			}
		}
	}
	return nil
}

func openStore(ctx context.Context, opts *options) (graph.Store, error) {
	switch opts.store {
	case "embedded", "":
		if err := os.MkdirAll(opts.dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
		s, err := memstore.Open(opts.dataDir)
		if err != nil {
			return nil, fmt.Errorf("open embedded store in %s: %w", opts.dataDir, err)
		}
		return s, nil
	case "neo4j":
		o := opts.neo4j
		s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: o.uri, User: o.user, Password: o.password,
			Database: o.database, BatchSize: o.batchSize, QueryTimeout: o.queryTimeout,
			MaxConnections: o.maxConnections})
		if err != nil {
			return nil, fmt.Errorf("open Neo4j store at %s: %w", o.uri, err)
		}
		return s, nil
	default:
		return nil, fmt.Errorf("--store %q: use embedded or neo4j", opts.store)
	}
}
