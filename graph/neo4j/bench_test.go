package neo4jstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
)

// Benchmarks against a real Neo4j (NEO4J_URI, which they wipe). Run them
// one at a time, e.g.
//
//	NEO4J_URI=bolt://127.0.0.1:7687 go test ./graph/neo4j -run '^$' -bench . -benchtime 3x
//
// The synthetic graph is memstore's: 1,000 persons taking part in 500 events
// in 20 places, every relation with one piece of evidence; 5,500 relations.
// POLGRAPH_BENCH_SCALE multiplies persons and events: 20 gives 110,000
// relations (docs/BENCHMARKS.md). POLGRAPH_BENCH_CHUNK is the number of
// items per Apply (default 5,000). Batched against one row per statement,
// side by side on the same data:
//
//	NEO4J_URI=... POLGRAPH_BENCH_SCALE=20 POLGRAPH_BENCH_CHUNK=5000 go test ./graph/neo4j \
//	    -run '^$' -bench 'BenchmarkApply$/batch=(1000|1)$' -benchtime 1x
var (
	benchScale   = envInt("POLGRAPH_BENCH_SCALE", 1)
	benchPersons = 1000 * benchScale
	benchEvents  = 500 * benchScale
)

const (
	benchPlaces  = 20
	benchPerPers = 5 // events per person
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

var benchDoc = graph.DocumentID("https://news.example/bench")

func benchID(kind graph.Kind, i int) string {
	return graph.EntityID(kind, fmt.Sprintf("bench %s %d", kind, i))
}

func benchRel(t graph.RelType, from, to, role string, start int) graph.Relation {
	r := graph.Relation{ID: graph.RelationID(t, from, to, role), Type: t, From: from, To: to, Role: role}
	r.Evidence = []graph.Evidence{{ID: graph.EvidenceID(r.ID, benchDoc, start, start+10), Document: benchDoc,
		Start: start, End: start + 10, Text: "0123456789", Rule: "bench", Confidence: 0.7, Date: "2025-10-20"}}
	return r
}

func benchGraph() *graph.Batch {
	rng := rand.New(rand.NewPCG(7, 7))
	b := &graph.Batch{Documents: []graph.Document{{ID: benchDoc, Title: "bench", Text: "0123456789"}}}
	for i := range benchPlaces {
		b.Entities = append(b.Entities, graph.Entity{ID: benchID(graph.KindPlace, i), Kind: graph.KindPlace,
			Name: fmt.Sprintf("Place %d", i)})
	}
	for i := range benchEvents {
		e := benchID(graph.KindEvent, i)
		b.Entities = append(b.Entities, graph.Entity{ID: e, Kind: graph.KindEvent, Name: fmt.Sprintf("Event %d", i),
			EventType: "meeting", Date: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)})
		b.Relations = append(b.Relations, benchRel(graph.OccurredIn, e, benchID(graph.KindPlace, i%benchPlaces), "", i))
	}
	for i := range benchPersons {
		p := benchID(graph.KindPerson, i)
		b.Entities = append(b.Entities, graph.Entity{ID: p, Kind: graph.KindPerson, Name: fmt.Sprintf("Khaled Person%d", i)})
		for j := range benchPerPers {
			b.Relations = append(b.Relations, benchRel(graph.ParticipatedIn, p, benchID(graph.KindEvent, rng.IntN(benchEvents)), "party", j))
		}
	}
	seen := map[string]bool{}
	rels := b.Relations[:0]
	for _, r := range b.Relations {
		if !seen[r.ID] {
			seen[r.ID] = true
			rels = append(rels, r)
		}
	}
	b.Relations = rels
	return b
}

// BenchmarkApply writes the synthetic graph into an empty database:
// batched UNWIND statements (the default, 1,000 rows each) against one row
// per statement.
func BenchmarkApply(b *testing.B) {
	for _, size := range []int{10000, neo4jstore.DefaultBatchSize, 100, 1} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			cfg := testConfig(b)
			cfg.BatchSize = size
			cfg.QueryTimeout = 10 * time.Minute
			batch := benchGraph()
			var elapsed time.Duration
			for range b.N {
				b.StopTimer()
				s := open(b, cfg)
				b.StartTimer()
				start := time.Now()
				created := 0
				for _, part := range chunks(batch, benchChunk) {
					res, err := s.Apply(bg, part)
					if err != nil {
						b.Fatal(err)
					}
					created += res.Created
				}
				elapsed += time.Since(start)
				if created != len(batch.Documents)+len(batch.Entities)+len(batch.Relations) {
					b.Fatalf("created %d", created)
				}
				b.StopTimer()
				s.Close()
			}
			b.ReportMetric(float64(len(batch.Relations)*b.N)/elapsed.Seconds(), "relations/s")
		})
	}
}

// benchChunk is how many items one Apply takes in the Apply benchmark, as an
// ingest worker would send them; graph.MaxBatchItems caps a batch.
var benchChunk = envInt("POLGRAPH_BENCH_CHUNK", 5000)

// chunks cuts a batch into batches of at most n items, documents and
// entities first, so each relation's ends are stored before it arrives.
func chunks(b *graph.Batch, n int) []*graph.Batch {
	var out []*graph.Batch
	cur := &graph.Batch{Documents: b.Documents}
	size := len(b.Documents)
	flush := func() {
		out = append(out, cur)
		cur, size = &graph.Batch{}, 0
	}
	for _, e := range b.Entities {
		if size == n {
			flush()
		}
		cur.Entities = append(cur.Entities, e)
		size++
	}
	flush()
	for _, r := range b.Relations {
		if size == n {
			flush()
		}
		cur.Relations = append(cur.Relations, r)
		size++
	}
	if size > 0 {
		flush()
	}
	return out
}

// BenchmarkApplyUnchanged re-applies the whole graph: everything is read
// and compared, nothing written.
func BenchmarkApplyUnchanged(b *testing.B) {
	cfg := testConfig(b)
	cfg.QueryTimeout = 10 * time.Minute
	s := open(b, cfg)
	batch := benchGraph()
	if _, err := s.Apply(bg, batch); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		res, err := s.Apply(bg, batch)
		if err != nil || res.Unchanged != len(batch.Documents)+len(batch.Entities)+len(batch.Relations) {
			b.Fatalf("Apply = %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(len(batch.Relations)*b.N)/b.Elapsed().Seconds(), "relations/s")
}

// BenchmarkQueries times the read methods on the synthetic graph.
func BenchmarkQueries(b *testing.B) {
	cfg := testConfig(b)
	cfg.QueryTimeout = 10 * time.Minute
	s := open(b, cfg)
	if _, err := s.Apply(bg, benchGraph()); err != nil {
		b.Fatal(err)
	}
	p0, p1 := benchID(graph.KindPerson, 0), benchID(graph.KindPerson, 1)
	for _, q := range []struct {
		name string
		call func() error
	}{
		{"Entity", func() error { _, err := s.Entity(bg, p0); return err }},
		{"Relations", func() error {
			_, err := s.Relations(bg, graph.RelationQuery{Entity: benchID(graph.KindPlace, 0)})
			return err
		}},
		{"Search", func() error { _, err := s.Search(bg, graph.SearchQuery{Text: "Person17"}); return err }},
		{"Paths", func() error { _, err := s.Paths(bg, graph.PathQuery{From: p0, To: p1, K: 3, MaxDepth: 6}); return err }},
		{"Network", func() error {
			_, err := s.Network(bg, graph.NetworkQuery{Entity: p0, Depth: 2, Limit: 500})
			return err
		}},
		{"Events", func() error {
			_, err := s.Events(bg, graph.EventQuery{Window: graph.Window{From: "2025-06"}})
			return err
		}},
		{"Stats", func() error { _, err := s.Stats(bg); return err }},
	} {
		b.Run(q.name, func(b *testing.B) {
			for range b.N {
				if err := q.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
