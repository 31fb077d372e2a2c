package ingest

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden runs the pipeline on each testdata/<case>.json (reports we
// wrote ourselves) and compares the batches with <case>.golden.json.
// Regenerate with: go test ./ingest -update
func TestGolden(t *testing.T) {
	p := testPipeline(t)
	cases, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, in := range cases {
		if strings.HasSuffix(in, ".golden.json") {
			continue
		}
		n++
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			arts, err := ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var batches []*graph.Batch
			for _, a := range arts {
				b, err := p.Extract(context.Background(), a)
				if err != nil {
					t.Fatal(err)
				}
				checkBatch(t, b)
				batches = append(batches, withoutGazetteerOffsets(b))
			}
			compareGolden(t, filepath.Join("testdata", name+".golden.json"), mustJSON(t, batches))
		})
	}
	if n < 4 {
		t.Errorf("found %d golden cases, want at least 4", n)
	}
	t.Run("demo", func(t *testing.T) {
		var batches []*graph.Batch
		for _, a := range DemoArticles() {
			b, err := p.Extract(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			checkBatch(t, b)
			batches = append(batches, withoutGazetteerOffsets(b))
		}
		compareGolden(t, filepath.Join("testdata", "demo.golden.json"), mustJSON(t, batches))
	})
}

// withoutGazetteerOffsets blanks where the gazetteer document's lines fall
// (its text, and the offsets and ids of evidence citing it), so that
// growing the gazetteer does not rewrite every golden file; the line cited
// ("Misrata is located in Libya.") stays.
func withoutGazetteerOffsets(b *graph.Batch) *graph.Batch {
	gdoc := graph.DocumentID("polgraph:gazetteer")
	for i := range b.Documents {
		if b.Documents[i].ID == gdoc {
			b.Documents[i].Text, b.Documents[i].SHA256 = "", ""
		}
	}
	for i := range b.Relations {
		for j := range b.Relations[i].Evidence {
			if ev := &b.Relations[i].Evidence[j]; ev.Document == gdoc {
				ev.ID, ev.Sentence, ev.Start, ev.End, ev.SentenceStart = "", 0, 0, 0, 0
			}
		}
	}
	return b
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ingest -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the extraction at line %d:\n got: %s\nwant: %s\n(review, then go test ./ingest -update)", path, i+1, g, w)
			}
		}
	}
}

// TestDeterministic: extracting the same article twice gives the same JSON.
func TestDeterministic(t *testing.T) {
	p := testPipeline(t)
	arts := DemoArticles()
	cases, _ := filepath.Glob("testdata/*.json")
	for _, in := range cases {
		if !strings.HasSuffix(in, ".golden.json") {
			more, err := ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			arts = append(arts, more...)
		}
	}
	for _, a := range arts {
		b1, err1 := p.Extract(context.Background(), a)
		b2, err2 := testPipeline(t).Extract(context.Background(), a)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(mustJSON(t, b1), mustJSON(t, b2)) {
			t.Errorf("%s: two extractions differ", a.ID)
		}
	}
}

// TestDemo: the demo reports alone connect Khaled Haftar to Misrata through
// the agreement (Khaled Haftar → agreement ← Misrata group → Misrata).
func TestDemo(t *testing.T) {
	p := testPipeline(t)
	arts := DemoArticles()
	if len(arts) < 3 {
		t.Fatalf("%d demo articles", len(arts))
	}
	langs := map[string]bool{}
	adj := map[string][]string{}
	names := map[string]string{}
	for _, a := range arts {
		langs[a.Language] = true
		b, err := p.Extract(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		checkBatch(t, b)
		for _, e := range b.Entities {
			names[e.ID] = e.Name
		}
		for _, r := range b.Relations {
			if r.Type.Asserted() {
				adj[r.From] = append(adj[r.From], r.To)
				adj[r.To] = append(adj[r.To], r.From)
			}
		}
	}
	if !langs["ar"] || !langs["en"] {
		t.Errorf("demo languages: %v", langs)
	}
	from := graph.EntityID(graph.KindPerson, "person/khaled-haftar")
	to := graph.EntityID(graph.KindPlace, "place/misrata")
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 && prev[to] == "" {
		n := queue[0]
		queue = queue[1:]
		for _, m := range adj[n] {
			if _, seen := prev[m]; !seen {
				prev[m] = n
				queue = append(queue, m)
			}
		}
	}
	if _, ok := prev[to]; !ok {
		t.Fatal("no path from Khaled Haftar to Misrata in the demo data")
	}
	var path []string
	for n := to; n != ""; n = prev[n] {
		path = append([]string{names[n]}, path...)
	}
	viaAgreement := false
	for _, n := range path {
		if strings.HasPrefix(n, "Agreement between Khaled Haftar") {
			viaAgreement = true
		}
	}
	if !viaAgreement {
		t.Errorf("shortest path does not go through the agreement: %q", path)
	}
}

// TestConcurrent: one pipeline serves many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	p := testPipeline(t)
	arts := DemoArticles()
	want := make([][]byte, len(arts))
	for i, a := range arts {
		b, err := p.Extract(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = mustJSON(t, b)
	}
	errs := make(chan string, 64)
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- true }()
			for i, a := range arts {
				b, err := p.Extract(context.Background(), a)
				if err != nil || !bytes.Equal(mustJSON(t, b), want[i]) {
					errs <- a.ID
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	close(errs)
	for id := range errs {
		t.Errorf("%s: concurrent extraction differs", id)
	}
}

// TestBatchOutlivesExtraction: extractions reuse memory (scratch); a
// batch must not change when later articles are extracted.
func TestBatchOutlivesExtraction(t *testing.T) {
	p := testPipeline(t)
	arts := DemoArticles()
	var batches []*graph.Batch
	var want [][]byte
	for _, a := range arts {
		b, err := p.Extract(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		batches, want = append(batches, b), append(want, mustJSON(t, b))
	}
	for i, b := range batches {
		if !bytes.Equal(mustJSON(t, b), want[i]) {
			t.Errorf("%s: the batch changed when later articles were extracted", arts[i].ID)
		}
	}
}

// BenchmarkExtract measures extraction of the demo reports (about 2,500
// runes of Arabic and English).
func BenchmarkExtract(b *testing.B) {
	p := testPipeline(b)
	arts := DemoArticles()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			if _, err := p.Extract(context.Background(), a); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkNew measures loading and indexing the gazetteer.
func BenchmarkNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
