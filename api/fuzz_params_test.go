package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
)

// fuzzArticles are invented reports, small enough to extract once per
// fuzz worker, that still give every entity kind, events with dates and
// places, and relations of several types.
var fuzzArticles = []ingest.Article{
	{ID: "fuzz-1", URL: "https://example.org/fuzz-1", Language: "ar", Published: "2025-03-10",
		Text: "استقبل المشير خليفة حفتر في بنغازي وفدا من المجلس الرئاسي. وأكد اللواء خالد المحجوب أن اللقاء بحث توحيد المؤسسة العسكرية في مدينة سرت."},
	{ID: "fuzz-2", URL: "https://example.org/fuzz-2", Language: "en", Published: "2025-04-02",
		Text: "TRIPOLI: Clashes broke out in Tripoli between the Radaa Force and the Stability Support Apparatus on Monday. The Presidential Council called for calm. Khaled Haftar visited Misrata on 3 April 2025."},
}

// fuzzBase is what every fuzz fixture is built from: extracting is the
// slow part, so it is done once and the batches are applied to each new
// store.
type fuzzBase struct {
	pipe      *ingest.Pipeline
	batches   []*graph.Batch
	importDir string
}

func newFuzzBase(f *testing.F) *fuzzBase {
	f.Helper()
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		f.Fatal(err)
	}
	base := &fuzzBase{pipe: pipe, importDir: f.TempDir()}
	for _, a := range fuzzArticles {
		b, err := pipe.Extract(context.Background(), a)
		if err != nil {
			f.Fatal(err)
		}
		base.batches = append(base.batches, b)
	}
	return base
}

// fuzzFixture is a server over an embedded store holding the fuzz graph,
// called through ServeHTTP: no sockets, so each fuzz input costs little.
type fuzzFixture struct {
	server *api.Server
	store  graph.Store
	// ids are the ids a fuzz input can name as "@N": every document,
	// entity and relation in Scan order, then an entity merged away.
	ids []string
}

// fuzzBodyLimit keeps request bodies small, so that the fuzzer's inputs
// reach the 413 paths too.
const fuzzBodyLimit = 4 << 10

func (base *fuzzBase) fixture(tb testing.TB) *fuzzFixture {
	tb.Helper()
	ctx := context.Background()
	store := memstore.OpenMemory()
	for _, b := range base.batches {
		if _, _, err := ingest.Store(ctx, store, b); err != nil {
			tb.Fatal(err)
		}
	}
	fx := &fuzzFixture{store: store}
	err := store.Scan(ctx, func(o graph.Object) error {
		switch {
		case o.Document != nil:
			fx.ids = append(fx.ids, o.Document.ID)
		case o.Entity != nil:
			fx.ids = append(fx.ids, o.Entity.ID)
		case o.Relation != nil:
			fx.ids = append(fx.ids, o.Relation.ID)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	// A duplicate merged into its original: ids that redirect.
	dup, err := store.Edit(ctx, graph.Edit{Op: graph.EditCreate, Actor: "fuzz",
		Entity: graph.Entity{Kind: graph.KindPerson, Name: "Khalifa Hafter"}})
	if err != nil {
		tb.Fatal(err)
	}
	hits, err := store.Search(ctx, graph.SearchQuery{Text: "Khalifa Haftar", Limit: 1})
	if err != nil || len(hits) == 0 {
		tb.Fatalf("fixture lacks Khalifa Haftar: %v", err)
	}
	if _, err := store.Edit(ctx, graph.Edit{Op: graph.EditMerge, ID: dup.Entity, Into: hits[0].Entity.ID, Actor: "fuzz"}); err != nil {
		tb.Fatal(err)
	}
	fx.ids = append(fx.ids, dup.Entity)
	fx.server = api.New(api.Config{Store: store, Pipeline: base.pipe, ImportDir: base.importDir,
		MaxBodyBytes: fuzzBodyLimit, MaxImportBytes: 2 * fuzzBodyLimit})
	return fx
}

func (fx *fuzzFixture) close() {
	fx.server.CloseStreams()
	fx.store.Close()
}

// idToken is how a fuzz input names a fixture id: "@3" is fx.ids[3]
// (modulo their number), so that the fuzzer reaches what lies behind an
// existing entity without guessing a UUID.
var idToken = regexp.MustCompile(`@[0-9]+`)

func (fx *fuzzFixture) expand(s string) string {
	return idToken.ReplaceAllStringFunc(s, func(tok string) string {
		n, err := strconv.Atoi(tok[1:])
		if err != nil {
			return tok
		}
		return fx.ids[n%len(fx.ids)]
	})
}

// fuzzSubjects are the {id}s of paths besides the fixture's own: an
// unknown UUID, and ids that are no ids.
var fuzzSubjects = []string{"7f6d2c4e-1b2a-4c3d-9e8f-0a1b2c3d4e5f", "not-an-id", "%2F", "%00", "..", "@"}

// subject picks the {id} of a path.
func (fx *fuzzFixture) subject(n uint8) string {
	i := int(n) % (len(fx.ids) + len(fuzzSubjects))
	if i < len(fx.ids) {
		return fx.ids[i]
	}
	return fuzzSubjects[i-len(fx.ids)]
}

// do sends a request as a client on the same machine would (the server
// has no keys, so it answers only at a loopback name) and checks the
// answer's shape. It returns nil when the target is no URL a client could
// send.
func (fx *fuzzFixture) do(t *testing.T, method, target, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req, err := http.NewRequest(method, "http://localhost"+target, bytes.NewReader(body))
	if err != nil {
		return nil
	}
	req.RemoteAddr = "127.0.0.1:40000"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	fx.server.ServeHTTP(rec, req)
	checkFuzzAnswer(t, method+" "+target, rec)
	return rec
}

// checkFuzzAnswer holds every answer to the API's promises: no 5xx for
// anything a client sends; every 4xx an RFC 9457 problem document whose
// status and title are the answer's; every 2xx a well-formed body of its
// content type.
func checkFuzzAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	status, body := rec.Code, rec.Body.Bytes()
	ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	switch {
	case status >= 500:
		t.Fatalf("%s: %d: %s", what, status, body)
	case status >= 400:
		if ct != "application/problem+json" {
			t.Fatalf("%s: %d with Content-Type %q, want application/problem+json: %s", what, status, ct, body)
		}
		var p api.Problem
		if err := decodeOne(body, &p); err != nil {
			t.Fatalf("%s: %d: problem document is not one JSON object (%v): %s", what, status, err, body)
		}
		if _, err := url.Parse(p.Type); p.Type == "" || err != nil || p.Status != status ||
			p.Title != http.StatusText(status) || p.Code == "" {
			t.Fatalf("%s: %d: problem %+v lacks a type, a code, or the answer's status and title", what, status, p)
		}
	case status >= 200 && status < 300:
		switch ct {
		case "application/json":
			if !json.Valid(body) {
				t.Fatalf("%s: %d: body is not JSON: %s", what, status, body)
			}
		case "application/graphml+xml", "application/gexf+xml":
			if err := wellFormedXML(body); err != nil {
				t.Fatalf("%s: %d: %s body is not XML: %v", what, status, ct, err)
			}
		default:
			t.Fatalf("%s: %d with unexpected Content-Type %q", what, status, ct)
		}
	default:
		t.Fatalf("%s: unexpected status %d: %s", what, status, body)
	}
}

// decodeOne decodes body, which must hold exactly one JSON value, into v.
func decodeOne(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more after the first value")
	}
	return nil
}

func wellFormedXML(body []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// fuzzReads are the read routes and every query parameter each accepts,
// in the order a fuzz input's values fill them. The change stream is left
// out: it never ends.
var fuzzReads = []struct {
	path   string
	params []string
}{
	{"/v1/entities", []string{"q", "kind", "script", "fuzzy", "limit"}},
	{"/v1/entities/{id}", nil},
	{"/v1/entities/{id}/relations", []string{"type", "direction", "from", "to", "min_confidence", "limit", "cursor"}},
	{"/v1/entities/{id}/network", []string{"depth", "limit", "kind", "type", "from", "to", "format", "exclude"}},
	{"/v1/entities/{id}/common", []string{"with", "type", "from", "to", "limit", "cursor"}},
	{"/v1/entities/{id}/timeline", []string{"bucket", "type", "from", "to", "cursor"}},
	{"/v1/relations/{id}", nil},
	{"/v1/paths", []string{"from", "to", "k", "max_depth", "type", "since", "until"}},
	{"/v1/events", []string{"actor", "place", "type", "from", "to", "limit", "cursor"}},
	{"/v1/documents/{id}", nil},
	{"/v1/documents/{id}/annotations", nil},
	{"/v1/gazetteer", []string{"kind", "origin", "limit", "cursor"}},
	{"/v1/audit", []string{"entity", "since", "limit"}},
	{"/v1/changes", []string{"since", "limit"}},
	{"/v1/stats", nil},
}

// FuzzQueryParams sends GET requests to every read route with fuzzed
// values for every parameter it accepts: values holds them separated by
// newlines, in the route's order (an empty one is left out; "@N" names a
// fixture id), and extra is appended to the query string unescaped, for
// repeated parameters and broken escapes. Whatever the input, the answer
// keeps checkFuzzAnswer's promises, and a 400 or 422 names a parameter
// the route takes.
//
// The seeds are in testdata/fuzz/FuzzQueryParams; they pick routes and
// ids by position in fuzzReads and in the fixture, so add routes at the
// end of the table.
func FuzzQueryParams(f *testing.F) {
	base := newFuzzBase(f)
	fx := base.fixture(f)
	f.Cleanup(fx.close)
	f.Fuzz(func(t *testing.T, route, subject uint8, values, extra string) {
		r := fuzzReads[int(route)%len(fuzzReads)]
		path := strings.Replace(r.path, "{id}", fx.subject(subject), 1)
		q := url.Values{}
		for i, v := range strings.SplitN(values, "\n", len(r.params)+1) {
			if i < len(r.params) && v != "" {
				q.Add(r.params[i], fx.expand(v))
			}
		}
		target := path + "?" + q.Encode()
		if extra != "" {
			target += "&" + fx.expand(extra)
		}
		rec := fx.do(t, http.MethodGet, target, "", nil)
		if rec == nil || rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnprocessableEntity {
			return
		}
		var p api.Problem
		_ = json.Unmarshal(rec.Body.Bytes(), &p) // checked by do
		if p.Param != "" && p.Param != "id" && !slices.Contains(r.params, p.Param) {
			t.Fatalf("GET %s: %d names parameter %q, which %s does not take", target, rec.Code, p.Param, r.path)
		}
	})
}
