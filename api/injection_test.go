package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// hostileValues are what someone probing for injection would put in a
// parameter: quotes, backticks and braces that end a Cypher literal,
// identifier or map, clauses after them, comment markers, parameter,
// label and relation-type syntax, escapes, control characters, and a
// path that climbs.
var hostileValues = []string{
	`'`,
	`"`,
	"`",
	`\`,
	`x' OR 1=1 //`,
	`x'}) MATCH (n) DETACH DELETE n //`,
	`x"}) DETACH DELETE n RETURN 1 //`,
	"x`) DETACH DELETE n //",
	`*/ MATCH (n) SET n.name = 'pwned' /*`,
	`$id`,
	`{id: 1}`,
	`MEMBER_OF]-() DETACH DELETE r //`,
	`MEMBER_OF|KNOWS`,
	`Person:Admin`,
	`Person) DETACH DELETE (n`,
	"nul\x00byte",
	"line\nbreak",
	`../../../../etc/passwd`,
	`%27%20OR%201%3D1`,
	"حفتر' OR '1'='1",
	strings.Repeat(`'"`, 300),
}

// TestInjection sends every hostile value in every parameter (path,
// query and header) of every operation the OpenAPI document describes,
// one parameter at a time with the others valid: each answer is a
// success or a problem document, never a server error; a type or kind
// out of the vocabulary is a 400; and the graph is the same afterwards.
func TestInjection(t *testing.T) {
	store, err := memstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	runInjection(t, store)
}

func TestInjectionNeo4j(t *testing.T) {
	runInjection(t, neo4jtest.Open(t, neo4jtest.Config(t)))
}

func runInjection(t *testing.T, store graph.Store) {
	loadDemo(t, store)
	srv, _, _ := testServerOn(t, store, Config{})
	k := newContract(t, srv.URL)
	khaled := demoID(t, k, "Khaled Haftar", graph.KindPerson)
	misrata := demoID(t, k, "Misrata", graph.KindPlace)
	var rels struct{ Items []graph.Relation }
	k.get(t, "/v1/entities/"+khaled+"/relations?limit=1", 200).json(t, &rels)
	if len(rels.Items) == 0 {
		t.Fatal("the demo graph gives Khaled Haftar no relations")
	}
	relation := rels.Items[0]
	document := relation.Evidence[0].Document

	before := graphState(t, store, khaled)
	sent, vocabularySent := 0, 0
	for _, path := range k.doc.Paths.InMatchingOrder() {
		item := k.doc.Paths.Value(path)
		for method, op := range item.Operations() {
			if path == "/v1/changes/stream" {
				// A stream that is accepted never ends; its since is
				// the parser /v1/changes uses, which is swept.
				continue
			}
			params := append(slices.Clone(item.Parameters), op.Parameters...)
			valid := validParams(path, method, params, khaled, misrata, relation.ID, document)
			for _, p := range params {
				if p.Value == nil || p.Value.In == "cookie" {
					continue
				}
				for _, v := range hostileValues {
					if p.Value.In == "header" && strings.ContainsAny(v, "\x00\n") {
						continue // no client can send these in a header
					}
					a := sendWith(t, srv.URL, method, path, valid, p.Value, v)
					sent++
					what := method + " " + path + " with " + p.Value.In + " " + p.Value.Name + "=" + strconvQuote(v)
					if a.status >= 500 || a.status == 0 {
						t.Errorf("%s: %d %s", what, a.status, clipBody(a.body))
						continue
					}
					if a.status >= 400 {
						checkProblem(t, what, a)
					}
					if vocabulary(p) {
						vocabularySent++
					}
					if vocabulary(p) && a.status != http.StatusBadRequest {
						t.Errorf("%s: %d, want 400 for a value outside the vocabulary", what, a.status)
					}
				}
			}
		}
	}
	if sent < 1000 || vocabularySent < 100 {
		t.Fatalf("only %d hostile requests were sent, %d of them kinds or types: the sweep misses parameters", sent, vocabularySent)
	}
	t.Logf("%d hostile requests", sent)
	sameState(t, "the graph after the hostile requests", graphState(t, store, khaled), before)

	// Values that reach the store as data are stored as sent.
	for _, h := range hostileValues {
		body, _ := json.Marshal(map[string]any{"kind": "Organization", "name": "Hostile " + h, "aliases": []string{"Alias " + h}, "summary": h})
		created := do(t, "POST", srv.URL+"/v1/entities", bytes.NewReader(body), "Content-Type", "application/json")
		if strings.ContainsAny(h, "\x00\n") {
			// Not data in a name: refused (graph.Validate).
			if created.status != http.StatusBadRequest {
				t.Errorf("creating an organisation named %q: %d, want 400 for a control character", h, created.status)
			}
			continue
		}
		if created.status != http.StatusCreated {
			t.Errorf("creating an organisation named %q: %d %s", h, created.status, clipBody(created.body))
			continue
		}
		var e graph.Entity
		if err := json.Unmarshal(created.body, &e); err != nil {
			t.Fatal(err)
		}
		alias := "Second " + h
		body, _ = json.Marshal(map[string]string{"alias": alias, "reason": h})
		if a := do(t, "POST", srv.URL+"/v1/entities/"+e.ID+"/aliases", bytes.NewReader(body), "Content-Type", "application/json"); a.status != http.StatusOK {
			t.Errorf("adding the alias %q: %d %s", alias, a.status, clipBody(a.body))
		}
		var got graph.Entity
		if a := do(t, "GET", srv.URL+"/v1/entities/"+e.ID, nil); a.status != http.StatusOK || json.Unmarshal(a.body, &got) != nil {
			t.Fatalf("reading back %s: %d", e.ID, a.status)
		}
		if got.Name != "Hostile "+h || got.Summary != h || !slices.Contains(got.Aliases, "Alias "+h) || !slices.Contains(got.Aliases, alias) {
			t.Errorf("stored as name %q summary %q aliases %q; want what was sent, %q", got.Name, got.Summary, got.Aliases, h)
		}
		if a := do(t, "DELETE", srv.URL+"/v1/entities/"+e.ID+"/aliases/"+url.PathEscape(alias)+"?reason="+url.QueryEscape(h), nil); a.status != http.StatusOK {
			t.Errorf("removing the alias %q: %d %s", alias, a.status, clipBody(a.body))
		}
		if a := do(t, "DELETE", srv.URL+"/v1/entities/"+e.ID+"?reason="+url.QueryEscape(h), nil); a.status != http.StatusOK {
			t.Errorf("deleting the organisation named %q: %d %s", h, a.status, clipBody(a.body))
		}
	}
	sameState(t, "the graph after hostile names came and went", graphState(t, store, khaled), before)
}

// validParams gives each required parameter of an operation a value that
// works on the demo graph, so that the one made hostile is the one the
// server judges. Writes get an id nobody has, so that a request which
// gets through changes nothing.
func validParams(path, method string, params openapi3.Parameters, khaled, misrata, relation, document string) map[string]string {
	write := method != http.MethodGet
	entity := khaled
	if write {
		entity = noID
	}
	valid := map[string]string{}
	for _, p := range params {
		if p.Value == nil || !p.Value.Required {
			continue
		}
		name := p.Value.Name
		var v string
		switch {
		case name == "id" && strings.HasPrefix(path, "/v1/entities/"):
			v = entity
		case name == "id" && strings.HasPrefix(path, "/v1/relations/"):
			v = relation
		case name == "id" && strings.HasPrefix(path, "/v1/documents/"):
			v = document
		case name == "id":
			v = noID
		case name == "from":
			v = khaled
		case name == "to", name == "with":
			v = misrata
		case name == "q":
			v = "Haftar"
		case name == "alias":
			v = "Someone Else"
		case name == "format":
			v = "ndjson"
		case name == "file":
			v = "index.html"
		default:
			v = "x"
		}
		valid[p.Value.In+":"+name] = v
	}
	return valid
}

// sendWith sends the operation with its valid parameters and p set to v.
func sendWith(t *testing.T, base, method, path string, valid map[string]string, p *openapi3.Parameter, v string) answer {
	t.Helper()
	values := map[string]string{}
	for k, x := range valid {
		values[k] = x
	}
	values[p.In+":"+p.Name] = v
	target := path
	query := url.Values{}
	var headers []string
	for key, x := range values {
		in, name, _ := strings.Cut(key, ":")
		switch in {
		case "path":
			target = strings.ReplaceAll(target, "{"+name+"}", url.PathEscape(x))
		case "query":
			query.Set(name, x)
		case "header":
			headers = append(headers, name, x)
		}
	}
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var body *bytes.Reader
	if method == http.MethodPost || method == http.MethodPatch {
		body = bytes.NewReader([]byte(`{}`))
		headers = append(headers, "Content-Type", "application/json")
	} else {
		body = bytes.NewReader(nil)
	}
	return do(t, method, base+target, body, headers...)
}

// vocabulary tells a parameter whose values are entity kinds or relation
// types: the names a Cypher store writes into its statements. (Event
// types are an open list, matched as data.)
func vocabulary(p *openapi3.ParameterRef) bool {
	return strings.HasSuffix(p.Ref, "/parameters/Kinds") || strings.HasSuffix(p.Ref, "/parameters/RelationTypes")
}

// checkProblem fails unless a is an RFC 9457 problem document whose
// status is the response's.
func checkProblem(t *testing.T, what string, a answer) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != problemContentType {
		t.Errorf("%s: %d with content type %q, want a problem document", what, a.status, ct)
		return
	}
	var p Problem
	if err := json.Unmarshal(a.body, &p); err != nil || p.Status != a.status || p.Title == "" {
		t.Errorf("%s: %d with problem %s (%v)", what, a.status, clipBody(a.body), err)
	}
}

// state is what a hostile request must not change: the counts, the head
// of the change feed, and one entity with its relations.
type state struct {
	Stats     graph.Stats
	Entity    graph.Entity
	Relations []graph.Relation
}

func graphState(t *testing.T, st graph.Store, id string) state {
	t.Helper()
	ctx := context.Background()
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.Entity(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.Relations(ctx, graph.RelationQuery{Entity: id, Limit: graph.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return state{Stats: stats, Entity: e, Relations: page.Items}
}

func sameState(t *testing.T, what string, got, want state) {
	t.Helper()
	// The change feed moves when hostile names come and go; what must
	// hold is that everything else is as it was.
	got.Stats.Changes, want.Stats.Changes = 0, 0
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("%s changed:\n got  %s\n want %s", what, clipBody(g), clipBody(w))
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
