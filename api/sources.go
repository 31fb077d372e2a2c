package api

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/polgraph/polgraph/graph"
)

// documentSource is a source document as lists show it: what an analyst
// needs to judge and open the report, without its text (GET
// /v1/documents/{id} has that).
type documentSource struct {
	ID        string `json:"id"`
	URL       string `json:"url,omitempty"`
	Outlet    string `json:"outlet,omitempty"`
	Title     string `json:"title,omitempty"`
	Language  string `json:"language,omitempty"`
	Published string `json:"published,omitempty"`
}

// maxSourceReads bounds the documents one request reads to describe its
// sources: a page of relations drawn from event data can cite thousands of
// articles. Past it, sources are listed by id only.
const maxSourceReads = 1000

// sourceCache reads each document once per request, however many relations
// or events cite it. It lives as long as one request.
type sourceCache struct {
	store graph.Store
	docs  map[string]*documentSource // nil: the document is gone
	reads int
}

func newSourceCache(st graph.Store) *sourceCache {
	return &sourceCache{store: st, docs: map[string]*documentSource{}}
}

// get returns the document's metadata; nil if no document has the id (its
// evidence outlived it). Past maxSourceReads it returns the bare id.
func (c *sourceCache) get(ctx context.Context, id string) (*documentSource, error) {
	if src, ok := c.docs[id]; ok {
		return src, nil
	}
	if c.reads >= maxSourceReads {
		return &documentSource{ID: id}, nil
	}
	c.reads++
	d, err := c.store.Document(ctx, id)
	if graph.Is(err, graph.NotFound) {
		c.docs[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	src := sourceOf(&d)
	c.docs[id] = src
	return src, nil
}

func sourceOf(d *graph.Document) *documentSource {
	return &documentSource{ID: d.ID, URL: d.URL, Outlet: d.Outlet, Title: d.Title, Language: d.Language, Published: d.Published}
}

// prefetchParallel is how many documents prefetch reads at once.
const prefetchParallel = 8

// prefetch reads the documents of ids that are not read yet, several at a
// time: a page of relations cites dozens of documents, and on Neo4j each
// read is a round trip, so reading them one by one made the page many
// times slower than the relations themselves. It counts against
// maxSourceReads like get.
func (c *sourceCache) prefetch(ctx context.Context, ids []string) error {
	var todo []string
	picked := map[string]bool{}
	for _, id := range ids {
		if _, ok := c.docs[id]; !ok && !picked[id] && c.reads+len(todo) < maxSourceReads {
			picked[id] = true
			todo = append(todo, id)
		}
	}
	if len(todo) < 2 {
		return nil // get reads it as cheaply
	}
	docs := make([]graph.Document, len(todo))
	errs := make([]error, len(todo))
	sem := make(chan struct{}, prefetchParallel)
	var wg sync.WaitGroup
	for i, id := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			docs[i], errs[i] = c.store.Document(ctx, id)
		}()
	}
	wg.Wait()
	for i, id := range todo {
		c.reads++
		switch {
		case graph.Is(errs[i], graph.NotFound):
			c.docs[id] = nil
		case errs[i] != nil:
			return errs[i]
		default:
			c.docs[id] = sourceOf(&docs[i])
		}
	}
	return nil
}

// citedBy lists the documents of a relation's evidence, with repeats.
func citedBy(r *graph.Relation) []string {
	out := make([]string, len(r.Evidence))
	for i, ev := range r.Evidence {
		out[i] = ev.Document
	}
	return out
}

// relationSources lists the documents a relation's evidence cites, oldest
// first (then by id), each once.
func (c *sourceCache) relationSources(ctx context.Context, r *graph.Relation) ([]documentSource, error) {
	out := []documentSource{}
	seen := map[string]bool{}
	for _, ev := range r.Evidence {
		if seen[ev.Document] {
			continue
		}
		seen[ev.Document] = true
		src, err := c.get(ctx, ev.Document)
		if err != nil {
			return nil, err
		}
		if src != nil {
			out = append(out, *src)
		}
	}
	slices.SortFunc(out, func(a, b documentSource) int {
		return cmp.Or(cmp.Compare(undatedLast(a.Published), undatedLast(b.Published)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// relationItem is a relation as GET /v1/relations/{id} and GET
// /v1/entities/{id}/relations show it: with the documents its evidence
// cites.
type relationItem struct {
	graph.Relation
	Sources []documentSource `json:"sources"`
}

// undatedLast makes "" sort after every date.
func undatedLast(d string) string {
	if d == "" {
		return "\xff"
	}
	return d
}
