package memstore

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

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

// The bulk graph: the shape of benchGraph at any size, with realistic
// evidence. Persons take part in 5 events each, events occur in places,
// ten persons' relations are read from one document, and every relation
// carries one piece of evidence with a sentence of about 150 bytes.
// persons = relations / 5.5; events = persons / 2; places = events / 50.
type bulkGraph struct {
	persons, events, places int
}

func newBulkGraph(relations int) bulkGraph {
	persons := max(relations*2/11, 20)
	return bulkGraph{persons: persons, events: persons / 2, places: max(persons/100, 1)}
}

func (g bulkGraph) relations() int { return g.persons*benchPerPers + g.events }

func bulkDoc(i int) graph.Document {
	url := fmt.Sprintf("https://news.example/bulk/%d", i)
	return graph.Document{ID: graph.DocumentID(url), URL: url, Title: fmt.Sprintf("Report %d", i),
		Outlet: "news.example", Language: "en", Published: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28), Source: "article"}
}

// bulkRel is a relation read from sentence k of document doc.
func bulkRel(t graph.RelType, from, to, role string, doc graph.Document, k int, fromName, toName string) graph.Relation {
	r := graph.Relation{ID: graph.RelationID(t, from, to, role), Type: t, From: from, To: to, Role: role}
	sentence := fmt.Sprintf("According to officials speaking on condition of anonymity, %s was present at %s, "+
		"which took place earlier this week amid heightened security.", fromName, toName)
	start := k * 160
	r.Evidence = []graph.Evidence{{ID: graph.EvidenceID(r.ID, doc.ID, start+59, start+59+len(fromName)),
		Document: doc.ID, Sentence: k, Start: start + 59, End: start + 59 + len(fromName), Text: fromName,
		Rule: "participation.v2", Confidence: 0.7, SentenceStart: start, SentenceText: sentence, Date: doc.Published}}
	return r
}

// chunks returns the graph as batches of at most size items, each
// entity before the relations that need it, as a loader would send them.
func (g bulkGraph) chunks(size int) []*graph.Batch {
	var out []*graph.Batch
	cur, n := &graph.Batch{}, 0
	docs := map[string]bool{} // the documents cur has
	flush := func(items int) {
		if n+items > size && n > 0 {
			out = append(out, cur)
			cur, n = &graph.Batch{}, 0
			clear(docs)
		}
		n += items
	}
	addDoc := func(d graph.Document) {
		if !docs[d.ID] {
			docs[d.ID] = true
			cur.Documents = append(cur.Documents, d)
		}
	}
	place := func(i int) string { return benchID(graph.KindPlace, i) }
	event := func(i int) string { return benchID(graph.KindEvent, i) }
	for i := range g.places {
		flush(1)
		cur.Entities = append(cur.Entities, graph.Entity{ID: place(i), Kind: graph.KindPlace, Name: fmt.Sprintf("Place %d", i)})
	}
	for i := range g.events {
		flush(3)
		doc := bulkDoc(i / 20)
		name := fmt.Sprintf("Event %d", i)
		addDoc(doc)
		cur.Entities = append(cur.Entities, graph.Entity{ID: event(i), Kind: graph.KindEvent, Name: name,
			EventType: "meeting", Date: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)})
		cur.Relations = append(cur.Relations, bulkRel(graph.OccurredIn, event(i), place(i%g.places), "", doc, i%20,
			name, fmt.Sprintf("Place %d", i%g.places)))
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range g.persons {
		flush(2 + benchPerPers)
		doc := bulkDoc(g.events/20 + 1 + i/10)
		p := benchPerson(i)
		addDoc(doc)
		cur.Entities = append(cur.Entities, p)
		first := rng.IntN(g.events)
		for j := range benchPerPers {
			e := (first + j*(g.events/benchPerPers)) % g.events // distinct: one relation each
			cur.Relations = append(cur.Relations, bulkRel(graph.ParticipatedIn, p.ID, event(e), "party", doc,
				(i%10)*benchPerPers+j, p.Name, fmt.Sprintf("Event %d", e)))
		}
	}
	return append(out, cur)
}

func envInt(b *testing.B, name string, def int) int {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// cpuTime is the CPU time the process has used, garbage collection
// included: on a shared machine it varies less than the elapsed time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func applyAll(b *testing.B, s *Store, chunks []*graph.Batch) {
	b.Helper()
	for _, c := range chunks {
		if _, err := s.Apply(bg, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyBulk applies the bulk graph (POLGRAPH_BENCH_RELATIONS,
// default 110,000 relations) to an empty store on disk in batches of
// POLGRAPH_BENCH_CHUNK items (default 10,000), one fsynced transaction
// each: the pace of a large import.
func BenchmarkApplyBulk(b *testing.B) {
	g := newBulkGraph(envInt(b, "POLGRAPH_BENCH_RELATIONS", 110000))
	chunks := g.chunks(envInt(b, "POLGRAPH_BENCH_CHUNK", 10000))
	i, cpu := 0, time.Duration(0)
	for b.Loop() {
		b.StopTimer()
		i++
		s, err := Open(filepath.Join(b.TempDir(), strconv.Itoa(i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t := cpuTime(b)
		applyAll(b, s, chunks)
		cpu += cpuTime(b) - t
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*g.relations())/b.Elapsed().Seconds(), "relations/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkOpenLarge opens a data directory holding the bulk graph
// (POLGRAPH_BENCH_RELATIONS, default 110,000 relations) and reports the
// heap the open store holds per relation. The directory is
// POLGRAPH_BENCH_DIR if set, built there once and reused, so that a large
// graph is written only once.
func BenchmarkOpenLarge(b *testing.B) {
	g := newBulkGraph(envInt(b, "POLGRAPH_BENCH_RELATIONS", 110000))
	dir := os.Getenv("POLGRAPH_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		s, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		applyAll(b, s, g.chunks(20000))
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	var heap uint64
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		var m0 runtime.MemStats
		runtime.ReadMemStats(&m0)
		b.StartTimer()
		t := cpuTime(b)
		s, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime(b) - t
		b.StopTimer()
		runtime.GC()
		var m1 runtime.MemStats
		runtime.ReadMemStats(&m1)
		heap = m1.HeapInuse - m0.HeapInuse
		if n := len(s.st.relations); n != g.relations() {
			b.Fatalf("%s holds %d relations, want %d (POLGRAPH_BENCH_RELATIONS changed?)", dir, n, g.relations())
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/float64(g.relations()), "heap-B/relation")
	b.ReportMetric(float64(g.relations())/(b.Elapsed().Seconds()/float64(b.N)), "relations/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
