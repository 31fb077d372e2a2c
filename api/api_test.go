package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// Reports written for these tests, in the style of real ones.
var reports = []ingest.Article{
	{ID: "api-1", URL: "https://example.org/api-1", Language: "ar", Published: "2025-10-20",
		Text: "أعلن عن اتفاق بين الفريق أول ركن خالد خليفة حفتر، رئيس أركان القيادة العامة، وقيادات أمنية وعسكرية في مدينة مصراتة. وأكد اللواء خالد المحجوب، مدير إدارة التوجيه المعنوي، أن الاجتماع كان ناجحا."},
	{ID: "api-2", URL: "https://example.org/api-2", Language: "ar", Published: "2025-11-02",
		Text: "استقبل المشير خليفة حفتر في بنغازي وفدا من مدينة سرت."},
}

func newServer(t testing.TB) (*httptest.Server, graph.Store) {
	t.Helper()
	store, err := memstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range reports {
		b, err := pipe.Extract(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Apply(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(api.New(api.Config{Store: store, Pipeline: pipe}))
	t.Cleanup(srv.Close)
	return srv, store
}

// get fetches u and decodes the answer into out.
func get(t *testing.T, u string, out any) int {
	t.Helper()
	resp, err := http.Get(u)
	return decode(t, "GET", u, resp, err, out)
}

// decode reads a response's JSON body into out (nil: discard) and returns
// its status.
func decode(t *testing.T, method, u string, resp *http.Response, err error, out any) int {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d: not JSON: %s", method, u, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

func searchOne(t *testing.T, base, q string) graph.Entity {
	t.Helper()
	var hits struct{ Items []graph.Entity }
	get(t, base+"/v1/entities?q="+url.QueryEscape(q), &hits)
	if len(hits.Items) == 0 {
		t.Fatalf("search %q found nothing", q)
	}
	return hits.Items[0]
}

func TestAmbiguousNameListsCandidates(t *testing.T) {
	srv, _ := newServer(t)
	var p api.Problem
	status := get(t, srv.URL+"/v1/paths?from=Haftar&to=Misrata", &p)
	if status != http.StatusConflict {
		t.Fatalf("status %d, want 409: %+v", status, p)
	}
	got := map[string]bool{}
	for _, c := range p.Candidates {
		got[c.Name] = true
	}
	if !got["Khaled Haftar"] || !got["Khalifa Haftar"] || p.Param != "from" {
		t.Errorf("candidates %v param %q, want both Haftars and param from", got, p.Param)
	}
}

func TestSearchArabicVariantsOverHTTP(t *testing.T) {
	srv, _ := newServer(t)
	want := searchOne(t, srv.URL, "خالد خليفة حفتر")
	if want.Name != "Khaled Haftar" {
		t.Fatalf("full Arabic name found %q", want.Name)
	}
	for _, q := range []string{"خالد حفتر", "وخالد حفتر", "Khaled Hifter", "KHALED HAFTAR"} {
		if got := searchOne(t, srv.URL, q); got.ID != want.ID {
			t.Errorf("search %q found %q first, want Khaled Haftar", q, got.Name)
		}
	}
}

func TestNetworkCytoscapeHasOnlyEdgesAmongNodes(t *testing.T) {
	srv, _ := newServer(t)
	haftar := searchOne(t, srv.URL, "Khaled Haftar")
	var cy api.Cytoscape
	if status := get(t, srv.URL+"/v1/entities/"+haftar.ID+"/network?depth=2&format=cytoscape", &cy); status != 200 {
		t.Fatalf("status %d", status)
	}
	nodes := map[string]bool{}
	for _, n := range cy.Elements.Nodes {
		nodes[n.Data["id"].(string)] = true
		if n.Data["label"] == "" || n.Data["kind"] == "" {
			t.Errorf("node without label or kind: %v", n.Data)
		}
	}
	if !nodes[haftar.ID] || len(nodes) < 3 {
		t.Fatalf("network of %d nodes lacks the centre or its neighbours", len(nodes))
	}
	if len(cy.Elements.Edges) == 0 {
		t.Fatal("no edges")
	}
	for _, e := range cy.Elements.Edges {
		if !nodes[e.Data["source"].(string)] || !nodes[e.Data["target"].(string)] {
			t.Errorf("edge %v points outside the returned nodes", e.Data)
		}
	}
	var limited api.Cytoscape
	get(t, srv.URL+"/v1/entities/"+haftar.ID+"/network?depth=2&limit=2&format=cytoscape", &limited)
	if len(limited.Elements.Nodes) != 2 || !limited.Truncated {
		t.Errorf("limit=2 gave %d nodes, truncated=%v", len(limited.Elements.Nodes), limited.Truncated)
	}
}

func TestRelationsPaginateWithCursor(t *testing.T) {
	srv, _ := newServer(t)
	haftar := searchOne(t, srv.URL, "Khaled Haftar")
	var all struct {
		Items []graph.Relation
		Next  string
	}
	get(t, srv.URL+"/v1/entities/"+haftar.ID+"/relations", &all)
	if len(all.Items) < 2 || all.Next != "" {
		t.Fatalf("want at least two relations on one page, got %d (next %q)", len(all.Items), all.Next)
	}
	var paged []graph.Relation
	cursor := ""
	for i := 0; i < 20; i++ {
		var page struct {
			Items []graph.Relation
			Next  string
		}
		get(t, srv.URL+"/v1/entities/"+haftar.ID+"/relations?limit=1&cursor="+url.QueryEscape(cursor), &page)
		paged = append(paged, page.Items...)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(paged) != len(all.Items) {
		t.Fatalf("paging gave %d relations, one page %d", len(paged), len(all.Items))
	}
	for i := range paged {
		if paged[i].ID != all.Items[i].ID {
			t.Errorf("relation %d: paged %s, unpaged %s", i, paged[i].ID, all.Items[i].ID)
		}
		if paged[i].Type.Asserted() && len(paged[i].Evidence) == 0 {
			t.Errorf("%s relation without evidence", paged[i].Type)
		}
		if paged[i].Other == nil {
			t.Errorf("relation %s lacks the other entity", paged[i].ID)
		}
	}
	var p api.Problem
	if status := get(t, srv.URL+"/v1/entities/"+haftar.ID+"/relations?cursor=%21%21", &p); status != 400 || p.Param != "cursor" {
		t.Errorf("bad cursor: status %d param %q", status, p.Param)
	}
}

func TestMethodNotAllowedSaysWhatIs(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/v1/documents", strings.NewReader("{}"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || !strings.Contains(resp.Header.Get("Allow"), "POST") {
		t.Errorf("status %d Allow %q, want 405 with POST allowed", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// flakyStore is the embedded store with an injected outage, standing in for
// a Neo4j that is down.
type flakyStore struct {
	graph.Store
	down atomic.Bool
}

func (f *flakyStore) Ready(ctx context.Context) error {
	if f.down.Load() {
		return &graph.Error{Code: graph.Unavailable, Message: "the graph database is not reachable"}
	}
	return nil
}

func (f *flakyStore) Search(ctx context.Context, q graph.SearchQuery) ([]graph.SearchHit, error) {
	if f.down.Load() {
		return nil, &graph.Error{Code: graph.Unavailable, Message: "the graph database is not reachable"}
	}
	return f.Store.Search(ctx, q)
}

func TestReadyzAndUnavailableStore(t *testing.T) {
	_, store := newServer(t)
	flaky := &flakyStore{Store: store}
	flaky.down.Store(true)
	srv := httptest.NewServer(api.New(api.Config{Store: flaky}))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/v1/entities?q=Misrata")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("query while down: %d Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if status := get(t, srv.URL+"/readyz", nil); status != 503 {
		t.Errorf("/readyz while down: %d, want 503", status)
	}
	if status := get(t, srv.URL+"/healthz", nil); status != 200 {
		t.Errorf("/healthz while down: %d, want 200 (the process is alive)", status)
	}
	flaky.down.Store(false)
	if status := get(t, srv.URL+"/readyz", nil); status != 200 {
		t.Errorf("/readyz after recovery: %d, want 200", status)
	}
	var hits struct{ Items []graph.Entity }
	if status := get(t, srv.URL+"/v1/entities?q=Misrata", &hits); status != 200 || len(hits.Items) == 0 {
		t.Errorf("query after recovery: %d with %d hits", status, len(hits.Items))
	}
}

func TestEventsShowParticipantsPlaceAndEveryReport(t *testing.T) {
	srv, store := newServer(t)
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A second outlet's report of the agreement in api-1, the same day.
	second := ingest.Article{ID: "api-3", URL: "https://example.net/api-3", Outlet: "example.net", Language: "en",
		Published: "2025-10-20", Title: "Haftar and Misrata leaders agree",
		Text: "Lt. Gen. Khaled Haftar, chief of staff of the General Command, and security and military leaders from Misrata reached an agreement to form a joint force."}
	b, err := pipe.Extract(context.Background(), second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	haftar := searchOne(t, srv.URL, "Khaled Haftar")
	var page struct {
		Items []struct {
			graph.Entity
			Participants []struct {
				Entity graph.Entity
				Role   string
			}
			Documents []struct{ ID, URL, Outlet, Published string }
		}
	}
	if status := get(t, srv.URL+"/v1/events?type=agreement&actor="+haftar.ID, &page); status != 200 {
		t.Fatalf("status %d", status)
	}
	if len(page.Items) != 1 {
		t.Fatalf("%d agreements, want the two reports merged into one", len(page.Items))
	}
	ev := page.Items[0]
	urls := map[string]bool{}
	for _, d := range ev.Documents {
		urls[d.URL] = true
	}
	if !urls["https://example.org/api-1"] || !urls["https://example.net/api-3"] {
		t.Errorf("documents %+v, want both reports", ev.Documents)
	}
	parties := map[string]string{}
	for _, p := range ev.Participants {
		parties[p.Entity.Name] = p.Role
	}
	if parties["Khaled Haftar"] != "party" || parties["security and military leaders of Misrata"] != "party" {
		t.Errorf("participants %v, want Khaled Haftar and the Misrata leaders as parties", parties)
	}
	var byName struct{ Items []graph.Entity }
	if status := get(t, srv.URL+"/v1/events?type=agreement&actor="+url.QueryEscape("Khaled Haftar"), &byName); status != 200 || len(byName.Items) != 1 {
		t.Errorf("actor by name: status %d, %d items", status, len(byName.Items))
	}

	// A third report, two days later, dating the agreement to Saturday:
	// a different day, so a different id at extraction; posted through
	// the API it is merged into the stored agreement.
	third := `{"url": "https://example.com/api-4", "outlet": "example.com", "language": "en", "published": "2025-10-22",
		"text": "Khaled Haftar and security and military leaders from Misrata reached an agreement on Saturday to form a joint force."}`
	var posted struct {
		Merged []graph.MergeRecord
	}
	if status := post(t, srv.URL+"/v1/documents", "application/json", third, &posted); status != 201 {
		t.Fatalf("POST: status %d", status)
	}
	if len(posted.Merged) != 1 || posted.Merged[0].Keep != ev.ID {
		t.Fatalf("merged %+v, want the new report's agreement merged into %s", posted.Merged, ev.ID)
	}
	if status := get(t, srv.URL+"/v1/events?type=agreement&actor="+haftar.ID, &page); status != 200 || len(page.Items) != 1 {
		t.Fatalf("after a third report: status %d, %d agreements, want 1", status, len(page.Items))
	}
	if n := len(page.Items[0].Documents); n != 3 {
		t.Errorf("the agreement has %d reports, want 3", n)
	}
}

// post sends body with the content type and decodes the answer into out.
func post(t *testing.T, u, contentType, body string, out any) int {
	t.Helper()
	resp, err := http.Post(u, contentType, strings.NewReader(body))
	return decode(t, "POST", u, resp, err, out)
}

// A person and a place invented for these tests, in JSON and in YAML.
const (
	gazetteerJSON = `{"version": 1, "entries": [{"id": "person/nuri-al-ghadamsi", "kind": "Person",
		"name": "Nuri al-Ghadamsi", "name_ar": "نوري الغدامسي", "aliases": ["Nouri Ghadamsi"],
		"member_of": ["org/general-command"], "source": "test"}]}`
	gazetteerYAML = `version: 1
entries:
  - id: place/wadi-tamsa
    kind: Place
    subtype: city
    name: Wadi Tamsa
    name_ar: وادي تمسة
    located_in: place/fezzan
    lat: 26.1
    lon: 14.2
    source: test
`
)

type gazetteerPage struct {
	Items []struct {
		ID, Kind, Name, Origin, Entity string
	}
	Next string
}

func TestGazetteerPostThenIngest(t *testing.T) {
	srv, _ := newServer(t)
	var added struct {
		Entries []struct{ ID, Origin, Entity string }
		Result  graph.ApplyResult
	}
	if status := post(t, srv.URL+"/v1/gazetteer", "application/json", gazetteerJSON, &added); status != http.StatusCreated {
		t.Fatalf("POST /v1/gazetteer: status %d", status)
	}
	if len(added.Entries) != 1 || added.Entries[0].Origin != "api" || added.Entries[0].ID != "person/nuri-al-ghadamsi" {
		t.Fatalf("entries %+v", added.Entries)
	}
	var ent graph.Entity
	if status := get(t, srv.URL+"/v1/entities/"+added.Entries[0].Entity, &ent); status != 200 || ent.Key != "person/nuri-al-ghadamsi" {
		t.Errorf("the new entry is not stored as an entity: status %d %+v", status, ent)
	}
	if status := post(t, srv.URL+"/v1/gazetteer", "application/json", gazetteerJSON, nil); status != http.StatusOK {
		t.Errorf("posting the same entries again: status %d, want 200", status)
	}
	if status := post(t, srv.URL+"/v1/gazetteer", "application/yaml", gazetteerYAML, nil); status != http.StatusCreated {
		t.Fatalf("POST YAML: status %d", status)
	}

	var res struct{ Extraction graph.Batch }
	article := `{"url": "https://example.org/api-gaz", "language": "ar", "published": "2025-11-03",
		"text": "التقى نوري الغدامسي، القيادي في القيادة العامة، أعيان وادي تمسة."}`
	if status := post(t, srv.URL+"/v1/documents", "application/json", article, &res); status != http.StatusCreated {
		t.Fatalf("POST /v1/documents: status %d", status)
	}
	keys := map[string]bool{}
	for _, e := range res.Extraction.Entities {
		keys[e.Key] = true
	}
	for _, k := range []string{"person/nuri-al-ghadamsi", "place/wadi-tamsa", "place/fezzan"} {
		if !keys[k] {
			t.Errorf("the article's extraction lacks %s: %v", k, keys)
		}
	}
	// The new entries' facts cite lines of the gazetteer document as stored.
	var gazDoc graph.Document
	get(t, srv.URL+"/v1/documents/"+graph.DocumentID("polgraph:gazetteer"), &gazDoc)
	cited := 0
	for _, r := range res.Extraction.Relations {
		for _, ev := range r.Evidence {
			if ev.Rule != "gazetteer" {
				continue
			}
			cited++
			if runes := []rune(gazDoc.Text); ev.End > len(runes) || string(runes[ev.Start:ev.End]) != ev.Text {
				t.Errorf("evidence %q is not the stored gazetteer text at [%d,%d)", ev.Text, ev.Start, ev.End)
			}
		}
	}
	if cited == 0 {
		t.Error("no gazetteer evidence (MEMBER_OF General Command, LOCATED_IN Fezzan)")
	}

	var page gazetteerPage
	if status := get(t, srv.URL+"/v1/gazetteer?origin=api", &page); status != 200 || len(page.Items) != 2 {
		t.Fatalf("GET ?origin=api: status %d, %d items", status, len(page.Items))
	}
	var places []string
	cursor := ""
	for i := 0; i < 50; i++ {
		var p gazetteerPage
		get(t, srv.URL+"/v1/gazetteer?kind=Place&limit=10&cursor="+url.QueryEscape(cursor), &p)
		for _, it := range p.Items {
			places = append(places, it.ID)
			if it.ID == "place/libya" && it.Origin != "builtin" {
				t.Errorf("place/libya has origin %q", it.Origin)
			}
		}
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	var whole gazetteerPage
	get(t, srv.URL+"/v1/gazetteer?kind=Place", &whole)
	if len(places) != len(whole.Items) || len(places) < 40 || !containsString(places, "place/wadi-tamsa") {
		t.Errorf("paging gave %d places, one page %d", len(places), len(whole.Items))
	}
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestGazetteerRejectsBadEntries(t *testing.T) {
	srv, _ := newServer(t)
	person := func(fields string) string {
		return `{"id": "person/x-y", "kind": "Person", "name": "X Y", "source": "test"` + fields + `}`
	}
	tests := []struct {
		name, contentType, body string
		status                  int
		param                   string
	}{
		{"no name", "application/json", `{"version": 1, "entries": [{"id": "person/x-y", "kind": "Person", "source": "test"}]}`, 400, "entries[0].name"},
		{"dangling member_of", "application/json", `{"version": 1, "entries": [` + person("") + `, {"id": "person/z", "kind": "Person", "name": "Z", "member_of": ["org/nowhere"], "source": "test"}]}`, 400, "entries[1].member_of"},
		{"coordinates of a person", "application/json", `{"version": 1, "entries": [` + person(`, "lat": 30, "lon": 15`) + `]}`, 400, "entries[0].lat"},
		{"id twice", "application/json", `{"version": 1, "entries": [` + person("") + `, ` + person("") + `]}`, 400, "entries[1].id"},
		{"unknown field", "application/json", `{"version": 1, "entries": [` + person(`, "colour": "red"`) + `]}`, 400, "body"},
		{"wrong version", "application/yaml", "version: 2\nentries: []\n", 400, "version"},
		{"no entries", "application/json", `{"version": 1, "entries": []}`, 400, "entries"},
		{"breaks a built-in entry", "application/json", `{"version": 1, "entries": [{"id": "org/general-command", "kind": "Place", "name": "GC", "source": "test"}]}`, 400, "body"},
		{"not JSON or YAML", "text/plain", gazetteerJSON, 415, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p api.Problem
			status := post(t, srv.URL+"/v1/gazetteer", tt.contentType, tt.body, &p)
			if status != tt.status || p.Param != tt.param || p.Detail == "" {
				t.Errorf("status %d param %q (%s), want %d param %q", status, p.Param, p.Detail, tt.status, tt.param)
			}
		})
	}
	var page gazetteerPage
	if get(t, srv.URL+"/v1/gazetteer?origin=api", &page); len(page.Items) != 0 {
		t.Errorf("rejected entries are listed: %+v", page.Items)
	}
	if status := get(t, srv.URL+"/v1/documents/"+graph.DocumentID("polgraph:gazetteer:api"), nil); status != 404 {
		t.Errorf("rejected entries were stored: status %d", status)
	}
}

// TestGazetteerSurvivesRestart starts a second server over the same store,
// as a restart or another replica would: it knows the entries the first one
// added, and what it adds keeps them.
func TestGazetteerSurvivesRestart(t *testing.T) {
	first, store := newServer(t)
	if status := post(t, first.URL+"/v1/gazetteer", "application/json", gazetteerJSON, nil); status != http.StatusCreated {
		t.Fatalf("POST: status %d", status)
	}
	restart := func() *httptest.Server {
		t.Helper()
		pipe, err := ingest.New(ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		pipe, err = api.LoadGazetteer(context.Background(), store, pipe)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(api.New(api.Config{Store: store, Pipeline: pipe}))
		t.Cleanup(srv.Close)
		return srv
	}
	second := restart()
	var res struct{ Extraction graph.Batch }
	article := `{"url": "https://example.org/api-gaz-2", "language": "en", "published": "2025-11-04",
		"text": "Nuri al-Ghadamsi met the mayor of Sirte on Monday."}`
	if status := post(t, second.URL+"/v1/documents", "application/json", article, &res); status != http.StatusCreated {
		t.Fatalf("POST /v1/documents: status %d", status)
	}
	found := false
	for _, e := range res.Extraction.Entities {
		found = found || e.Key == "person/nuri-al-ghadamsi"
	}
	if !found {
		t.Error("after a restart the entry added through the API is not recognised")
	}
	if status := post(t, second.URL+"/v1/gazetteer", "application/yaml", gazetteerYAML, nil); status != http.StatusCreated {
		t.Fatalf("POST to the second server: status %d", status)
	}
	var page gazetteerPage
	get(t, restart().URL+"/v1/gazetteer?origin=api", &page)
	if len(page.Items) != 2 {
		t.Errorf("a third server knows %d entries added through the API, want both: %+v", len(page.Items), page.Items)
	}
}

// eachStore runs fn against a server on each store, both holding the
// reports above: the embedded store, and Neo4j where NEO4J_URI names one
// (internal/neo4jtest; skipped without it unless CI is set).
func eachStore(t *testing.T, fn func(t *testing.T, srv *httptest.Server, st graph.Store)) {
	t.Helper()
	eachStoreHolding(t, func(t *testing.T, pipe *ingest.Pipeline) []*graph.Batch {
		var out []*graph.Batch
		for _, a := range reports {
			b, err := pipe.Extract(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		return out
	}, fn)
}

// eachStoreHolding runs fn against a server on each store, empty but for
// the batches that load gives.
func eachStoreHolding(t *testing.T, load func(*testing.T, *ingest.Pipeline) []*graph.Batch,
	fn func(t *testing.T, srv *httptest.Server, st graph.Store)) {
	t.Helper()
	serve := func(t *testing.T, st graph.Store) {
		pipe, err := ingest.New(ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range load(t, pipe) {
			if _, err := st.Apply(context.Background(), b); err != nil {
				t.Fatal(err)
			}
		}
		srv := httptest.NewServer(api.New(api.Config{Store: st, Pipeline: pipe}))
		t.Cleanup(srv.Close)
		fn(t, srv, st)
	}
	t.Run("memstore", func(t *testing.T) {
		st, err := memstore.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		serve(t, st)
	})
	t.Run("neo4j", func(t *testing.T) {
		serve(t, neo4jtest.Open(t, neo4jtest.Config(t)))
	})
}
