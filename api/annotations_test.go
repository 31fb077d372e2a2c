package api_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

type annotationsPage struct {
	Document  graph.Document
	Language  string
	Direction string
	Mentions  []struct {
		Entity     struct{ ID, Kind, Name string }
		Start, End int
		Text       string
	}
	Evidence []struct {
		graph.Evidence
		Relation struct {
			ID, Type string
			From, To struct{ ID, Name string }
		}
	}
	Truncated bool
}

// demoBatches extracts the demo reports, keeping each batch for the
// test's reference.
func demoBatches(batches *[]*graph.Batch) func(*testing.T, *ingest.Pipeline) []*graph.Batch {
	return func(t *testing.T, pipe *ingest.Pipeline) []*graph.Batch {
		*batches = nil
		for _, a := range ingest.DemoArticles() {
			b, err := pipe.Extract(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			*batches = append(*batches, b)
		}
		return *batches
	}
}

// slice is text's runes [start, end), or a marker that the span is outside.
func slice(text string, start, end int) string {
	r := []rune(text)
	if start < 0 || end < start || end > len(r) {
		return "\x00out of range"
	}
	return string(r[start:end])
}

// TestDocumentAnnotations reads the annotations of each ingested demo
// report: every span slices the text to the text returned, and they are
// exactly the mentions and the evidence extraction found in it.
func TestDocumentAnnotations(t *testing.T) {
	var batches []*graph.Batch
	eachStoreHolding(t, demoBatches(&batches), func(t *testing.T, srv *httptest.Server, _ graph.Store) {
		languages := map[string]bool{}
		for _, b := range batches {
			doc := b.Documents[0]
			var p annotationsPage
			if status := get(t, srv.URL+"/v1/documents/"+doc.ID+"/annotations", &p); status != 200 {
				t.Fatalf("%s: status %d", doc.URL, status)
			}
			languages[p.Language] = true
			wantDir := map[string]string{"ar": "rtl", "en": "ltr"}[doc.Language]
			if p.Language != doc.Language || p.Direction != wantDir || p.Document.Text != doc.Text || p.Truncated {
				t.Errorf("%s: language %q direction %q truncated %v, want %q %q; text returned: %v",
					doc.URL, p.Language, p.Direction, p.Truncated, doc.Language, wantDir, p.Document.Text == doc.Text)
			}

			wantMentions := map[[3]string]bool{}
			for _, e := range b.Entities {
				for _, m := range e.Mentions {
					if m.Document == doc.ID {
						wantMentions[[3]string{e.ID, strconv.Itoa(m.Start), strconv.Itoa(m.End)}] = true
					}
				}
			}
			gotMentions := map[[3]string]bool{}
			for _, m := range p.Mentions {
				gotMentions[[3]string{m.Entity.ID, strconv.Itoa(m.Start), strconv.Itoa(m.End)}] = true
				if got := slice(doc.Text, m.Start, m.End); got != m.Text || m.Text == "" {
					t.Errorf("%s: mention of %s at [%d,%d) is %q, text %q", doc.URL, m.Entity.Name, m.Start, m.End, got, m.Text)
				}
			}
			if len(wantMentions) == 0 || !maps.Equal(gotMentions, wantMentions) {
				t.Errorf("%s: %d mentions, extraction found %d", doc.URL, len(gotMentions), len(wantMentions))
			}

			wantEvidence := map[string]graph.Relation{}
			for _, r := range b.Relations {
				for _, ev := range r.Evidence {
					if ev.Document == doc.ID {
						wantEvidence[ev.ID] = r
					}
				}
			}
			gotEvidence := map[string]bool{}
			for _, ev := range p.Evidence {
				gotEvidence[ev.ID] = true
				if got := slice(doc.Text, ev.Start, ev.End); got != ev.Text || ev.Text == "" {
					t.Errorf("%s: evidence %s at [%d,%d) is %q, text %q", doc.URL, ev.ID, ev.Start, ev.End, got, ev.Text)
				}
				if got := slice(doc.Text, ev.SentenceStart, ev.SentenceStart+len([]rune(ev.SentenceText))); got != ev.SentenceText {
					t.Errorf("%s: evidence %s's sentence at %d is %q, sentence_text %q", doc.URL, ev.ID, ev.SentenceStart, got, ev.SentenceText)
				}
				r, known := wantEvidence[ev.ID]
				if !known {
					t.Errorf("%s: evidence %s was not extracted from it", doc.URL, ev.ID)
					continue
				}
				rel := ev.Relation
				if rel.ID != r.ID || rel.Type != string(r.Type) || rel.From.ID != r.From || rel.To.ID != r.To ||
					rel.From.Name == "" || rel.To.Name == "" {
					t.Errorf("%s: evidence %s is for %+v, want %s %s→%s with names", doc.URL, ev.ID, rel, r.Type, r.From, r.To)
				}
			}
			if len(wantEvidence) == 0 || len(gotEvidence) != len(wantEvidence) {
				t.Errorf("%s: %d pieces of evidence, extraction found %d", doc.URL, len(gotEvidence), len(wantEvidence))
			}
		}
		if !languages["ar"] || !languages["en"] {
			t.Errorf("the demo reports' languages: %v, want Arabic and English", languages)
		}
	})
}

func TestDocumentAnnotationsErrors(t *testing.T) {
	srv, _ := newServer(t)
	var p api.Problem
	if status := get(t, srv.URL+"/v1/documents/"+graph.DocumentID("https://example.org/none")+"/annotations", &p); status != 404 {
		t.Errorf("unknown document: status %d", status)
	}
	if status := get(t, srv.URL+"/v1/documents/api-1/annotations", &p); status != 400 || p.Param != "id" {
		t.Errorf("malformed id: status %d param %q", status, p.Param)
	}
}
