package neo4jstore_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/polgraph/polgraph/bench/measure"
	"github.com/polgraph/polgraph/bench/synth"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
)

// BenchmarkSynthQueries times polbench's four questions (bench/measure) as
// store calls on a synthetic graph already in Neo4j, as `polgraph gen
// --summary FILE` leaves it; it reads and never wipes, so that a graph of
// a million relations, which takes minutes to load, serves many runs and
// profiles:
//
//	polgraph gen --store neo4j --neo4j-uri $NEO4J_URI --relations 1000000 --summary /tmp/s1m.json
//	POLGRAPH_SYNTH_SUMMARY=/tmp/s1m.json NEO4J_URI=... go test ./graph/neo4j -run '^$' \
//	    -bench SynthQueries -benchtime 300x -cpuprofile cpu.out
//
// Each iteration asks about the next sampled entity, so percentiles cover
// hubs and typical actors in the proportions polbench uses.
func BenchmarkSynthQueries(b *testing.B) {
	file := os.Getenv("POLGRAPH_SYNTH_SUMMARY")
	if file == "" || os.Getenv("NEO4J_URI") == "" {
		b.Skip("set POLGRAPH_SYNTH_SUMMARY (a polgraph gen --summary file) and NEO4J_URI")
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	var sum synth.Summary
	if err := json.Unmarshal(raw, &sum); err != nil {
		b.Fatal(err)
	}
	cfg := testConfig(b)
	cfg.QueryTimeout = time.Minute
	s, err := neo4jstore.Open(bg, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, q := range measure.Queries(sum.Sample) {
		b.Run(q.Name, func(b *testing.B) {
			var ds []time.Duration
			for i := range b.N {
				start := time.Now()
				if err := q.Store(bg, s, i); err != nil {
					b.Fatalf("%s %d: %v", q.Name, i, err)
				}
				ds = append(ds, time.Since(start))
			}
			l := measure.Summarise(ds, 0)
			b.ReportMetric(l.P50, "p50-ms")
			b.ReportMetric(l.P95, "p95-ms")
			b.ReportMetric(l.P99, "p99-ms")
		})
	}
}
