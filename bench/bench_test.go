// Package bench holds polgraph's benchmarks at scale: the Go benchmarks
// here, and polbench (bench/cmd/polbench), which adds the API, a load test
// and cold starts. Both run the same questions (bench/measure) on the same
// synthetic graph (bench/synth). docs/BENCHMARKS.md has the figures and the
// commands.
//
//	go test ./bench -run '^$' -bench . -benchtime 1x                  # 10,000 relations
//	POLGRAPH_BENCH_RELATIONS=100000 NEO4J_URI=bolt://127.0.0.1:7687 \
//	  go test ./bench -run '^$' -bench . -benchtime 1x -timeout 60m
package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/polgraph/polgraph/bench/measure"
	"github.com/polgraph/polgraph/bench/synth"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

var bg = context.Background()

// relations is the size of the graph, from POLGRAPH_BENCH_RELATIONS.
func relations(b *testing.B) int {
	n := 10000
	if v := os.Getenv("POLGRAPH_BENCH_RELATIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("POLGRAPH_BENCH_RELATIONS=%q is not a number of relations", v)
		}
	}
	return n
}

// stores gives, for each store the environment offers, a function that
// opens it empty: the embedded one in a new temporary directory, and Neo4j
// where NEO4J_URI names one (wiped; every store opened shares it).
func stores(b *testing.B, batchSize int) map[string]func() graph.Store {
	out := map[string]func() graph.Store{"embedded": func() graph.Store {
		s, err := memstore.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}}
	if os.Getenv("NEO4J_URI") != "" {
		cfg := neo4jtest.Config(b)
		cfg.BatchSize = batchSize
		out["neo4j"] = func() graph.Store { return neo4jtest.Open(b, cfg) }
	}
	return out
}

func generate(b *testing.B) ([]*graph.Batch, synth.Summary) {
	var batches []*graph.Batch
	sum, err := synth.Generate(bg, synth.Config{Relations: relations(b), Seed: 1}, func(x *graph.Batch) error {
		batches = append(batches, x)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return batches, sum
}

func fill(b *testing.B, st graph.Store, batches []*graph.Batch) {
	for _, x := range batches {
		if _, err := st.Apply(bg, x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApply fills an empty store with the synthetic graph, 5,000
// objects per Apply; relations/s is what counts. On Neo4j it runs batched
// (the default) and with one row per statement, the baseline.
func BenchmarkApply(b *testing.B) {
	batches, sum := generate(b)
	for _, mode := range []struct {
		name      string
		batchSize int
	}{{"", neo4jstore.DefaultBatchSize}, {"-per-row", 1}} {
		for name, open := range stores(b, mode.batchSize) {
			if mode.name != "" && name != "neo4j" {
				continue
			}
			b.Run(name+mode.name, func(b *testing.B) {
				var took time.Duration
				for range b.N {
					st := open()
					start := time.Now()
					fill(b, st, batches)
					took += time.Since(start)
					st.Close()
				}
				b.ReportMetric(float64(sum.Relations*b.N)/took.Seconds(), "relations/s")
			})
		}
	}
}

// BenchmarkQueries asks each question of the filled store, 500 times per
// iteration after 50 warm calls, and reports the percentiles of their
// latencies in milliseconds (ns/op is the time of the 500).
func BenchmarkQueries(b *testing.B) {
	batches, sum := generate(b)
	for name, open := range stores(b, neo4jstore.DefaultBatchSize) {
		st := open()
		fill(b, st, batches)
		for _, q := range measure.Queries(sum.Sample) {
			b.Run(fmt.Sprintf("%s/%s", name, q.Name), func(b *testing.B) {
				var l measure.Latency
				for range b.N {
					var err error
					if l, err = measure.Direct(bg, q, st, 500, 50); err != nil {
						b.Fatal(err)
					}
					if l.Errors > 0 {
						b.Fatalf("%d of %d calls failed", l.Errors, l.N)
					}
				}
				b.ReportMetric(l.P50, "p50-ms")
				b.ReportMetric(l.P95, "p95-ms")
				b.ReportMetric(l.P99, "p99-ms")
			})
		}
	}
}
