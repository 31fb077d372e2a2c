package neo4jstore_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
	"github.com/polgraph/polgraph/ingest"
)

// corpusBatch extracts the shared corpus (27 real reports, read from
// ../shared, never copied into the repository) into one batch.
func corpusBatch(b *testing.B) *graph.Batch {
	b.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "articles")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			b.Fatalf("CI is set but the corpus is missing at %s", dir)
		}
		b.Skip("the shared corpus is not here")
	}
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var all graph.Batch
	for _, f := range files {
		arts, err := ingest.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range arts {
			batch, err := pipe.Extract(bg, a)
			if err != nil {
				b.Fatal(err)
			}
			all.Add(*batch)
		}
	}
	return &all
}

// BenchmarkApplyCorpus writes what polgraph extracts from the shared corpus
// into an empty database, batched and one row per statement.
func BenchmarkApplyCorpus(b *testing.B) {
	batch := corpusBatch(b)
	for _, size := range []int{neo4jstore.DefaultBatchSize, 1} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			cfg := testConfig(b)
			cfg.BatchSize = size
			cfg.QueryTimeout = 10 * time.Minute
			var elapsed time.Duration
			for range b.N {
				b.StopTimer()
				s := open(b, cfg)
				b.StartTimer()
				start := time.Now()
				if _, err := s.Apply(bg, batch); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				b.StopTimer()
				s.Close()
			}
			b.ReportMetric(float64(len(batch.Relations)*b.N)/elapsed.Seconds(), "relations/s")
			b.ReportMetric(float64(len(batch.Relations)), "relations")
		})
	}
}
