package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
)

// TestHostileBodies sends every route that takes a body bodies built to
// hurt a parser: nesting far deeper than any real document, a YAML alias
// bomb, truncated and malformed JSON, invalid UTF-8, numbers past float64,
// and bodies over the limit. Each gets a 4xx problem document quickly,
// and the graph is the same afterwards.
func TestHostileBodies(t *testing.T) {
	store := memstore.OpenMemory()
	t.Cleanup(func() { store.Close() })
	srv, _, _ := testServerOn(t, store, Config{MaxBodyBytes: 1 << 20})
	created := do(t, "POST", srv.URL+"/v1/entities", strings.NewReader(`{"kind": "Person", "name": "Ali Zeidan"}`),
		"Content-Type", "application/json")
	if created.status != http.StatusCreated {
		t.Fatalf("creating the entity the test edits: %d %s", created.status, created.body)
	}
	entity := created.header.Get("Location")

	deepArray := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	deepObject := strings.Repeat(`{"a":`, 20_000) + "1" + strings.Repeat("}", 20_000)
	nested := func(field, deep string) string {
		return `{"kind": "Person", "name": "Deep", "` + field + `": ` + deep + `}`
	}
	aliasBomb := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	for i, prev := 'b', 'a'; i <= 'k'; i, prev = i+1, i {
		aliasBomb += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(prev)+",", 8) + "*" + string(prev) + "]\n"
	}
	aliasBomb += "version: 1\nentries: [{id: person/x, kind: Person, name: X, note: *k}]\n"

	bodies := map[string]string{
		"deep array":             deepArray,
		"deep object":            deepObject,
		"deep array in aliases":  nested("aliases", deepArray),
		"deep object in a field": nested("summary", deepObject),
		"truncated":              `{"kind": "Person", "name": "Tru`,
		"trailing garbage":       `{"kind": "Person", "name": "X"} {"kind": "Person"}`,
		"invalid UTF-8":          "{\"kind\": \"Person\", \"name\": \"\xff\xfe\xfd\"}",
		"NUL in a name":          "{\"kind\": \"Person\", \"name\": \"a\\u0000b\"}",
		"number past float64":    `{"kind": "Place", "name": "Far", "lat": 1e400, "lon": 1}`,
		"wrong types":            `{"kind": ["Person"], "name": {"en": "X"}, "aliases": "X"}`,
		"null":                   `null`,
		"empty":                  ``,
		"a string":               `"Person"`,
		"over the limit":         `{"kind": "Person", "name": "Big", "summary": "` + strings.Repeat("x", 2<<20) + `"}`,
	}
	routes := []struct {
		method, path, contentType string
	}{
		{"POST", "/v1/entities", "application/json"},
		{"PATCH", entity, "application/merge-patch+json"},
		{"POST", entity + "/aliases", "application/json"},
		{"POST", "/v1/merges", "application/json"},
		{"POST", "/v1/documents", "application/json"},
		{"POST", "/v1/gazetteer", "application/json"},
		{"POST", "/v1/gazetteer", "application/yaml"},
	}
	before := statsJSON(t, store)
	for _, r := range routes {
		for name, body := range bodies {
			what := r.method + " " + r.path + " (" + r.contentType + ") with " + name
			start := time.Now()
			a := do(t, r.method, srv.URL+r.path, strings.NewReader(body), "Content-Type", r.contentType)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("%s took %v", what, took)
			}
			if a.status < 400 || a.status >= 500 {
				t.Errorf("%s: %d %s", what, a.status, clipBody(a.body))
				continue
			}
			checkProblem(t, what, a)
		}
	}
	// YAML's alias bomb: nine to the tenth "lol"s if expanded.
	start := time.Now()
	a := do(t, "POST", srv.URL+"/v1/gazetteer", strings.NewReader(aliasBomb), "Content-Type", "application/yaml")
	if a.status < 400 || a.status >= 500 || time.Since(start) > 5*time.Second {
		t.Errorf("YAML alias bomb: %d after %v: %s", a.status, time.Since(start), clipBody(a.body))
	} else {
		checkProblem(t, "YAML alias bomb", a)
	}
	if after := statsJSON(t, store); !bytes.Equal(after, before) {
		t.Errorf("hostile bodies changed the graph: %s, was %s", after, before)
	}
}

func statsJSON(t *testing.T, st graph.Store) []byte {
	t.Helper()
	s, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	return b
}
