package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
)

// testPipeline is a pipeline on a fixed clock.
func testPipeline(t testing.TB) *Pipeline {
	t.Helper()
	p, err := New(Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// extractText runs the pipeline on one text and checks the batch.
func extractText(t *testing.T, p *Pipeline, text string) *graph.Batch {
	t.Helper()
	b, err := p.Extract(context.Background(), Article{Text: text, Published: "2025-10-20"})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	checkBatch(t, b)
	return b
}

// checkBatch asserts what every batch must satisfy: it validates; every
// mention and evidence span lies in its document's text and its text is
// exactly that slice; sentence text is the slice at the sentence start;
// every relation's ends are in the batch.
func checkBatch(t testing.TB, b *graph.Batch) {
	t.Helper()
	if err := b.Validate(nil); err != nil {
		t.Fatalf("batch does not validate: %v", err)
	}
	texts := map[string][]rune{}
	for _, d := range b.Documents {
		texts[d.ID] = []rune(d.Text)
	}
	ids := map[string]bool{}
	for _, d := range b.Documents {
		ids[d.ID] = true
	}
	slice := func(doc string, start, end int, text, what string) {
		t.Helper()
		r, ok := texts[doc]
		if !ok {
			t.Errorf("%s: document %s is not in the batch", what, doc)
			return
		}
		if start < 0 || end > len(r) || start > end {
			t.Errorf("%s: span [%d,%d) outside text of %d runes", what, start, end, len(r))
			return
		}
		if got := string(r[start:end]); got != text {
			t.Errorf("%s: text %q is not the slice [%d,%d) = %q", what, text, start, end, got)
		}
	}
	for _, e := range b.Entities {
		if ids[e.ID] {
			t.Errorf("entity id %s used twice", e.ID)
		}
		ids[e.ID] = true
		if e.ID != graph.EntityID(e.Kind, e.Key) {
			t.Errorf("entity %q: id does not derive from kind and key %q", e.Name, e.Key)
		}
		if e.Name == "" {
			t.Errorf("entity %s has no display name", e.ID)
		}
		for _, m := range e.Mentions {
			slice(m.Document, m.Start, m.End, m.Text, "mention of "+e.Name)
		}
	}
	for _, r := range b.Relations {
		if !ids[r.From] || !ids[r.To] {
			t.Errorf("relation %s %s→%s: an end is not in the batch", r.Type, r.From, r.To)
		}
		for _, ev := range r.Evidence {
			what := fmt.Sprintf("%s evidence (%s)", r.Type, ev.Rule)
			slice(ev.Document, ev.Start, ev.End, ev.Text, what)
			slice(ev.Document, ev.SentenceStart, ev.SentenceStart+len([]rune(ev.SentenceText)), ev.SentenceText, what+" sentence")
			if ev.Start < ev.SentenceStart || ev.End > ev.SentenceStart+len([]rune(ev.SentenceText)) {
				t.Errorf("%s: span outside its sentence", what)
			}
			if ev.Rule == "" {
				t.Errorf("%s: no rule", what)
			}
		}
	}
}

// view indexes a batch by name for assertions.
type view struct {
	b     *graph.Batch
	byID  map[string]graph.Entity
	names map[string][]graph.Entity
}

func newView(b *graph.Batch) *view {
	v := &view{b: b, byID: map[string]graph.Entity{}, names: map[string][]graph.Entity{}}
	for _, e := range b.Entities {
		v.byID[e.ID] = e
		v.names[e.Name] = append(v.names[e.Name], e)
	}
	for _, d := range b.Documents {
		v.byID[d.ID] = graph.Entity{ID: d.ID, Kind: graph.KindDocument, Name: "document:" + d.Source}
	}
	return v
}

// entity returns the one entity of the kind with the name.
func (v *view) entity(t *testing.T, kind graph.Kind, name string) graph.Entity {
	t.Helper()
	var found []graph.Entity
	for _, e := range v.names[name] {
		if e.Kind == kind {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s %q, found %d; entities:\n%s", kind, name, len(found), v.list())
	}
	return found[0]
}

func (v *view) has(kind graph.Kind, name string) bool {
	for _, e := range v.names[name] {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

func (v *view) list() string {
	var b strings.Builder
	for _, e := range v.b.Entities {
		fmt.Fprintf(&b, "  %s %q\n", e.Kind, e.Name)
	}
	return b.String()
}

// relations lists relations as "TYPE from → to [qualifier]" lines.
func (v *view) relations() []string {
	var out []string
	for _, r := range v.b.Relations {
		if r.Type == graph.Mentions || r.Type == graph.Reports {
			continue
		}
		out = append(out, v.rel(r))
	}
	return out
}

func (v *view) rel(r graph.Relation) string {
	s := fmt.Sprintf("%s %s → %s", r.Type, v.byID[r.From].Name, v.byID[r.To].Name)
	if q := r.Qualifier(); q != "" {
		s += " [" + q + "]"
	}
	return s
}

// relation returns the relation described as in relations(), or fails.
func (v *view) relation(t *testing.T, desc string) graph.Relation {
	t.Helper()
	for _, r := range v.b.Relations {
		if v.rel(r) == desc {
			return r
		}
	}
	t.Fatalf("no relation %q; relations:\n  %s", desc, strings.Join(v.relations(), "\n  "))
	return graph.Relation{}
}

func (v *view) hasRelation(desc string) bool {
	for _, r := range v.b.Relations {
		if v.rel(r) == desc {
			return true
		}
	}
	return false
}

func mustJSON(t testing.TB, x any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o644) }
