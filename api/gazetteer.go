package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/ingest/gazetteer"
)

// LoadGazetteer returns pipe extended by the entries added through the API
// that the store keeps (the document gazetteer.APIDocumentURL), merged after
// the built-in gazetteer and the user's files; pipe itself when there are
// none. Call it on start, before New, so that a restarted server, another
// replica or the ingest command knows them. Errors: those of the store;
// Invalid when the stored entries no longer fit the gazetteer (an entry
// they point at was removed from a file).
func LoadGazetteer(ctx context.Context, store graph.Store, pipe *ingest.Pipeline) (*ingest.Pipeline, error) {
	entries, err := storedEntries(ctx, store)
	if err != nil || len(entries) == 0 {
		return pipe, err
	}
	return pipe.WithEntries(entries)
}

// storedEntries reads the entries added through the API from the store.
func storedEntries(ctx context.Context, store graph.Store) ([]*gazetteer.Entry, error) {
	doc, err := store.Document(ctx, graph.DocumentID(gazetteer.APIDocumentURL))
	if graph.Is(err, graph.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return gazetteer.ParseOrigin([]byte(doc.Text), gazetteer.APIDocumentURL, gazetteer.OriginAPI)
}

// gazetteerItem is a gazetteer entry as the API lists it: the fields of the
// file format, where it was read (builtin, file, api) and its entity id.
type gazetteerItem struct {
	*gazetteer.Entry
	Origin string `json:"origin"`
	Entity string `json:"entity"`
}

func newGazetteerItem(e *gazetteer.Entry) gazetteerItem {
	return gazetteerItem{Entry: e, Origin: e.Origin(), Entity: e.EntityID()}
}

// getGazetteer answers GET /v1/gazetteer?kind=&origin=&limit=&cursor=: the
// entries the pipeline matches, ordered by id, a page at a time (the
// cursor is the id of the last entry of the previous page).
func (s *Server) getGazetteer(c *gin.Context) {
	kinds, err := kindsParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	origins := listParam(c, "origin")
	for _, o := range origins {
		if o != gazetteer.OriginBuiltin && o != gazetteer.OriginFile && o != gazetteer.OriginAPI {
			s.fail(c, badParam("origin", "origin %q is not builtin, file or api", clip(o)))
			return
		}
	}
	limit, err := intParam(c, "limit", graph.MaxPageSize, 1, graph.MaxPageSize)
	if err != nil {
		s.fail(c, err)
		return
	}
	pipe := s.pipeline()
	if pipe == nil {
		s.fail(c, graph.Errorf(graph.Internal, "the server has no ingest pipeline"))
		return
	}
	cursor := c.Query("cursor")
	page := list[gazetteerItem]{Items: []gazetteerItem{}}
	for _, e := range pipe.Gazetteer().Entries() {
		if e.ID <= cursor || len(kinds) > 0 && !slices.Contains(kinds, e.EntityKind()) ||
			len(origins) > 0 && !slices.Contains(origins, e.Origin()) {
			continue
		}
		if len(page.Items) == limit {
			page.Next = page.Items[limit-1].ID
			break
		}
		page.Items = append(page.Items, newGazetteerItem(e))
	}
	ok(c, http.StatusOK, page)
}

// gazetteerResponse is what POST /v1/gazetteer returns: the entries as now
// known and what storing them changed.
type gazetteerResponse struct {
	Entries []gazetteerItem   `json:"entries"`
	Result  graph.ApplyResult `json:"result"`
}

// postGazetteer adds entries to the gazetteer, or replaces entries by id.
// The body is a gazetteer document (version: 1, entries: [...]) in JSON or
// YAML, checked by the rules user files obey. The entries' entities and
// facts (located_in, member_of, family) are stored, with the document that
// keeps every entry added so far, and every article posted afterwards is
// read with them. Posting the same entries again changes nothing and
// answers 200 instead of 201.
func (s *Server) postGazetteer(c *gin.Context) {
	switch c.ContentType() {
	case "", "application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
	default:
		s.fail(c, &graph.Error{Code: unsupportedMedia, Message: "send the entries as application/json or application/yaml"})
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, graph.Errorf(graph.TooLarge, "the body is larger than %d bytes", s.maxBodyBytes))
			return
		}
		s.fail(c, badParam("body", "the body could not be read"))
		return
	}
	entries, err := gazetteer.ParseOrigin(body, bodyName, gazetteer.OriginAPI)
	if err != nil {
		s.fail(c, inBody(err))
		return
	}
	if len(entries) == 0 {
		s.fail(c, badParam("entries", "entries is empty: post at least one"))
		return
	}

	s.gazMu.Lock()
	defer s.gazMu.Unlock()
	cur := s.pipeline()
	if cur == nil {
		s.fail(c, graph.Errorf(graph.Internal, "the server has no ingest pipeline"))
		return
	}
	// The stored document is the record: it holds what other replicas added
	// since this one started.
	stored, err := storedEntries(c, s.store)
	if err != nil {
		s.fail(c, err)
		return
	}
	next, err := cur.WithEntries(gazetteer.Override(stored, entries))
	if err != nil {
		s.fail(c, inBody(err))
		return
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	b := next.GazetteerBatchOf(ids)
	doc, err := next.Gazetteer().APIDocument()
	if err != nil {
		s.fail(c, err)
		return
	}
	b.Documents = append(b.Documents, doc)
	res, err := s.store.Apply(c, b)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.pipe.Store(next)

	out := gazetteerResponse{Result: res}
	for _, id := range ids {
		e, _ := next.Gazetteer().Entry(id)
		out.Entries = append(out.Entries, newGazetteerItem(e))
	}
	status := http.StatusOK
	if res.Created > 0 || res.Updated > 0 {
		status = http.StatusCreated
	}
	ok(c, status, out)
}

// bodyName is what gazetteer errors call the request body.
const bodyName = "request body"

// inBody makes a gazetteer error point at the body unless it names a field
// of an entry of the body ("entries[2].name"): an error about a stored or
// built-in entry that the posted ones upset names no field the client sent.
func inBody(err error) error {
	var ge *graph.Error
	if errors.As(err, &ge) && ge.Code == graph.Invalid &&
		(ge.Param == "" || !strings.HasPrefix(ge.Message, "gazetteer "+bodyName+":")) {
		e := *ge
		e.Param = "body"
		return &e
	}
	return err
}

// LoadStoredGazetteer extends the server's pipeline by the entries added
// through the API that the store keeps, retrying every retry while the
// store is unavailable, so that a server started while its store is down
// still starts, and learns the entries once the store is back. It stops
// when ctx ends; stored entries that no longer fit are reported to warn and
// left out. A POST /v1/gazetteer that lands first wins: it already merged
// the stored entries.
func (s *Server) LoadStoredGazetteer(ctx context.Context, retry time.Duration, warn func(error)) {
	for {
		base := s.pipe.Load()
		attempt, cancel := context.WithTimeout(ctx, s.queryTimeout)
		p, err := LoadGazetteer(attempt, s.store, base)
		cancel()
		switch {
		case err == nil:
			s.pipe.CompareAndSwap(base, p)
			return
		case graph.Is(err, graph.Invalid):
			warn(err)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}
