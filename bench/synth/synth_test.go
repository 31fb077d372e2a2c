package synth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"unicode"

	"github.com/polgraph/polgraph/bench/synth"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
)

var bg = context.Background()

func generate(t *testing.T, cfg synth.Config) ([]*graph.Batch, synth.Summary) {
	t.Helper()
	var out []*graph.Batch
	sum, err := synth.Generate(bg, cfg, func(b *graph.Batch) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, sum
}

// The graph a store holds after applying every batch is the one the summary
// describes, with exactly the relations asked for.
func TestGenerateAppliesToAStore(t *testing.T) {
	batches, sum := generate(t, synth.Config{Relations: 10000, Seed: 1, BatchItems: 2000})
	if sum.Relations != 10000 {
		t.Fatalf("summary says %d relations, want 10000", sum.Relations)
	}
	if len(batches) < 3 || sum.Batches != len(batches) {
		t.Fatalf("%d batches, summary %d: want several of about 2000 items", len(batches), sum.Batches)
	}
	st := memstore.OpenMemory()
	defer st.Close()
	for i, b := range batches {
		if _, err := st.Apply(bg, b); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
	}
	stats, err := st.Stats(bg)
	if err != nil {
		t.Fatal(err)
	}
	relations := 0
	for _, n := range stats.Relations {
		relations += n
	}
	if relations != sum.Relations || stats.Evidence != sum.Evidence || stats.Documents != sum.Documents {
		t.Fatalf("store holds %d relations, %d evidence, %d documents; summary says %d, %d, %d",
			relations, stats.Evidence, stats.Documents, sum.Relations, sum.Evidence, sum.Documents)
	}
	entities := 0
	for k, n := range stats.Entities {
		if k != graph.KindDocument {
			entities += n
		}
	}
	if entities != sum.Entities {
		t.Fatalf("store holds %d entities, summary says %d", entities, sum.Entities)
	}
	for _, id := range slices.Concat(sum.Sample.Hubs, sum.Sample.Actors, sum.Sample.Places) {
		if _, err := st.Entity(bg, id); err != nil {
			t.Fatalf("sampled entity %s: %v", id, err)
		}
	}
	for _, name := range sum.Sample.Names[:20] {
		hits, err := st.Search(bg, graph.SearchQuery{Text: name})
		if err != nil || len(hits) == 0 {
			t.Fatalf("search %q: %d hits, %v", name, len(hits), err)
		}
	}
}

// The same seed gives the same bytes; another seed another graph.
func TestGenerateIsDeterministic(t *testing.T) {
	encode := func(seed uint64) []byte {
		batches, sum := generate(t, synth.Config{Relations: 3000, Seed: seed})
		b, err := json.Marshal(struct {
			B []*graph.Batch
			S synth.Summary
		}{batches, sum})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := encode(7), encode(7), encode(8)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with seed 7 differ")
	}
	if bytes.Equal(a, c) {
		t.Fatal("seeds 7 and 8 give the same graph")
	}
}

// The shape: heavy-tailed degrees, events of 2–6 participants, a place
// hierarchy, facts reported more than once, both scripts, evidence spans
// that are the document's text.
func TestGenerateShape(t *testing.T) {
	batches, sum := generate(t, synth.Config{Relations: 30000, Seed: 3})
	texts := map[string][]rune{}
	degree := map[string]int{}
	participants := map[string]int{}
	evidence := map[string]int{}
	types := map[graph.RelType]int{}
	arabicNames, arabicDocs := 0, 0
	for _, b := range batches {
		for _, d := range b.Documents {
			texts[d.ID] = []rune(d.Text)
			if d.Language == "ar" {
				arabicDocs++
			}
		}
		for _, e := range b.Entities {
			if e.NameAr != "" && unicode.Is(unicode.Arabic, []rune(e.NameAr)[0]) {
				arabicNames++
			}
			for _, m := range e.Mentions {
				if got := string(texts[m.Document][m.Start:m.End]); got != m.Text {
					t.Fatalf("mention of %s: text %q, document has %q", e.Name, m.Text, got)
				}
			}
		}
		for _, r := range b.Relations {
			if evidence[r.ID] == 0 {
				types[r.Type]++
				if r.Type.Asserted() {
					degree[r.From]++
					degree[r.To]++
				}
				if r.Type == graph.ParticipatedIn {
					participants[r.To]++
				}
			}
			evidence[r.ID] += max(1, len(r.Evidence))
			for _, ev := range r.Evidence {
				text := texts[ev.Document]
				if got := string(text[ev.Start:ev.End]); got != ev.Text {
					t.Fatalf("evidence of %s: text %q, document has %q", r.Type, ev.Text, got)
				}
				if got := string(text[ev.SentenceStart : ev.SentenceStart+len([]rune(ev.SentenceText))]); got != ev.SentenceText {
					t.Fatalf("evidence of %s: sentence %q, document has %q", r.Type, ev.SentenceText, got)
				}
			}
		}
	}
	for ev, n := range participants {
		if n < 2 || n > 6 {
			t.Fatalf("event %s has %d participants, want 2–6", ev, n)
		}
	}
	var degrees []int
	for _, n := range degree {
		degrees = append(degrees, n)
	}
	slices.Sort(degrees)
	median, top := degrees[len(degrees)/2], degrees[len(degrees)-1]
	if top < 50*median {
		t.Fatalf("degrees not heavy-tailed: median %d, largest %d", median, top)
	}
	repeated := 0
	for _, n := range evidence {
		if n > 1 {
			repeated++
		}
	}
	if repeated < len(evidence)/20 {
		t.Fatalf("only %d of %d relations have more than one piece of evidence", repeated, len(evidence))
	}
	for _, rt := range []graph.RelType{graph.ParticipatedIn, graph.OccurredIn, graph.LocatedIn, graph.MemberOf,
		graph.HoldsPosition, graph.BasedIn, graph.AlliedWith, graph.OpposedTo, graph.Mentions, graph.Reports, graph.About} {
		if types[rt] == 0 {
			t.Errorf("no %s relation", rt)
		}
	}
	if arabicDocs < sum.Documents/5 || arabicNames == 0 {
		t.Fatalf("%d Arabic documents of %d, %d entities with Arabic names", arabicDocs, sum.Documents, arabicNames)
	}
}
