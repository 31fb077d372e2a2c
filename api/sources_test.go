package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

// countingStore is a store that counts the documents read from it.
type countingStore struct {
	graph.Store
	documents atomic.Int64
}

func (s *countingStore) Document(ctx context.Context, id string) (graph.Document, error) {
	s.documents.Add(1)
	return s.Store.Document(ctx, id)
}

type relationWithSources struct {
	graph.Relation
	Sources []map[string]any
}

// checkSources checks a relation's sources against its evidence: each
// document cited once, with the document's metadata and without its text.
func checkSources(t *testing.T, st graph.Store, r relationWithSources) {
	t.Helper()
	cited := map[string]bool{}
	for _, ev := range r.Evidence {
		cited[ev.Document] = true
	}
	if len(r.Sources) != len(cited) {
		t.Errorf("relation %s %s: %d sources for %d documents cited", r.ID, r.Type, len(r.Sources), len(cited))
	}
	for i, src := range r.Sources {
		id, _ := src["id"].(string)
		if !cited[id] {
			t.Errorf("relation %s: source %s is not cited, or twice", r.ID, id)
		}
		delete(cited, id)
		d, err := st.Document(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		str := func(k string) string { v, _ := src[k].(string); return v }
		if str("url") != d.URL || str("language") != d.Language || str("published") != d.Published || str("title") != d.Title {
			t.Errorf("relation %s: source %v, document %s %s %s", r.ID, src, d.URL, d.Language, d.Published)
		}
		if _, has := src["text"]; has {
			t.Errorf("relation %s: source %s carries its text", r.ID, id)
		}
		if prev, _ := r.Sources[max(i-1, 0)]["published"].(string); prev > str("published") && str("published") != "" {
			t.Errorf("relation %s: sources not oldest first", r.ID)
		}
	}
}

func TestRelationSources(t *testing.T) {
	eachStore(t, func(t *testing.T, _ *httptest.Server, st graph.Store) {
		counting := &countingStore{Store: st}
		srv := httptest.NewServer(api.New(api.Config{Store: counting}))
		t.Cleanup(srv.Close)
		// A second report of the agreement, so that a relation cites two
		// documents.
		pipe, err := ingest.New(ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := pipe.Extract(context.Background(), ingest.Article{URL: "https://example.net/api-sources", Outlet: "example.net",
			Language: "en", Published: "2025-10-21",
			Text: "Lt. Gen. Khaled Haftar, chief of staff of the General Command, and security and military leaders from Misrata reached an agreement to form a joint force."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Apply(context.Background(), b); err != nil {
			t.Fatal(err)
		}

		haftar := searchOne(t, srv.URL, "Khaled Haftar")
		var page struct{ Items []relationWithSources }
		counting.documents.Store(0)
		if status := get(t, srv.URL+"/v1/entities/"+haftar.ID+"/relations", &page); status != 200 {
			t.Fatalf("status %d", status)
		}
		distinct := map[string]bool{}
		twice := false
		for _, r := range page.Items {
			checkSources(t, st, r)
			for _, src := range r.Sources {
				twice = twice || distinct[src["id"].(string)]
				distinct[src["id"].(string)] = true
			}
		}
		if !twice {
			t.Fatal("no document is cited by two relations: the test cannot tell whether documents are read once")
		}
		if n := counting.documents.Load(); n != int64(len(distinct)) {
			t.Errorf("%d documents read for %d distinct sources", n, len(distinct))
		}
		many := 0
		for _, r := range page.Items {
			var one relationWithSources
			if status := get(t, srv.URL+"/v1/relations/"+r.ID, &one); status != 200 {
				t.Fatalf("GET /v1/relations/%s: status %d", r.ID, status)
			}
			checkSources(t, st, one)
			if len(one.Sources) > 1 {
				many++
			}
			if a, b := mustJSON(t, one.Sources), mustJSON(t, r.Sources); a != b {
				t.Errorf("relation %s: sources %s alone, %s in the list", r.ID, a, b)
			}
		}
		if many == 0 {
			t.Error("no relation has two sources")
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
