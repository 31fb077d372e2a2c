package main

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/bench/synth"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// wipe empties Neo4j's database (the schema stays), so an Apply is timed
// on an empty store; the embedded store starts in an empty directory.
func wipe(ctx context.Context, c config, store string) error {
	if store != "neo4j" {
		return nil
	}
	auth := neo4j.NoAuth()
	if c.neo4jUser != "" {
		auth = neo4j.BasicAuth(c.neo4jUser, c.neo4jPass, "")
	}
	d, err := neo4j.NewDriverWithContext(c.neo4jURI, auth)
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	sess := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jstore.DefaultDatabase})
	defer sess.Close(ctx)
	if err := neo4jtest.WipeSession(ctx, sess); err != nil {
		return fmt.Errorf("wiping Neo4j: %w", err)
	}
	return nil
}

// neo4jBaseline fills an empty Neo4j with the same graph in turn with
// batched statements (the default) and with one row per statement, c.runs
// times each, alternating so that both see the same machine.
func neo4jBaseline(ctx context.Context, c config) (*Baseline, error) {
	b := &Baseline{Relations: c.baseline}
	cfg := synth.Config{Relations: c.baseline, Seed: c.seed, BatchItems: c.batch}
	for run := range c.applyRuns {
		for _, size := range []int{neo4jstore.DefaultBatchSize, 1} {
			if err := wipe(ctx, c, "neo4j"); err != nil {
				return nil, err
			}
			st, err := openStore(ctx, c, "neo4j", "", size)
			if err != nil {
				return nil, err
			}
			a, _, err := fill(ctx, st, cfg)
			st.Close()
			if err != nil {
				return nil, err
			}
			if size == 1 {
				b.PerRow = append(b.PerRow, a.RelationsPerS)
			} else {
				b.Batched = append(b.Batched, a.RelationsPerS)
			}
			logf("neo4j baseline run %d, %d rows per statement: %.0f relations/s", run+1, size, a.RelationsPerS)
		}
	}
	return b, nil
}
