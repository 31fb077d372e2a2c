package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/storetest"
)

// newFixtureServer serves the conformance suite's fixture graph, whose
// names (and aliases) the search tests rely on, from the embedded store.
func newFixtureServer(t *testing.T) *httptest.Server {
	t.Helper()
	store, err := memstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Apply(context.Background(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: store}))
	t.Cleanup(srv.Close)
	return srv
}

type searchHit struct {
	graph.Entity
	Score   float64 `json:"score"`
	Matched string  `json:"matched"`
}

// search runs GET /v1/entities with the parameters and returns the hits.
func search(t *testing.T, base string, params url.Values) []searchHit {
	t.Helper()
	var page struct{ Items []searchHit }
	if status := get(t, base+"/v1/entities?"+params.Encode(), &page); status != http.StatusOK {
		t.Fatalf("GET /v1/entities?%s: status %d", params.Encode(), status)
	}
	if page.Items == nil {
		t.Fatalf("GET /v1/entities?%s: no items list", params.Encode())
	}
	return page.Items
}

func TestSearchScriptOverHTTP(t *testing.T) {
	srv := newFixtureServer(t)
	cases := []struct {
		q, script string
		want      map[string]string // entity name → the name it matched by
		matchedIn string            // the script of every matched name
	}{
		{"حفتر", "ar", map[string]string{"Khaled Haftar": "خالد خليفة حفتر", "Khalifa Haftar": "خليفة حفتر"}, graph.ScriptArabic},
		{"حفتر", "arabic", map[string]string{"Khaled Haftar": "خالد خليفة حفتر", "Khalifa Haftar": "خليفة حفتر"}, graph.ScriptArabic},
		{"حفتر", "Arabic", map[string]string{"Khaled Haftar": "خالد خليفة حفتر", "Khalifa Haftar": "خليفة حفتر"}, graph.ScriptArabic},
		{"حفتر", "latin", map[string]string{}, ""},
		{"Haftar", "ar", map[string]string{}, ""},
		{"Haftar", "latin", map[string]string{"Khaled Haftar": "Khaled Haftar", "Khalifa Haftar": "Khalifa Haftar",
			"Sirte meeting of Khaled Haftar and Misrata leaders": "Sirte meeting of Khaled Haftar and Misrata leaders"}, graph.ScriptLatin},
	}
	for _, c := range cases {
		t.Run(c.q+"/"+c.script, func(t *testing.T) {
			hits := search(t, srv.URL, url.Values{"q": {c.q}, "script": {c.script}})
			got := map[string]string{}
			for _, h := range hits {
				got[h.Name] = h.Matched
				if graph.NameScript(h.Matched) != c.matchedIn {
					t.Errorf("%s matched by %q, not a name in %s script", h.Name, h.Matched, c.matchedIn)
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("hits %v, want %v", got, c.want)
			}
			for name, matched := range c.want {
				if got[name] != matched {
					t.Errorf("%s matched by %q, want %q (hits %v)", name, got[name], matched, got)
				}
			}
		})
	}
	// script=any is the default: both scripts.
	for _, q := range []string{"حفتر", "Haftar"} {
		def := search(t, srv.URL, url.Values{"q": {q}})
		anyScript := search(t, srv.URL, url.Values{"q": {q}, "script": {"any"}})
		if len(def) == 0 || len(def) != len(anyScript) {
			t.Errorf("%s: %d hits by default, %d with script=any", q, len(def), len(anyScript))
		}
		for i := range min(len(def), len(anyScript)) {
			if def[i].ID != anyScript[i].ID || def[i].Matched != anyScript[i].Matched {
				t.Errorf("%s: hit %d differs between the default and script=any", q, i)
			}
		}
	}
}

func TestSearchFuzzyOverHTTP(t *testing.T) {
	srv := newFixtureServer(t)
	names := func(hits []searchHit) map[string]string {
		out := map[string]string{}
		for _, h := range hits {
			out[h.Name] = h.Matched
		}
		return out
	}
	cases := []struct {
		q, fuzzy string
		want     map[string]string // entity name → the name it matched by; "" for any
	}{
		// Spelling variants by consonant skeleton are fuzzy only.
		{"Hiftar", "", map[string]string{"Khaled Haftar": "", "Khalifa Haftar": "", "Sirte meeting of Khaled Haftar and Misrata leaders": ""}},
		{"Hiftar", "true", map[string]string{"Khaled Haftar": "", "Khalifa Haftar": "", "Sirte meeting of Khaled Haftar and Misrata leaders": ""}},
		{"Hiftar", "false", map[string]string{}},
		// Khaled Haftar is also known as Khaled Hifter.
		{"Hifter", "false", map[string]string{"Khaled Haftar": "Khaled Hifter"}},
		{"haftar", "false", map[string]string{"Khaled Haftar": "Khaled Haftar", "Khalifa Haftar": "Khalifa Haftar",
			"Sirte meeting of Khaled Haftar and Misrata leaders": ""}},
		{"HAFTAR", "FALSE", map[string]string{"Khaled Haftar": "Khaled Haftar", "Khalifa Haftar": "Khalifa Haftar",
			"Sirte meeting of Khaled Haftar and Misrata leaders": ""}},
		// Arabic: folding and the article stay, proclitics go.
		{"وحفتر", "false", map[string]string{}},
		{"الحفتر", "false", map[string]string{"Khaled Haftar": "خالد خليفة حفتر", "Khalifa Haftar": "خليفة حفتر"}},
	}
	for _, c := range cases {
		t.Run(c.q+"/"+c.fuzzy, func(t *testing.T) {
			got := names(search(t, srv.URL, url.Values{"q": {c.q}, "fuzzy": {c.fuzzy}}))
			if len(got) != len(c.want) {
				t.Errorf("hits %v, want %v", got, c.want)
			}
			for name, matched := range c.want {
				if m, ok := got[name]; !ok || matched != "" && m != matched {
					t.Errorf("%s: matched by %q (found: %v), want %q", name, m, ok, matched)
				}
			}
		})
	}
	// The options combine, and kinds still filter.
	got := names(search(t, srv.URL, url.Values{"q": {"Haftar"}, "fuzzy": {"false"}, "script": {"latin"}, "kind": {"Person"}}))
	if len(got) != 2 || got["Khaled Haftar"] != "Khaled Haftar" || got["Khalifa Haftar"] != "Khalifa Haftar" {
		t.Errorf("exact Latin search for people named Haftar: %v", got)
	}
}

func TestSearchBadOptionsNameTheParameter(t *testing.T) {
	srv := newFixtureServer(t)
	for _, c := range []struct{ query, param string }{
		{"q=Haftar&script=cyrillic", "script"},
		{"q=Haftar&script=", ""}, // empty is the default
		{"q=Haftar&fuzzy=maybe", "fuzzy"},
		{"q=Haftar&fuzzy=1", "fuzzy"},
		{"q=Haftar&fuzzy=", ""},
		{"q=Haftar&script=ar&fuzzy=no", "fuzzy"},
	} {
		t.Run(c.query, func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/v1/entities?" + c.query)
			var p api.Problem
			var ok struct{ Items []searchHit }
			var out any = &p
			if c.param == "" {
				out = &ok
			}
			status := decode(t, "GET", c.query, resp, err, out)
			if c.param == "" {
				if status != http.StatusOK || len(ok.Items) == 0 {
					t.Errorf("status %d, %d hits; want 200 and the Haftars", status, len(ok.Items))
				}
				return
			}
			if status != http.StatusBadRequest || p.Param != c.param || p.Code != graph.Invalid {
				t.Errorf("status %d, code %q, param %q; want 400, invalid, %s", status, p.Code, p.Param, c.param)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
		})
	}
}
