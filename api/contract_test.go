package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// The contract test: a real server over HTTP, with the demo reports
// ingested, is sent realistic requests (and wrong ones) for every route of
// its engine, and every response is checked against the OpenAPI document
// the server serves: the status is documented for the operation, and so
// are the content type and the headers; the body matches the schema and
// has no member the schema does not describe; and a request that
// succeeded is one the document accepts. It fails when a route of the
// engine is not in the document, or an operation of the document is not
// exercised, or is exercised only with errors.

func TestContract(t *testing.T) {
	store, err := memstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	runContract(t, store)
}

func TestContractNeo4j(t *testing.T) {
	runContract(t, neo4jtest.Open(t, neo4jtest.Config(t)))
}

// contractMaxBody is the body limit of the contract's servers: small, so
// that 413 is cheap to provoke.
const contractMaxBody = 64 << 10

func runContract(t *testing.T, store graph.Store) {
	pipe := loadDemo(t, store)
	serve := func(cfg Config) (*Server, string) {
		cfg.Pipeline, cfg.MaxBodyBytes, cfg.ImportDir = pipe, contractMaxBody, t.TempDir()
		cfg.ChangePoll = 10 * time.Millisecond
		if cfg.Store == nil {
			cfg.Store = store
		}
		s := New(cfg)
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		t.Cleanup(s.CloseStreams)
		return s, srv.URL
	}
	s, base := serve(Config{})
	k := newContract(t, base)

	exerciseOperations(t, k)
	exerciseReads(t, k)
	exerciseWrites(t, k)
	exerciseDocuments(t, k)
	exerciseImports(t, k)
	exerciseGazetteer(t, k)
	exerciseChanges(t, k)

	_, keyed := serve(Config{Keys: testKeys})
	exerciseKeys(t, k.at(keyed))
	_, limited := serve(Config{RateLimit: 0.001, RateBurst: 1})
	exerciseRateLimit(t, k.at(limited))
	_, down := serve(Config{Store: &failingStore{Store: store, err: graph.Errorf(graph.Unavailable, "the store is down")}})
	exerciseFailures(t, k.at(down), http.StatusServiceUnavailable)
	_, slow := serve(Config{Store: &failingStore{Store: store, err: graph.Errorf(graph.Timeout, "the time limit ran out")}})
	exerciseFailures(t, k.at(slow), http.StatusGatewayTimeout)

	k.checkCoverage(t, s)
}

// loadDemo ingests the demo reports into store as `serve --demo` does,
// and returns the pipeline that read them.
func loadDemo(t *testing.T, store graph.Store) *ingest.Pipeline {
	t.Helper()
	ctx := context.Background()
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ingest.DemoArticles() {
		b, err := pipe.Extract(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ingest.Store(ctx, store, b); err != nil {
			t.Fatal(err)
		}
	}
	return pipe
}

// contract sends requests and checks each answer against the document.
type contract struct {
	base   string
	doc    *openapi3.T
	router routers.Router
	// seen holds, per operation ("GET /v1/entities/{id}"), the statuses
	// it answered.
	seen map[string]map[int]bool
}

func newContract(t *testing.T, base string) *contract {
	t.Helper()
	resp, err := http.Get(base + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d %s", resp.StatusCode, raw)
	}
	// Bodies that are text of a kind kin-openapi does not know are read
	// as strings, as the document's schemas describe them.
	for _, ct := range []string{"text/html", "text/javascript", "text/css", "text/event-stream", "text/csv",
		"text/tab-separated-values", "application/x-ndjson", "application/graphml+xml", "application/gexf+xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("loading the document: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("the document is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid: %v", err)
	}
	// The document's server is "/", relative to where it was read; the
	// router matches paths alone without one.
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &contract{base: base, doc: doc, router: router, seen: map[string]map[int]bool{}}
}

// call is one request and the status it must get.
type call struct {
	method string
	path   string // with the query
	header http.Header
	body   []byte
	status int
	// stream reads a long-lived response (Server-Sent Events) only until
	// its first event, or until the time runs out.
	stream bool
}

// reply is what came back.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v.
func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, r.body)
	}
}

// at is the contract for another server of the same build: what it
// exercises counts with the rest.
func (k *contract) at(base string) *contract {
	c := *k
	c.base = base
	return &c
}

// get sends a GET and checks it.
func (k *contract) get(t *testing.T, path string, status int) reply {
	t.Helper()
	return k.do(t, call{method: http.MethodGet, path: path, status: status})
}

// send sends a body and checks the answer.
func (k *contract) send(t *testing.T, method, path, contentType string, body []byte, status int) reply {
	t.Helper()
	return k.do(t, call{method: method, path: path, header: http.Header{"Content-Type": {contentType}}, body: body, status: status})
}

func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// do sends c, checks the status, and checks the answer against the
// document.
func (k *contract) do(t *testing.T, c call) reply {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if c.stream {
		ctx, cancel = context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, c.method, k.base+c.path, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for name, vs := range c.header {
		req.Header[name] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	var body []byte
	if c.stream {
		body = readFirstEvent(resp.Body)
	} else if body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatalf("%s %s: reading the body: %v", c.method, c.path, err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, body: body}
	if r.status != c.status {
		t.Errorf("%s %s: status %d, want %d: %s", c.method, c.path, r.status, c.status, clipBody(body))
	}
	k.check(t, c, req, r)
	return r
}

// readFirstEvent reads a stream until its first complete event.
func readFirstEvent(r io.Reader) []byte {
	var out []byte
	buf := make([]byte, 4096)
	for !bytes.Contains(out, []byte("\n\n")) {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			break
		}
	}
	return out
}

func clipBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// check validates one exchange against the document.
func (k *contract) check(t *testing.T, c call, req *http.Request, r reply) {
	t.Helper()
	// A fresh request for the validator: the sent one's body is spent.
	vreq, _ := http.NewRequest(c.method, k.base+c.path, bytes.NewReader(c.body))
	for name, vs := range c.header {
		vreq.Header[name] = vs
	}
	route, params, err := k.router.FindRoute(vreq)
	if err != nil {
		t.Errorf("%s %s: not in the document: %v", c.method, req.URL.Path, err)
		return
	}
	op := c.method + " " + route.Path
	if k.seen[op] == nil {
		k.seen[op] = map[int]bool{}
	}
	k.seen[op][r.status] = true

	input := &openapi3filter.RequestValidationInput{
		Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	// What the server accepts, the document must accept too: a request
	// that succeeded is checked against the operation's parameters and
	// body.
	if r.status < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
			t.Errorf("%s %s: succeeded (%d) but the document rejects the request: %v", c.method, c.path, r.status, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(r.body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: %d does not match the document: %v\n%s", c.method, c.path, r.status, err, clipBody(r.body))
		return
	}
	resp := route.Operation.Responses.Status(r.status)
	if resp == nil || resp.Value == nil {
		return
	}
	if len(resp.Value.Content) == 0 && len(r.body) > 0 {
		t.Errorf("%s %s: %d has a body the document does not describe: %s", c.method, c.path, r.status, clipBody(r.body))
	}
	ct := r.header.Get("Content-Type")
	if mt := resp.Value.Content.Get(ct); mt != nil && mt.Schema != nil && isJSON(ct) {
		var v any
		if err := json.Unmarshal(r.body, &v); err != nil {
			t.Errorf("%s %s: %s body is not JSON: %v", c.method, c.path, ct, err)
			return
		}
		for _, p := range undocumented(mt.Schema.Value, v, "") {
			t.Errorf("%s %s: %d: the body has %s, which the document does not describe", c.method, c.path, r.status, p)
		}
	}
}

func isJSON(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// undocumented lists the members of v that schema does not declare, so a
// field added to a response without the document fails the test. (The
// published document leaves objects open, for clients' sake: new members
// may come.)
func undocumented(s *openapi3.Schema, v any, at string) []string {
	if s == nil {
		return nil
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) == 0 {
			continue
		}
		// The member of a union the value matches says what it declares.
		for _, alt := range alts {
			if alt.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()) == nil {
				return undocumented(alt.Value, v, at)
			}
		}
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		props, extra := declared(s)
		if len(props) == 0 && extra == nil {
			return nil // a schema that says nothing of members: any object
		}
		var out []string
		keys := make([]string, 0, len(v))
		for key := range v {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			switch p := props[key]; {
			case p != nil:
				out = append(out, undocumented(p, v[key], at+"."+key)...)
			case extra != nil:
				out = append(out, undocumented(extra, v[key], at+"."+key)...)
			default:
				out = append(out, strings.TrimPrefix(at+"."+key, "."))
			}
		}
		return out
	case []any:
		var out []string
		items := s.Items
		for i, e := range v {
			if items != nil {
				out = append(out, undocumented(items.Value, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
		return out
	}
	return nil
}

// declared gathers the properties an object schema declares, through allOf,
// and the schema of any others (nil: none allowed).
func declared(s *openapi3.Schema) (map[string]*openapi3.Schema, *openapi3.Schema) {
	props := map[string]*openapi3.Schema{}
	var extra *openapi3.Schema
	var walk func(*openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		for name, p := range s.Properties {
			if props[name] == nil {
				props[name] = p.Value
			}
		}
		if ap := s.AdditionalProperties; ap.Schema != nil {
			extra = ap.Schema.Value
		} else if ap.Has != nil && *ap.Has {
			extra = &openapi3.Schema{} // anything
		}
		for _, sub := range s.AllOf {
			walk(sub.Value)
		}
	}
	walk(s)
	return props, extra
}

// checkCoverage fails for a route of the engine the document lacks, and for
// an operation of the document no request exercised.
func (k *contract) checkCoverage(t *testing.T, s *Server) {
	t.Helper()
	documented := map[string]bool{}
	for path, item := range k.doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	for _, rt := range s.engine.Routes() {
		op := rt.Method + " " + openAPIPath(rt.Path)
		if !documented[op] {
			t.Errorf("route %s %s is not in the document", rt.Method, rt.Path)
		}
	}
	// The roles the document states are the ones the server enforces.
	for _, rt := range s.engine.Routes() {
		item := k.doc.Paths.Find(openAPIPath(rt.Path))
		if item == nil || item.GetOperation(rt.Method) == nil {
			continue
		}
		op := item.GetOperation(rt.Method)
		role := routeRoles[rt.Method+" "+rt.Path]
		public := op.Security != nil && len(*op.Security) == 0
		if public != (role == rolePublic) {
			t.Errorf("%s %s: the document says open to all %v, the server's role is %s", rt.Method, rt.Path, public, role)
		}
		for _, r := range []Role{RoleWriter, RoleAdmin} {
			if says := strings.Contains(op.Description, "Needs `"+r.String()+"`."); says != (role == r) {
				t.Errorf("%s %s needs %s; the document's description says so: %v", rt.Method, rt.Path, role, says)
			}
		}
	}

	// Every path answers a method it lacks with 405 and the methods it has.
	for path, item := range k.doc.Paths.Map() {
		var want []string
		for method := range item.Operations() {
			want = append(want, method)
		}
		sort.Strings(want)
		concrete := strings.NewReplacer("{id}", noID, "{alias}", "x", "{file}", "problems", "{format}", "ndjson").Replace(path)
		req, _ := http.NewRequest("TRACE", k.base+concrete, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var got []string
		for _, m := range strings.Split(resp.Header.Get("Allow"), ",") {
			if m = strings.TrimSpace(m); m != "" {
				got = append(got, m)
			}
		}
		sort.Strings(got)
		if resp.StatusCode != http.StatusMethodNotAllowed || !slices.Equal(got, want) {
			t.Errorf("TRACE %s: %d, Allow %q; want 405, Allow %q", concrete, resp.StatusCode, got, want)
		}
	}

	var ops []string
	for op := range documented {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		statuses := k.seen[op]
		if len(statuses) == 0 {
			t.Errorf("operation %s is in the document but the contract test does not exercise it", op)
			continue
		}
		success := false
		for st := range statuses {
			success = success || st < 400
		}
		if !success {
			t.Errorf("operation %s is exercised only with errors", op)
		}
	}
}

// openAPIPath turns a gin route pattern into the document's: /a/:id and
// /a/*file become /a/{id} and /a/{file}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// failingStore fails every call the contract's failure cases make, with
// err, to show the problems of a store that is down or too slow.
type failingStore struct {
	graph.Store
	err error
}

func (f *failingStore) Ready(context.Context) error { return f.err }
func (f *failingStore) Stats(context.Context) (graph.Stats, error) {
	return graph.Stats{}, f.err
}
func (f *failingStore) Entity(context.Context, string) (graph.Entity, error) {
	return graph.Entity{}, f.err
}
func (f *failingStore) Search(context.Context, graph.SearchQuery) ([]graph.SearchHit, error) {
	return nil, f.err
}
func (f *failingStore) Changes(context.Context, uint64, int) (graph.ChangePage, error) {
	return graph.ChangePage{}, f.err
}

// Ids no entity, relation, document or job has.
const (
	noID   = "00000000-0000-5000-8000-000000000000"
	badID  = "not-a-uuid"
	tooBig = graph.MaxPageSize + 1
)

// ambiguous is a name two demo events answer to equally well.
const ambiguous = "Khaled Haftar and security and military leaders of Misrata"

// demoID finds the id of a demo entity by name and kind.
func demoID(t *testing.T, k *contract, name string, kind graph.Kind) string {
	t.Helper()
	r := k.get(t, "/v1/entities?q="+url.QueryEscape(name)+"&kind="+string(kind)+"&limit=1", 200)
	var page struct{ Items []graph.Entity }
	r.json(t, &page)
	if len(page.Items) == 0 {
		t.Fatalf("no demo %s %q", kind, name)
	}
	return page.Items[0].ID
}

// exerciseOperations: health, readiness, metrics, the document and the
// reference.
func exerciseOperations(t *testing.T, k *contract) {
	k.get(t, "/healthz", 200)
	k.get(t, "/readyz", 200)
	if m := k.get(t, "/metrics", 200); !bytes.Contains(m.body, []byte("http_request_duration_seconds")) {
		t.Errorf("/metrics lacks http_request_duration_seconds")
	}

	doc := k.get(t, "/openapi.json", 200)
	etag := doc.header.Get("ETag")
	if etag == "" {
		t.Error("/openapi.json has no ETag")
	}
	k.do(t, call{method: "GET", path: "/openapi.json", header: http.Header{"If-None-Match": {etag}}, status: 304})

	page := k.get(t, "/docs", 200)
	if !bytes.Contains(page.body, []byte(`src="/docs/redoc.standalone.js"`)) || !bytes.Contains(page.body, []byte(`spec-url="/openapi.json"`)) {
		t.Errorf("/docs does not load the bundle and the document: %s", clipBody(page.body))
	}
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("/docs has no strict Content-Security-Policy: %q", csp)
	}
	k.do(t, call{method: "GET", path: "/docs", header: http.Header{"If-None-Match": {page.header.Get("ETag")}}, status: 304})
	js := k.get(t, "/docs/redoc.standalone.js", 200)
	if ct := js.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") || len(js.body) < 100_000 {
		t.Errorf("the bundle: %s, %d bytes", ct, len(js.body))
	}
	k.get(t, "/docs/redoc.standalone.js.LICENSE.txt", 200)
	k.get(t, "/docs/redoc.LICENSE.txt", 200)
	// The document's problem codes are the server's.
	var codes []string
	for _, c := range k.doc.Components.Schemas["ProblemCode"].Value.Enum {
		codes = append(codes, c.(string))
	}
	var served []string
	for c := range statusOf {
		served = append(served, string(c))
	}
	sort.Strings(codes)
	sort.Strings(served)
	if !slices.Equal(codes, served) {
		t.Errorf("the document's problem codes %v, the server's %v", codes, served)
	}
	problems := k.get(t, "/docs/problems", 200)
	for code := range statusOf {
		if !bytes.Contains(problems.body, []byte(`id="`+string(code)+`"`)) {
			t.Errorf("/docs/problems does not describe %s", code)
		}
	}
	// Nothing but the listed files: no listing, no way out.
	for _, p := range []string{"/docs/reference", "/docs/package.json", "/docs/index.html", "/docs/openapi.go"} {
		k.get(t, p, 404)
	}
	for _, p := range []string{"/docs/..%2fopenapi.go", "/docs/%2e%2e/openapi.yaml", "/docs/reference/",
		"/docs/reference/package.json", "/docs/../api/openapi.yaml"} {
		req, _ := http.NewRequest("GET", k.base, nil)
		req.URL.Opaque = p // sent as written, not cleaned
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != problemContentType {
			t.Errorf("GET %s: %d %s, want a 404 problem", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	// The explorer page and its files (explorer_test.go tests them more).
	explorer := k.get(t, "/", 200)
	k.do(t, call{method: "GET", path: "/", header: http.Header{"If-None-Match": {explorer.header.Get("ETag")}}, status: 304})
	for _, m := range explorerAssetRef.FindAllSubmatch(explorer.body, -1) {
		k.get(t, "/explorer/"+string(m[1]), 200)
	}
	k.get(t, "/explorer/LICENSES.txt", 200)
	k.get(t, "/explorer/nope.js", 404)
	// /docs/ is /docs to a person who types it.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(k.base + "/docs/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/docs" {
		t.Errorf("GET /docs/: %d to %q, want 301 to /docs", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// exerciseReads: search, entities, relations, networks, paths, common
// neighbours, events, timelines, statistics, with their bad parameters.
func exerciseReads(t *testing.T, k *contract) {
	khaled := demoID(t, k, "Khaled Haftar", graph.KindPerson)
	misrata := demoID(t, k, "Misrata", graph.KindPlace)
	leaders := demoID(t, k, "security and military leaders of Misrata", graph.KindGroup)

	k.get(t, "/v1/entities?q="+url.QueryEscape("خالد حفتر")+"&kind=Person,Event&limit=5", 200)
	k.get(t, "/v1/entities?q=Hifter&kind=Place&kind=Group&script=latin&fuzzy=false", 200)
	k.get(t, "/v1/entities?q="+url.QueryEscape("مصراتة")+"&script=ar", 200)
	k.get(t, "/v1/entities", 400)
	k.get(t, "/v1/entities?q=x&kind=Planet", 400)
	k.get(t, "/v1/entities?q=x&script=greek", 400)
	k.get(t, "/v1/entities?q=x&limit=0", 400)
	k.get(t, fmt.Sprintf("/v1/entities?q=x&limit=%d", tooBig), 422)

	entity := k.get(t, "/v1/entities/"+khaled, 200)
	k.do(t, call{method: "GET", path: "/v1/entities/" + khaled, header: http.Header{"If-None-Match": {entity.header.Get("ETag")}}, status: 304})
	k.get(t, "/v1/entities/"+badID, 400)
	k.get(t, "/v1/entities/"+noID, 404)

	rels := k.get(t, "/v1/entities/"+khaled+"/relations?type=PARTICIPATED_IN,MEMBER_OF&direction=out&from=2025-01&to=2025-12-31&min_confidence=0.5&limit=2", 200)
	var page struct {
		Items []graph.Relation
		Next  string
	}
	rels.json(t, &page)
	if len(page.Items) == 0 || page.Next == "" {
		t.Fatalf("Khaled Haftar has %d relations on the first page, next %q", len(page.Items), page.Next)
	}
	k.get(t, "/v1/entities/"+khaled+"/relations?type=PARTICIPATED_IN&type=MEMBER_OF&direction=out&limit=2&cursor="+url.QueryEscape(page.Next), 200)
	k.get(t, "/v1/entities/"+khaled+"/relations?direction=sideways", 400)
	k.get(t, "/v1/entities/"+khaled+"/relations?type=KNOWS", 400)
	k.get(t, "/v1/entities/"+khaled+"/relations?from=yesterday", 400)
	k.get(t, "/v1/entities/"+khaled+"/relations?cursor=%21%21", 400)
	k.get(t, fmt.Sprintf("/v1/entities/%s/relations?limit=%d", khaled, tooBig), 422)
	k.get(t, "/v1/entities/"+noID+"/relations", 404)

	k.get(t, "/v1/relations/"+page.Items[0].ID, 200)
	k.get(t, "/v1/relations/"+noID, 404)
	k.get(t, "/v1/relations/"+badID, 400)

	network := k.get(t, "/v1/entities/"+khaled+"/network?depth=2&limit=10&kind=Person,Organization,Event&from=2025", 200)
	var n graph.Network
	network.json(t, &n)
	if len(n.Nodes) < 2 {
		t.Fatalf("Khaled Haftar's network has %d nodes", len(n.Nodes))
	}
	k.get(t, "/v1/entities/"+khaled+"/network?depth=2&exclude="+n.Nodes[0].ID+","+n.Nodes[1].ID, 200)
	k.get(t, "/v1/entities/"+khaled+"/network?format=cytoscape&type=PARTICIPATED_IN", 200)
	k.get(t, "/v1/entities/"+khaled+"/network?format=nvl", 200)
	for _, f := range []string{"graphml", "gexf"} {
		r := k.get(t, "/v1/entities/"+khaled+"/network?format="+f, 200)
		if !bytes.Contains(r.body, []byte("<"+f)) {
			t.Errorf("format=%s: %s", f, clipBody(r.body))
		}
	}
	k.get(t, "/v1/entities/"+khaled+"/network?format=svg", 400)
	k.get(t, "/v1/entities/"+khaled+"/network?depth=two", 400)
	k.get(t, "/v1/entities/"+khaled+"/network?exclude=x", 400)
	k.get(t, "/v1/entities/"+khaled+"/network?depth=5", 422)
	k.get(t, "/v1/entities/"+noID+"/network", 404)

	k.get(t, "/v1/paths?from="+khaled+"&to="+url.QueryEscape("مصراتة")+"&k=2&max_depth=3&since=2025-01-01&until=2025-12-31", 200)
	k.get(t, "/v1/paths?from="+url.QueryEscape(ambiguous)+"&to=Misrata", 409)
	k.get(t, "/v1/paths?from="+khaled, 400)
	k.get(t, "/v1/paths?from="+khaled+"&to=Nowhereville", 404)
	k.get(t, "/v1/paths?from="+khaled+"&to="+misrata+"&k=21", 422)

	common := k.get(t, "/v1/entities/"+khaled+"/common?with="+leaders+"&limit=1", 200)
	var cn struct{ Items []json.RawMessage }
	common.json(t, &cn)
	if len(cn.Items) == 0 {
		t.Error("Khaled Haftar and the leaders of Misrata have no common neighbour")
	}
	k.get(t, "/v1/entities/"+khaled+"/common?with="+url.QueryEscape("Misrata")+"&type=PARTICIPATED_IN,OCCURRED_IN&from=2025-10&to=2025-12", 200)
	k.get(t, "/v1/entities/"+khaled+"/common", 400)
	k.get(t, "/v1/entities/"+khaled+"/common?with="+khaled, 400)
	k.get(t, "/v1/entities/"+khaled+"/common?with="+url.QueryEscape(ambiguous), 409)
	k.get(t, "/v1/entities/"+khaled+"/common?with="+noID, 404)
	k.get(t, fmt.Sprintf("/v1/entities/%s/common?with=%s&limit=%d", khaled, leaders, tooBig), 422)

	k.get(t, "/v1/events?actor="+khaled+"&from=2025-10&to=2025-12&limit=1", 200)
	k.get(t, "/v1/events?place="+url.QueryEscape("Misrata")+"&type=agreement", 200)
	k.get(t, "/v1/events?actor="+url.QueryEscape(ambiguous), 409)
	k.get(t, "/v1/events?actor=Nobody+Atall", 404)
	k.get(t, "/v1/events?to=2025-13-99x", 400)
	k.get(t, fmt.Sprintf("/v1/events?limit=%d", tooBig), 422)

	k.get(t, "/v1/entities/"+khaled+"/timeline?bucket=day&from=2025&to=2025-12-31", 200)
	k.get(t, "/v1/entities/"+misrata+"/timeline?type=agreement,meeting", 200)
	k.get(t, "/v1/entities/"+khaled+"/timeline?bucket=week", 400)
	k.get(t, "/v1/entities/"+noID+"/timeline", 404)

	k.get(t, "/v1/stats", 200)
}

// exerciseWrites: analysts' edits, merges, the audit log.
func exerciseWrites(t *testing.T, k *contract) {
	person := map[string]any{"kind": "Person", "name": "Salem Contract", "name_ar": "سالم العقد",
		"title": "Col.", "aliases": []string{"S. Contract"}, "reason": "named in a panel report"}
	created := k.send(t, "POST", "/v1/entities", "application/json", jsonBody(person), 201)
	var e graph.Entity
	created.json(t, &e)
	if loc := created.header.Get("Location"); loc != "/v1/entities/"+e.ID {
		t.Errorf("Location %q, want the entity's", loc)
	}
	etag := created.header.Get("ETag")
	k.send(t, "POST", "/v1/entities", "application/json", jsonBody(person), 409)
	k.send(t, "POST", "/v1/entities", "application/json", []byte(`{"kind": "Planet", "name": "Mars"}`), 400)
	k.send(t, "POST", "/v1/entities", "application/json", []byte(`{"name": "No Kind"}`), 400)
	k.send(t, "POST", "/v1/entities", "application/json", []byte(`{"kind": "Person", "name": "X", "mentions": []}`), 400)
	k.send(t, "POST", "/v1/entities", "application/json", []byte(`{"kind": "Person"`), 400)
	k.send(t, "POST", "/v1/entities", "text/plain", []byte("Salem"), 415)
	k.send(t, "POST", "/v1/entities", "application/json", jsonBody(map[string]string{
		"kind": "Person", "name": "Big", "summary": strings.Repeat("x", contractMaxBody)}), 413)

	path := "/v1/entities/" + e.ID
	patch := func(ifMatch, contentType, body string, status int) reply {
		t.Helper()
		h := http.Header{"Content-Type": {contentType}}
		if ifMatch != "" {
			h.Set("If-Match", ifMatch)
		}
		return k.do(t, call{method: "PATCH", path: path, header: h, body: []byte(body), status: status})
	}
	patched := patch(etag, "application/merge-patch+json", `{"title": "Brig. Gen.", "title_ar": null, "lat": 32.37, "lon": 15.09, "reason": "promoted"}`, 200)
	patch(etag, "application/merge-patch+json", `{"title": "Col."}`, 412)
	patch("", "application/json", `{"summary": "A commander in the contract test."}`, 200)
	patch("", "application/merge-patch+json", `{"kind": "Place"}`, 400)
	patch("", "application/merge-patch+json", `{"lat": "north"}`, 400)
	patch("", "application/merge-patch+json", `{"fatalities": -1}`, 400)
	patch("", "text/plain", `title`, 415)
	k.do(t, call{method: "PATCH", path: "/v1/entities/" + noID, header: http.Header{"Content-Type": {"application/json"}},
		body: []byte(`{"title": "x"}`), status: 404})
	_ = patched

	k.send(t, "POST", path+"/aliases", "application/json", []byte(`{"alias": "Salim Contract", "reason": "a spelling"}`), 200)
	k.send(t, "POST", path+"/aliases", "application/json", []byte(`{"alias": " "}`), 400)
	k.send(t, "POST", "/v1/entities/"+noID+"/aliases", "application/json", []byte(`{"alias": "x"}`), 404)
	k.do(t, call{method: "DELETE", path: path + "/aliases/" + url.PathEscape("Salim Contract") + "?reason=misread", status: 200})
	k.do(t, call{method: "DELETE", path: path + "/aliases/" + url.PathEscape("Never Named"), status: 404})
	k.do(t, call{method: "DELETE", path: path + "/aliases/" + url.PathEscape("Salem Contract"), status: 400})

	twin := k.send(t, "POST", "/v1/entities", "application/json", []byte(`{"kind": "Person", "name": "Salem Kontract"}`), 201)
	var dup graph.Entity
	twin.json(t, &dup)
	k.send(t, "POST", "/v1/merges", "application/json", jsonBody(map[string]string{"keep": e.ID, "drop": "Salem Kontract", "reason": "one person"}), 200)
	k.send(t, "POST", "/v1/merges", "application/json", []byte(`{"keep": "`+e.ID+`"}`), 400)
	k.send(t, "POST", "/v1/merges", "application/json", jsonBody(map[string]string{"keep": e.ID, "drop": ambiguous}), 409)
	k.send(t, "POST", "/v1/merges", "application/json", jsonBody(map[string]string{"keep": e.ID, "drop": noID}), 404)
	k.do(t, call{method: "DELETE", path: "/v1/merges/" + dup.ID + "?reason=two+people+after+all", status: 200})
	k.do(t, call{method: "DELETE", path: "/v1/merges/" + dup.ID, status: 409})
	k.do(t, call{method: "DELETE", path: "/v1/merges/" + badID, status: 400})

	audit := k.get(t, "/v1/audit?entity="+e.ID+"&limit=2", 200)
	var log struct {
		Items []graph.AuditRecord
		Next  string
	}
	audit.json(t, &log)
	if len(log.Items) != 2 || log.Items[0].Op != graph.EditCreate {
		t.Errorf("the audit log of the entity begins %+v", log.Items)
	}
	k.get(t, "/v1/audit?since="+log.Next, 200)
	k.get(t, "/v1/audit?since=yesterday", 400)
	k.get(t, "/v1/audit?entity="+url.QueryEscape(ambiguous), 409)
	k.get(t, fmt.Sprintf("/v1/audit?limit=%d", tooBig), 422)

	k.do(t, call{method: "DELETE", path: "/v1/entities/" + dup.ID + "?reason=test+data", status: 200})
	k.do(t, call{method: "DELETE", path: "/v1/entities/" + dup.ID, status: 404})
	k.do(t, call{method: "DELETE", path: path, header: http.Header{"If-Match": {etag}}, status: 412})
	k.do(t, call{method: "DELETE", path: "/v1/entities/" + badID, status: 400})
}

// exerciseDocuments: ingesting an article, a document, its annotations.
func exerciseDocuments(t *testing.T, k *contract) {
	article := map[string]string{"id": "contract-1", "url": "https://example.org/contract-1", "language": "ar",
		"published": "2025-11-02", "text": "استقبل المشير خليفة حفتر في بنغازي وفدا من مدينة سرت."}
	first := k.send(t, "POST", "/v1/documents", "application/json", jsonBody(article), 201)
	var res struct{ Document string }
	first.json(t, &res)
	k.send(t, "POST", "/v1/documents", "application/json", jsonBody(article), 200)
	k.send(t, "POST", "/v1/documents", "application/json", []byte(`{"text": ""}`), 400)
	k.send(t, "POST", "/v1/documents", "application/json", []byte(`{"txt": "x"}`), 400)
	k.send(t, "POST", "/v1/documents", "text/plain", []byte("x"), 415)
	big := jsonBody(map[string]string{"text": strings.Repeat("x ", contractMaxBody)})
	k.send(t, "POST", "/v1/documents", "application/json", big, 413)

	k.get(t, "/v1/documents/"+res.Document, 200)
	k.get(t, "/v1/documents/"+noID, 404)
	k.get(t, "/v1/documents/"+badID, 400)

	ann := k.get(t, "/v1/documents/"+res.Document+"/annotations", 200)
	var a struct {
		Direction string
		Mentions  []json.RawMessage
	}
	ann.json(t, &a)
	if a.Direction != "rtl" || len(a.Mentions) == 0 {
		t.Errorf("annotations of an Arabic report: direction %q, %d mentions", a.Direction, len(a.Mentions))
	}
	k.get(t, "/v1/documents/"+noID+"/annotations", 404)
	k.get(t, "/v1/documents/"+badID+"/annotations", 400)
}

// exerciseImports: import jobs, their resubmission, their progress.
func exerciseImports(t *testing.T, k *contract) {
	line := `{"kind":"header","format":"polgraph","version":1}` + "\n"
	r := k.send(t, "POST", "/v1/imports/ndjson", "application/x-ndjson", []byte(line), 202)
	var job Job
	r.json(t, &job)
	if loc := r.header.Get("Location"); loc != "/v1/jobs/"+job.ID {
		t.Errorf("Location %q, want the job's", loc)
	}
	k.send(t, "POST", "/v1/imports/ndjson", "application/x-ndjson", []byte(line), 200)
	article := jsonBody(map[string]string{"url": "https://example.org/contract-2", "language": "en",
		"text": "Khaled Haftar met security and military leaders from Misrata in Benghazi."})
	k.send(t, "POST", "/v1/imports/articles", "application/x-ndjson", append(article, '\n'), 202)
	k.send(t, "POST", "/v1/imports/articles", "text/csv", article, 415)
	k.send(t, "POST", "/v1/imports/gdelt", "text/tab-separated-values", []byte("not\tgdelt\n"), 202)
	k.send(t, "POST", "/v1/imports/acled", "text/csv", []byte("not,acled\n"), 202)
	k.send(t, "POST", "/v1/imports/ndjson", "application/x-ndjson", nil, 400)
	k.send(t, "POST", "/v1/imports/xlsx", "application/octet-stream", []byte("x"), 404)
	k.get(t, "/v1/jobs/"+job.ID, 200)
	k.get(t, "/v1/jobs/"+noID, 404)
	k.get(t, "/v1/jobs/"+badID, 400)
}

// exerciseGazetteer: listing entries, adding one.
func exerciseGazetteer(t *testing.T, k *contract) {
	r := k.get(t, "/v1/gazetteer?kind=Person&origin=builtin&limit=2", 200)
	var page struct{ Next string }
	r.json(t, &page)
	k.get(t, "/v1/gazetteer?limit=2&cursor="+url.QueryEscape(page.Next), 200)
	k.get(t, "/v1/gazetteer?origin=moon", 400)
	k.get(t, fmt.Sprintf("/v1/gazetteer?limit=%d", tooBig), 422)
	entry := map[string]any{"version": 1, "entries": []map[string]any{{
		"id": "person/contract-example", "kind": "Person", "name": "Contract Example",
		"name_ar": "مثال العقد", "source": "https://example.org/contract"}}}
	k.send(t, "POST", "/v1/gazetteer", "application/json", jsonBody(entry), 201)
	k.send(t, "POST", "/v1/gazetteer", "application/json", jsonBody(entry), 200)
	k.send(t, "POST", "/v1/gazetteer", "application/yaml", []byte("version: 1\nentries: []\n"), 400)
	k.send(t, "POST", "/v1/gazetteer", "image/png", []byte("x"), 415)
}

// exerciseChanges: the change feed, as pages and as a stream.
func exerciseChanges(t *testing.T, k *contract) {
	r := k.get(t, "/v1/changes?limit=2", 200)
	var page struct {
		Items []graph.Change
		Next  string
	}
	r.json(t, &page)
	if len(page.Items) != 2 || page.Next == "" {
		t.Fatalf("the change feed's first page: %d changes, next %q", len(page.Items), page.Next)
	}
	k.get(t, "/v1/changes?since="+page.Next, 200)
	k.get(t, "/v1/changes?since=2025-01-01", 200)
	k.get(t, "/v1/changes?since="+url.QueryEscape(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)), 200)
	k.get(t, "/v1/changes?since=yesterday", 400)
	k.get(t, fmt.Sprintf("/v1/changes?limit=%d", tooBig), 422)

	stream := k.do(t, call{method: "GET", path: "/v1/changes/stream?since=" + page.Next, stream: true, status: 200})
	if !bytes.HasPrefix(stream.body, []byte(":")) {
		t.Errorf("the stream begins %q", clipBody(stream.body))
	}
	k.do(t, call{method: "GET", path: "/v1/changes/stream", header: http.Header{"Last-Event-ID": {page.Next}}, stream: true, status: 200})
	k.get(t, "/v1/changes/stream?since=tomorrow", 400)
}

// exerciseKeys: a server with API keys.
func exerciseKeys(t *testing.T, k *contract) {
	bearer := func(key string) http.Header { return http.Header{"Authorization": {"Bearer " + key}} }
	k.get(t, "/healthz", 200)
	k.get(t, "/openapi.json", 200)
	r := k.get(t, "/v1/stats", 401)
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	k.do(t, call{method: "GET", path: "/v1/stats", header: bearer(unknownKey), status: 401})
	k.do(t, call{method: "GET", path: "/v1/stats", header: bearer(readerKey), status: 200})
	k.do(t, call{method: "GET", path: "/v1/stats", header: http.Header{"X-API-Key": {readerKey}}, status: 200})
	k.do(t, call{method: "GET", path: "/metrics", header: bearer(readerKey), status: 200})
	k.do(t, call{method: "GET", path: "/metrics", status: 401})
	create := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + readerKey}}
	k.do(t, call{method: "POST", path: "/v1/entities", header: create, body: []byte(`{"kind": "Person", "name": "Keyed Person"}`), status: 403})
	k.do(t, call{method: "DELETE", path: "/v1/entities/" + noID, header: bearer(writerKey), status: 403})
	k.do(t, call{method: "DELETE", path: "/v1/entities/" + noID, header: bearer(adminKey), status: 404})
}

// exerciseRateLimit: a server that allows one request.
func exerciseRateLimit(t *testing.T, k *contract) {
	k.get(t, "/v1/stats", 200)
	r := k.get(t, "/v1/stats", 429)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	k.get(t, "/healthz", 200) // probes are never limited
}

// exerciseFailures: a store that fails every call with the status's
// problem.
func exerciseFailures(t *testing.T, k *contract, status int) {
	k.get(t, "/healthz", 200)
	k.get(t, "/readyz", status)
	k.get(t, "/v1/stats", status)
	k.get(t, "/v1/entities?q=Haftar", status)
	k.get(t, "/v1/entities/"+noID, status)
	k.get(t, "/v1/changes", status)
}

func TestCodeSpans(t *testing.T) {
	for in, want := range map[string]string{
		"send `If-Match`":   "send <code>If-Match</code>",
		"<b> & `<i>`":       "&lt;b&gt; &amp; <code>&lt;i&gt;</code>",
		"an odd ` backtick": "an odd ` backtick",
		"":                  "",
	} {
		if got := string(codeSpans(in)); got != want {
			t.Errorf("codeSpans(%q) = %q, want %q", in, got, want)
		}
	}
}
