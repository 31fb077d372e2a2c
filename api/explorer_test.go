package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
)

// explorerAssetRef finds the files the explorer page loads from /explorer/.
var explorerAssetRef = regexp.MustCompile(`(?:src|href)="/explorer/([^"]+)"`)

// TestExplorerPage: GET / is the page, with a strict CSP, revalidated by
// its ETag; it loads one script and one style sheet from /explorer/, named
// by their content's hash, served with their content types and cached for
// good; and nothing else is reachable under /explorer/.
func TestExplorerPage(t *testing.T) {
	srv, _, _ := testServer(t, Config{})
	page := do(t, "GET", srv.URL+"/", nil)
	if page.status != 200 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", page.status, page.header.Get("Content-Type"))
	}
	csp := page.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q allows inline code or another origin", csp)
	}
	if cc := page.header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("the page's Cache-Control %q, want no-cache (a new build must show at once)", cc)
	}
	if page.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no X-Content-Type-Options: nosniff")
	}
	if etag := page.header.Get("ETag"); etag == "" {
		t.Error("the page has no ETag")
	} else if a := do(t, "GET", srv.URL+"/", nil, "If-None-Match", etag); a.status != 304 {
		t.Errorf("GET / with its ETag: %d, want 304", a.status)
	}
	// The hooks the browser tests code against are in the page.
	for _, id := range []string{`id="search"`, `id="suggestions"`, `id="details"`, `id="status"`, `role="status"`,
		`id="elements"`, `id="filter-kinds"`, `id="filter-types"`, `id="time-from"`, `id="time-to"`,
		`id="time-from-label"`, `id="time-to-label"`, `id="path-from"`, `id="path-to"`, `id="path-find"`,
		`id="path-result"`, `id="live"`, `id="export-png"`, `id="export-json"`, `id="export-graphml"`, `aria-label="Search entities"`} {
		if !bytes.Contains(page.body, []byte(id)) {
			t.Errorf("the page lacks %s", id)
		}
	}
	// Nothing inline: the CSP would block it.
	if bytes.Contains(page.body, []byte("<script>")) || bytes.Contains(page.body, []byte(" style=")) || bytes.Contains(page.body, []byte("<style")) {
		t.Error("the page has an inline script or style, which its CSP blocks")
	}

	refs := explorerAssetRef.FindAllSubmatch(page.body, -1)
	types := map[string]string{}
	for _, m := range refs {
		name := string(m[1])
		a := do(t, "GET", srv.URL+"/explorer/"+name, nil)
		if a.status != 200 || len(a.body) == 0 {
			t.Errorf("GET /explorer/%s: %d, %d bytes", name, a.status, len(a.body))
			continue
		}
		ext := name[strings.LastIndexByte(name, '.'):]
		types[ext] = a.header.Get("Content-Type")
		if !hashed(name) {
			t.Errorf("%s is not named by a hash of its content", name)
		}
		if cc := a.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("/explorer/%s: Cache-Control %q, want immutable", name, cc)
		}
		if a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("/explorer/%s: no nosniff", name)
		}
		if etag := a.header.Get("ETag"); etag == "" {
			t.Errorf("/explorer/%s has no ETag", name)
		} else if b := do(t, "GET", srv.URL+"/explorer/"+name, nil, "If-None-Match", etag); b.status != 304 {
			t.Errorf("GET /explorer/%s with its ETag: %d, want 304", name, b.status)
		}
	}
	if !strings.HasPrefix(types[".js"], "text/javascript") || !strings.HasPrefix(types[".css"], "text/css") || len(refs) != 2 {
		t.Errorf("the page loads %d files, with types %v; want one text/javascript and one text/css", len(refs), types)
	}
	lic := do(t, "GET", srv.URL+"/explorer/LICENSES.txt", nil)
	if lic.status != 200 || !strings.HasPrefix(lic.header.Get("Content-Type"), "text/plain") || !bytes.Contains(lic.body, []byte("cytoscape")) {
		t.Errorf("GET /explorer/LICENSES.txt: %d %s", lic.status, lic.header.Get("Content-Type"))
	}
	if cc := lic.header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("LICENSES.txt, whose name stays, has Cache-Control %q", cc)
	}
}

// TestExplorerNoTraversal: only the built files are served; the source,
// the lockfile, Go files and anything outside are 404 problems, however
// the path is written.
func TestExplorerNoTraversal(t *testing.T) {
	srv, _, _ := testServer(t, Config{})
	for _, p := range []string{"/explorer/index.html", "/explorer/src/main.js", "/explorer/package.json",
		"/explorer/dist/index.html", "/explorer/explorer.go", "/explorer/nope.js", "/explorer/..%2fexplorer.go",
		"/explorer/%2e%2e/openapi.yaml", "/explorer/../api/openapi.yaml", "/explorer/..%2f..%2fgo.mod",
		"/explorer/dist%2fLICENSES.txt", "/explorer//etc/passwd", "/explorer/.%2e/auth.go", "/index.html"} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
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
	// /explorer/ is the page to a person who types it.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(srv.URL + "/explorer/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/" {
		t.Errorf("GET /explorer/: %d to %q, want 301 to /", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestExplorerOpenWithKeys: with keyed reads the page and its files load
// without a key (the page then asks for one), while the API still needs
// it; /v1 answers as before, in JSON, and a path under /v1 the API lacks
// is still a 404 problem, not the page.
func TestExplorerOpenWithKeys(t *testing.T) {
	srv, _, _ := testServer(t, Config{Keys: testKeys})
	if a := do(t, "GET", srv.URL+"/", nil); a.status != 200 {
		t.Errorf("GET / without a key: %d", a.status)
	}
	if a := do(t, "GET", srv.URL+"/explorer/LICENSES.txt", nil); a.status != 200 {
		t.Errorf("GET /explorer/LICENSES.txt without a key: %d", a.status)
	}
	if a := do(t, "GET", srv.URL+"/v1/stats", nil); a.status != 401 {
		t.Errorf("GET /v1/stats without a key: %d, want 401", a.status)
	}
	a := do(t, "GET", srv.URL+"/v1/stats", nil, "Authorization", "Bearer "+readerKey)
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /v1/stats with a key: %d %s", a.status, a.header.Get("Content-Type"))
	}
	if a.header.Get("Content-Security-Policy") != "" {
		t.Error("the API's answers carry the page's CSP")
	}
	for _, p := range []string{"/v1", "/v1/", "/v1/explorer", "/nope"} {
		a := do(t, "GET", srv.URL+p, nil, "Authorization", "Bearer "+readerKey)
		if a.status != 404 || a.header.Get("Content-Type") != problemContentType {
			t.Errorf("GET %s: %d %s, want a 404 problem", p, a.status, a.header.Get("Content-Type"))
		}
	}
	if a := do(t, "POST", srv.URL+"/", nil); a.status != 405 || a.header.Get("Allow") != "GET" {
		t.Errorf("POST /: %d, Allow %q; want 405, Allow GET", a.status, a.header.Get("Allow"))
	}
}

// TestExplorerDistIsBuilt: the embedded directory holds the page and the
// two files it names, and nothing of the source (scripts/build-explorer.sh
// --check holds it to the source).
func TestExplorerDistIsBuilt(t *testing.T) {
	page, err := explorerDist.ReadFile("explorer/dist/index.html")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"index.html": true, "LICENSES.txt": true}
	for _, m := range explorerAssetRef.FindAllSubmatch(page, -1) {
		want[string(m[1])] = true
	}
	entries, err := fs.ReadDir(explorerDist, "explorer/dist")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("explorer/dist holds %s, which the page does not load: rebuild with scripts/build-explorer.sh", e.Name())
		}
		delete(want, e.Name())
	}
	for name := range want {
		t.Errorf("explorer/dist lacks %s", name)
	}
}

func TestHashedNames(t *testing.T) {
	for name, want := range map[string]bool{
		"explorer-OM7T7H3V.js": true, "explorer-TOXGQXMN.css": true, "LICENSES.txt": false,
		"index.html": false, "a-b.js": false, "-12345678.js": false, "explorer-12345678": false,
	} {
		if got := hashed(name); got != want {
			t.Errorf("hashed(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestCytoscapeEdgesCarryDates: the explorer's time window filters edges
// by the dates format=cytoscape gives them, which must be the relation's.
func TestCytoscapeEdgesCarryDates(t *testing.T) {
	store := memstore.OpenMemory()
	t.Cleanup(func() { store.Close() })
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ingest.DemoArticles() {
		b, err := pipe.Extract(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ingest.Store(context.Background(), store, b); err != nil {
			t.Fatal(err)
		}
	}
	srv, _, _ := testServerOn(t, store, Config{})
	getJSON := func(path string, v any) {
		t.Helper()
		a := do(t, "GET", srv.URL+path, nil)
		if a.status != 200 {
			t.Fatalf("GET %s: %d %s", path, a.status, a.body)
		}
		if err := json.Unmarshal(a.body, v); err != nil {
			t.Fatal(err)
		}
	}
	var hits struct{ Items []graph.Entity }
	getJSON("/v1/entities?kind=Person&q="+url.QueryEscape("Khaled Haftar"), &hits)
	if len(hits.Items) == 0 {
		t.Fatal("no Khaled Haftar in the demo")
	}
	var cy Cytoscape
	getJSON("/v1/entities/"+hits.Items[0].ID+"/network?format=cytoscape&depth=2", &cy)
	dated := 0
	for _, e := range cy.Elements.Edges {
		var r graph.Relation
		getJSON("/v1/relations/"+e.Data["id"].(string), &r)
		for k, want := range map[string]string{"date": r.Date, "first_seen": r.FirstSeen, "last_seen": r.LastSeen} {
			got, _ := e.Data[k].(string)
			if got != want {
				t.Errorf("edge %s (%s): %s %q, the relation's %q", r.ID, r.Type, k, got, want)
			}
		}
		if r.FirstSeen != "" {
			dated++
		}
	}
	if dated == 0 {
		t.Error("no edge of the demo network is dated")
	}
}
