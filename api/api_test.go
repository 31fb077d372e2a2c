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
)

// Reports written for these tests, in the style of real ones.
var reports = []ingest.Article{
	{ID: "api-1", URL: "https://example.org/api-1", Language: "ar", Published: "2025-10-20",
		Text: "أعلن عن اتفاق بين الفريق أول ركن خالد خليفة حفتر، رئيس أركان القيادة العامة، وقيادات أمنية وعسكرية في مدينة مصراتة. وأكد اللواء خالد المحجوب، مدير إدارة التوجيه المعنوي، أن الاجتماع كان ناجحا."},
	{ID: "api-2", URL: "https://example.org/api-2", Language: "ar", Published: "2025-11-02",
		Text: "استقبل المشير خليفة حفتر في بنغازي وفدا من مدينة سرت."},
}

func newServer(t *testing.T) (*httptest.Server, graph.Store) {
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

func get(t *testing.T, u string, out any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("GET %s: %d: not JSON: %s", u, resp.StatusCode, raw)
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
}
