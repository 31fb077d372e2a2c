package memstore

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// A synthetic graph for benchmarks: persons taking part in events that
// occurred in places, every relation with one piece of evidence.
const (
	benchPersons = 1000
	benchEvents  = 500
	benchPlaces  = 20
	benchPerPers = 5 // events per person
)

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

// benchGraph returns the base graph (places, events, persons and their
// relations): about 5,500 relations.
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
		b.Entities = append(b.Entities, benchPerson(i))
		b.Relations = append(b.Relations, benchParticipation(rng, i)...)
	}
	return b
}

func benchPerson(i int) graph.Entity {
	return graph.Entity{ID: benchID(graph.KindPerson, i), Kind: graph.KindPerson, Name: fmt.Sprintf("Khaled Person%d", i)}
}

func benchParticipation(rng *rand.Rand, i int) []graph.Relation {
	var out []graph.Relation
	for j := range benchPerPers {
		out = append(out, benchRel(graph.ParticipatedIn, benchID(graph.KindPerson, i),
			benchID(graph.KindEvent, rng.IntN(benchEvents)), "party", j))
	}
	return out
}

func benchStore(b *testing.B, dir string) *Store {
	b.Helper()
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Apply(bg, benchGraph()); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkApply applies batches of 100 new persons with 5 relations each
// (500 relations) to a store on disk, one fsynced transaction per batch.
func BenchmarkApply(b *testing.B) {
	s := benchStore(b, b.TempDir())
	rng := rand.New(rand.NewPCG(1, 1))
	next := benchPersons
	b.ResetTimer()
	for b.Loop() {
		batch := &graph.Batch{}
		for range 100 {
			batch.Entities = append(batch.Entities, benchPerson(next))
			batch.Relations = append(batch.Relations, benchParticipation(rng, next)...)
			next++
		}
		if _, err := s.Apply(bg, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*500)/b.Elapsed().Seconds(), "relations/s")
}

// BenchmarkApplyOne applies one new relation per transaction: the fsync
// bound of small writes.
func BenchmarkApplyOne(b *testing.B) {
	s := benchStore(b, b.TempDir())
	next := 0
	for b.Loop() {
		r := benchRel(graph.AlliedWith, benchID(graph.KindPerson, next%benchPersons),
			benchID(graph.KindPerson, (next+1)%benchPersons), "", next/benchPersons)
		next++
		if _, err := s.Apply(bg, &graph.Batch{Relations: []graph.Relation{r}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyUnchanged re-applies the whole base graph: validation and
// comparison only, nothing written.
func BenchmarkApplyUnchanged(b *testing.B) {
	s := benchStore(b, b.TempDir())
	batch := benchGraph()
	for b.Loop() {
		if _, err := s.Apply(bg, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen loads the base graph from its file and rebuilds the indexes.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	benchStore(b, dir).Close()
	for b.Loop() {
		s, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkNetwork(b *testing.B) {
	s := benchStore(b, "")
	for _, depth := range []int{1, 2, 3} {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				n, err := s.Network(bg, graph.NetworkQuery{Entity: benchID(graph.KindPerson, i%benchPersons), Depth: depth, Limit: 500})
				if err != nil || len(n.Nodes) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPaths(b *testing.B) {
	s := benchStore(b, "")
	for _, k := range []int{1, 3, 10} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				q := graph.PathQuery{From: benchID(graph.KindPerson, i%benchPersons),
					To: benchID(graph.KindPerson, (i*7+3)%benchPersons), K: k, MaxDepth: 4}
				if _, err := s.Paths(bg, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	s := benchStore(b, "")
	for b.Loop() {
		if _, err := s.Search(bg, graph.SearchQuery{Text: "Khaled Person42"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvents(b *testing.B) {
	s := benchStore(b, "")
	for b.Loop() {
		if _, err := s.Events(bg, graph.EventQuery{Window: graph.Window{From: "2025-03", To: "2025-05"}, Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}
