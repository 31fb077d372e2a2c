package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// Analysts' edits over HTTP. The flows run on the embedded store and on
// Neo4j: each is a function of a server on a store holding the test
// reports.

var editFlows = []struct {
	name string
	run  func(t *testing.T, base string)
}{
	{"create", testCreateEntity},
	{"patch", testPatchEntity},
	{"aliases", testAliases},
	{"concurrent edits", testConcurrentEdits},
	{"delete", testDeleteEntity},
	{"merge and unmerge", testMergeAndUnmerge},
	{"audit pages", testAuditPages},
}

func TestEditsMemstore(t *testing.T) {
	for _, f := range editFlows {
		t.Run(f.name, func(t *testing.T) {
			st := memstore.OpenMemory()
			t.Cleanup(func() { st.Close() })
			f.run(t, serveReports(t, st))
		})
	}
}

func TestEditsNeo4j(t *testing.T) {
	cfg := neo4jtest.Config(t)
	for _, f := range editFlows {
		t.Run(f.name, func(t *testing.T) {
			f.run(t, serveReports(t, neo4jtest.Open(t, cfg)))
		})
	}
}

// serveReports stores the test reports in st and serves it.
func serveReports(t *testing.T, st graph.Store) string {
	t.Helper()
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range reports {
		b, err := pipe.Extract(t.Context(), a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Apply(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(api.New(api.Config{Store: st, Pipeline: pipe}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// do sends a request with a JSON body (nil: none) and optional headers
// ("Name: value"), decodes the answer into out and returns the status and
// the headers.
func do(t *testing.T, method, u string, body any, out any, headers ...string) (int, http.Header) {
	t.Helper()
	var r *bytes.Reader
	switch b := body.(type) {
	case nil:
		r = bytes.NewReader(nil)
	case string:
		r = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		reflect.ValueOf(out).Elem().SetZero() // no field left from a previous answer
	}
	if resp.StatusCode == http.StatusNotModified {
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	return decode(t, method, u, resp, nil, out), resp.Header
}

// wantProblem checks a problem document's status, code and parameter.
func wantProblem(t *testing.T, what string, status int, p api.Problem, wantStatus int, code graph.Code, param string) {
	t.Helper()
	if status != wantStatus || p.Code != code || p.Param != param || p.Status != wantStatus {
		t.Errorf("%s: %d %s param %q (%s); want %d %s param %q", what, status, p.Code, p.Param, p.Detail, wantStatus, code, param)
	}
}

func auditOf(t *testing.T, base, entity string) []graph.AuditRecord {
	t.Helper()
	var page struct{ Items []graph.AuditRecord }
	if code, _ := do(t, "GET", base+"/v1/audit?entity="+entity, nil, &page); code != 200 {
		t.Fatalf("GET audit: %d", code)
	}
	return page.Items
}

func createPerson(t *testing.T, base, name string) graph.Entity {
	t.Helper()
	var e graph.Entity
	if code, _ := do(t, "POST", base+"/v1/entities", map[string]any{"kind": "Person", "name": name}, &e); code != http.StatusCreated {
		t.Fatalf("create %s: %d", name, code)
	}
	return e
}

func testCreateEntity(t *testing.T, base string) {
	body := map[string]any{"kind": "person", "name": "Nuri al-Ghadamsi", "name_ar": "نوري الغدامسي",
		"aliases": []string{"Nouri Ghadamsi"}, "title": "Col.", "reason": "named in the council's register"}
	var e graph.Entity
	code, h := do(t, "POST", base+"/v1/entities", body, &e)
	if code != http.StatusCreated || e.Kind != graph.KindPerson || e.NameAr != "نوري الغدامسي" || e.Title != "Col." ||
		!slices.Contains(e.Aliases, "Nouri Ghadamsi") || h.Get("Location") != "/v1/entities/"+e.ID {
		t.Fatalf("POST: %d %+v, Location %q", code, e, h.Get("Location"))
	}
	tag := h.Get("ETag")
	var got graph.Entity
	if code, gh := do(t, "GET", base+"/v1/entities/"+e.ID, nil, &got); code != 200 || gh.Get("ETag") != tag || tag == "" {
		t.Errorf("GET: %d ETag %q; want the ETag of the POST, %q", code, gh.Get("ETag"), tag)
	}
	if code, _ := do(t, "GET", base+"/v1/entities/"+e.ID, nil, nil, "If-None-Match: "+tag); code != http.StatusNotModified {
		t.Errorf("GET with a matching If-None-Match: %d, want 304", code)
	}
	if code, _ := do(t, "GET", base+"/v1/entities/"+e.ID, nil, &got, `If-None-Match: "other", W/`+tag); code != http.StatusNotModified {
		t.Errorf("GET with the tag in a list, weak: %d, want 304", code)
	}
	if code, _ := do(t, "GET", base+"/v1/entities/"+e.ID, nil, &got, `If-None-Match: "stale"`); code != 200 || got.ID != e.ID {
		t.Errorf("GET with a stale If-None-Match: %d, want 200 and the entity", code)
	}
	if hit := searchOne(t, base, "نوري الغدامسي"); hit.ID != e.ID {
		t.Errorf("search by the Arabic name found %s, want the new entity", hit.Name)
	}
	recs := auditOf(t, base, e.ID)
	if len(recs) != 1 || recs[0].Op != graph.EditCreate || recs[0].Actor == "" || recs[0].Reason != body["reason"] ||
		recs[0].After == nil || recs[0].Before != nil || recs[0].Seq == 0 {
		t.Errorf("audit = %+v; want one create with actor, reason and the entity after", recs)
	}
	var p api.Problem
	code, _ = do(t, "POST", base+"/v1/entities", body, &p)
	wantProblem(t, "the same entity again", code, p, http.StatusConflict, graph.Conflict, "")

	for _, c := range []struct {
		what, body  string
		status      int
		code        graph.Code
		param       string
		contentType string
	}{
		{"id", `{"kind":"Person","name":"A B","id":"` + e.ID + `"}`, 400, graph.Invalid, "id", ""},
		{"mentions", `{"kind":"Person","name":"A B","mentions":[]}`, 400, graph.Invalid, "mentions", ""},
		{"unknown field", `{"kind":"Person","name":"A B","nickname":"x"}`, 400, graph.Invalid, "nickname", ""},
		{"wrong type", `{"kind":"Person","name":5}`, 400, graph.Invalid, "name", ""},
		{"wrong type in a list", `{"kind":"Person","name":"A B","aliases":"A"}`, 400, graph.Invalid, "aliases", ""},
		{"no kind", `{"name":"A B"}`, 400, graph.Invalid, "kind", ""},
		{"bad kind", `{"kind":"Planet","name":"A B"}`, 400, graph.Invalid, "kind", ""},
		{"document", `{"kind":"Document","name":"A B"}`, 400, graph.Invalid, "kind", ""},
		{"no name", `{"kind":"Person","name_ar":"أ ب"}`, 400, graph.Invalid, "name", ""},
		{"two values", `{"kind":"Person","name":"A B"} {"kind":"Person","name":"C D"}`, 400, graph.Invalid, "body", ""},
		{"array", `[{"kind":"Person","name":"A B"}]`, 400, graph.Invalid, "body", ""},
		{"not JSON", `{"kind":`, 400, graph.Invalid, "body", ""},
		{"empty", ``, 400, graph.Invalid, "body", ""},
		{"form", `kind=Person&name=A`, 415, "unsupported_media_type", "Content-Type", "application/x-www-form-urlencoded"},
	} {
		var p api.Problem
		headers := []string{}
		if c.contentType != "" {
			headers = append(headers, "Content-Type: "+c.contentType)
		}
		code, h := do(t, "POST", base+"/v1/entities", c.body, &p, headers...)
		wantProblem(t, c.what, code, p, c.status, c.code, c.param)
		if ct := h.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q", c.what, ct)
		}
	}
}

func testPatchEntity(t *testing.T, base string) {
	khaled := searchOne(t, base, "Khaled Haftar")
	u := base + "/v1/entities/" + khaled.ID
	var before graph.Entity
	_, h := do(t, "GET", u, nil, &before)
	tag0 := h.Get("ETag")

	patch := `{"title": "Lt. Gen.", "topics": ["security"], "name_ar": null, "reason": "rank as of 2025"}`
	var e graph.Entity
	code, h := do(t, "PATCH", u, patch, &e, "Content-Type: application/merge-patch+json")
	if code != 200 || e.Title != "Lt. Gen." || !slices.Equal(e.Topics, []string{"security"}) || e.NameAr != "" ||
		e.Name != before.Name || !slices.Equal(e.Aliases, before.Aliases) || len(e.Mentions) != len(before.Mentions) {
		t.Fatalf("PATCH: %d %+v; want title and topics set, name_ar cleared, the rest as it was (%+v)", code, e, before)
	}
	tag1 := h.Get("ETag")
	if tag1 == "" || tag1 == tag0 {
		t.Errorf("ETag after PATCH %q, before %q: want a new one", tag1, tag0)
	}
	recs := auditOf(t, base, khaled.ID)
	if len(recs) != 1 || recs[0].Op != graph.EditUpdate || recs[0].Reason != "rank as of 2025" ||
		recs[0].Before == nil || recs[0].Before.NameAr != before.NameAr || recs[0].After == nil || recs[0].After.Title != "Lt. Gen." {
		t.Errorf("audit = %+v; want the update with before and after", recs)
	}

	// If-Match: a stale version is refused, the current one accepted.
	var p api.Problem
	code, _ = do(t, "PATCH", u, `{"summary": "x"}`, &p, "If-Match: "+tag0)
	wantProblem(t, "stale If-Match", code, p, http.StatusPreconditionFailed, graph.Precondition, "If-Match")
	code, h = do(t, "PATCH", u, `{"summary": "Chief of staff of the General Command."}`, &e, "If-Match: "+tag1)
	if code != 200 || e.Summary != "Chief of staff of the General Command." || h.Get("ETag") == tag1 {
		t.Errorf("PATCH with the current If-Match: %d %+v", code, e)
	}
	// A patch that changes nothing records nothing.
	n := len(auditOf(t, base, khaled.ID))
	if code, _ := do(t, "PATCH", u, `{"title": "Lt. Gen."}`, &e); code != 200 || len(auditOf(t, base, khaled.ID)) != n {
		t.Errorf("a patch that changes nothing: %d, audit %d → %d records", code, n, len(auditOf(t, base, khaled.ID)))
	}

	for _, c := range []struct {
		what, body, contentType string
		status                  int
		code                    graph.Code
		param                   string
	}{
		{"kind", `{"kind": "Group"}`, "application/json", 400, graph.Invalid, "kind"},
		{"id", `{"id": "` + khaled.ID + `"}`, "application/json", 400, graph.Invalid, "id"},
		{"mentions", `{"mentions": null}`, "application/json", 400, graph.Invalid, "mentions"},
		{"unknown", `{"rank": "x"}`, "application/json", 400, graph.Invalid, "rank"},
		{"wrong type", `{"lat": "north"}`, "application/json", 400, graph.Invalid, "lat"},
		{"reason not a string", `{"reason": 1}`, "application/json", 400, graph.Invalid, "reason"},
		{"name removed", `{"name": null}`, "application/json", 400, graph.Invalid, "name"},
		{"not an object", `["title"]`, "application/json", 400, graph.Invalid, "body"},
		{"plain text", `title=x`, "text/plain", 415, "unsupported_media_type", "Content-Type"},
		{"JSON Patch", `[{"op":"replace","path":"/title","value":"x"}]`, "application/json-patch+json", 415, "unsupported_media_type", "Content-Type"},
	} {
		var p api.Problem
		code, _ := do(t, "PATCH", u, c.body, &p, "Content-Type: "+c.contentType)
		wantProblem(t, c.what, code, p, c.status, c.code, c.param)
	}
	code, _ = do(t, "PATCH", base+"/v1/entities/"+graph.EntityID(graph.KindPerson, "nobody"), `{"title": "x"}`, &p)
	wantProblem(t, "unknown entity", code, p, http.StatusNotFound, graph.NotFound, "")
	code, _ = do(t, "PATCH", base+"/v1/entities/not-an-id", `{"title": "x"}`, &p)
	wantProblem(t, "malformed id", code, p, http.StatusBadRequest, graph.Invalid, "id")
}

func testAliases(t *testing.T, base string) {
	e := createPerson(t, base, "Salem Juha")
	u := base + "/v1/entities/" + e.ID + "/aliases"
	for _, alias := range []string{"سالم جحا", "S. Juha / Joha"} {
		var got graph.Entity
		if code, h := do(t, "POST", u, map[string]string{"alias": alias, "reason": "spelling in reports"}, &got); code != 200 ||
			!slices.Contains(got.Aliases, alias) || h.Get("ETag") == "" {
			t.Fatalf("add %q: %d %+v", alias, code, got)
		}
	}
	n := len(auditOf(t, base, e.ID))
	var got graph.Entity
	if code, _ := do(t, "POST", u, map[string]string{"alias": "سالم جحا"}, &got); code != 200 || len(auditOf(t, base, e.ID)) != n {
		t.Errorf("adding an alias it has: %d; want 200 and no audit record", code)
	}
	// Aliases in the path are URL-escaped: Arabic, spaces, even a slash.
	for _, alias := range []string{"سالم جحا", "S. Juha / Joha"} {
		code, _ := do(t, "DELETE", u+"/"+url.PathEscape(alias)+"?reason=wrong", nil, &got)
		if code != 200 || slices.Contains(got.Aliases, alias) {
			t.Errorf("remove %q: %d %+v", alias, code, got.Aliases)
		}
	}
	recs := auditOf(t, base, e.ID)
	if last := recs[len(recs)-1]; last.Op != graph.EditUpdate || last.Reason != "wrong" || len(recs) != n+2 {
		t.Errorf("audit after removing = %+v", recs)
	}
	var p api.Problem
	code, _ := do(t, "DELETE", u+"/"+url.PathEscape("Salem Juha"), nil, &p)
	wantProblem(t, "removing the name", code, p, http.StatusBadRequest, graph.Invalid, "alias")
	code, _ = do(t, "DELETE", u+"/nobody", nil, &p)
	wantProblem(t, "removing an absent alias", code, p, http.StatusNotFound, graph.NotFound, "alias")
	code, _ = do(t, "POST", u, map[string]string{"alias": "  "}, &p)
	wantProblem(t, "an empty alias", code, p, http.StatusBadRequest, graph.Invalid, "alias")
	code, _ = do(t, "POST", u, map[string]string{"alias": "x", "name": "y"}, &p)
	wantProblem(t, "an unknown field", code, p, http.StatusBadRequest, graph.Invalid, "name")
	code, _ = do(t, "POST", base+"/v1/entities/"+graph.EntityID(graph.KindPerson, "nobody")+"/aliases", map[string]string{"alias": "x"}, &p)
	wantProblem(t, "an unknown entity", code, p, http.StatusNotFound, graph.NotFound, "")
}

// testConcurrentEdits sends many edits of one entity at once, without
// If-Match: every one lands, none overwrites another.
func testConcurrentEdits(t *testing.T, base string) {
	e := createPerson(t, base, "Ali Zway")
	const n = 8
	var wg sync.WaitGroup
	codes := make([]int, n+1)
	for i := range n {
		wg.Go(func() {
			codes[i], _ = do(t, "POST", base+"/v1/entities/"+e.ID+"/aliases", map[string]string{"alias": fmt.Sprintf("Zway %d", i)}, nil)
		})
	}
	wg.Go(func() {
		codes[n], _ = do(t, "PATCH", base+"/v1/entities/"+e.ID, `{"title": "Sheikh"}`, nil)
	})
	wg.Wait()
	var got graph.Entity
	do(t, "GET", base+"/v1/entities/"+e.ID, nil, &got)
	for i := range n {
		if codes[i] != 200 || !slices.Contains(got.Aliases, fmt.Sprintf("Zway %d", i)) {
			t.Errorf("alias %d: %d, aliases now %v", i, codes[i], got.Aliases)
		}
	}
	if codes[n] != 200 || got.Title != "Sheikh" {
		t.Errorf("the concurrent PATCH: %d, title %q", codes[n], got.Title)
	}
	if recs := auditOf(t, base, e.ID); len(recs) != n+2 {
		t.Errorf("%d audit records, want %d (create and every edit)", len(recs), n+2)
	}
}

func testDeleteEntity(t *testing.T, base string) {
	mahjoub := searchOne(t, base, "خالد المحجوب")
	var rels struct{ Items []graph.Relation }
	do(t, "GET", base+"/v1/entities/"+mahjoub.ID+"/relations", nil, &rels)
	if len(rels.Items) == 0 {
		t.Fatal("al-Mahjoub has no relations to delete")
	}
	var p api.Problem
	code, _ := do(t, "DELETE", base+"/v1/entities/"+mahjoub.ID, nil, &p, `If-Match: "stale"`)
	wantProblem(t, "stale If-Match", code, p, http.StatusPreconditionFailed, graph.Precondition, "If-Match")

	var rec graph.AuditRecord
	code, _ = do(t, "DELETE", base+"/v1/entities/"+mahjoub.ID+"?reason="+url.QueryEscape("not a person: a misreading"), nil, &rec)
	if code != 200 || rec.Op != graph.EditDelete || rec.Entity != mahjoub.ID || rec.Before == nil || rec.Before.Name != mahjoub.Name ||
		rec.After != nil || rec.Reason != "not a person: a misreading" || rec.Relations < len(rels.Items) || rec.Seq == 0 {
		t.Fatalf("DELETE: %d %+v", code, rec)
	}
	code, _ = do(t, "GET", base+"/v1/entities/"+mahjoub.ID, nil, &p)
	wantProblem(t, "GET after DELETE", code, p, http.StatusNotFound, graph.NotFound, "")
	for _, r := range rels.Items {
		code, _ := do(t, "GET", base+"/v1/relations/"+r.ID, nil, &p)
		wantProblem(t, "a relation of the deleted entity", code, p, http.StatusNotFound, graph.NotFound, "")
	}
	if recs := auditOf(t, base, mahjoub.ID); len(recs) != 1 || recs[0].Seq != rec.Seq {
		t.Errorf("the deleted entity's audit = %+v", recs)
	}
	code, _ = do(t, "DELETE", base+"/v1/entities/"+mahjoub.ID, nil, &p)
	wantProblem(t, "DELETE again", code, p, http.StatusNotFound, graph.NotFound, "")
	doc := ingest.URLDocumentID(reports[0].URL)
	code, _ = do(t, "DELETE", base+"/v1/entities/"+doc, nil, &p)
	wantProblem(t, "DELETE of a document", code, p, http.StatusBadRequest, graph.Invalid, "")
}

func testMergeAndUnmerge(t *testing.T, base string) {
	khaled := searchOne(t, base, "Khaled Haftar")
	dup := createPerson(t, base, "Khalid Hafter")
	do(t, "POST", base+"/v1/entities/"+dup.ID+"/aliases", map[string]string{"alias": "KKH"}, nil)

	var p api.Problem
	code, _ := do(t, "POST", base+"/v1/merges", map[string]string{"keep": "Haftar", "drop": dup.ID}, &p)
	wantProblem(t, "an ambiguous name", code, p, http.StatusConflict, graph.Conflict, "keep")
	if len(p.Candidates) < 2 {
		t.Errorf("candidates %+v", p.Candidates)
	}
	code, _ = do(t, "POST", base+"/v1/merges", map[string]string{"keep": khaled.ID}, &p)
	wantProblem(t, "no drop", code, p, http.StatusBadRequest, graph.Invalid, "drop")
	code, _ = do(t, "POST", base+"/v1/merges", map[string]string{"keep": khaled.ID, "drop": khaled.ID}, &p)
	wantProblem(t, "an entity into itself", code, p, http.StatusBadRequest, graph.Invalid, "")
	code, _ = do(t, "POST", base+"/v1/merges", map[string]string{"keep": khaled.ID, "drop": "Nobody Known"}, &p)
	wantProblem(t, "an unknown name", code, p, http.StatusNotFound, graph.NotFound, "drop")

	code, _ = do(t, "POST", base+"/v1/merges", map[string]string{"keep": khaled.ID, "drop": dup.ID}, &p, `If-Match: "stale"`)
	wantProblem(t, "a stale If-Match", code, p, http.StatusPreconditionFailed, graph.Precondition, "If-Match")

	var merged struct {
		Audit graph.AuditRecord
		Merge struct {
			Keep, Drop, Undo string
			Dropped          graph.Entity
		}
	}
	var dupNow graph.Entity
	_, h := do(t, "GET", base+"/v1/entities/"+dup.ID, nil, &dupNow)
	code, _ = do(t, "POST", base+"/v1/merges", map[string]string{"keep": "Khaled Haftar", "drop": dup.ID, "reason": "the same man"}, &merged,
		"If-Match: "+h.Get("ETag"))
	rec, m := merged.Audit, merged.Merge
	if code != 200 || rec.Op != graph.EditMerge || rec.Entity != dup.ID || rec.Into != khaled.ID || rec.Reason != "the same man" || rec.Seq == 0 ||
		m.Keep != khaled.ID || m.Drop != dup.ID || m.Dropped.Name != "Khalid Hafter" || m.Undo != "/v1/merges/"+dup.ID {
		t.Fatalf("POST merge: %d %+v", code, merged)
	}
	var got graph.Entity
	if do(t, "GET", base+"/v1/entities/"+dup.ID, nil, &got); got.ID != khaled.ID || !slices.Contains(got.Aliases, "KKH") ||
		!slices.Contains(got.Aliases, "Khalid Hafter") {
		t.Errorf("after the merge the dropped id gives %s %v; want Khaled Haftar with the dropped names", got.ID, got.Aliases)
	}
	code, _ = do(t, "PATCH", base+"/v1/entities/"+dup.ID, `{"title": "x"}`, &p)
	wantProblem(t, "PATCH of a merged-away id", code, p, http.StatusNotFound, graph.NotFound, "")

	code, _ = do(t, "DELETE", base+m.Undo+"?reason=two+men", nil, &rec)
	if code != 200 || rec.Op != graph.EditUnmerge || rec.Entity != dup.ID || rec.Into != khaled.ID || rec.Reason != "two men" {
		t.Fatalf("DELETE merge: %d %+v", code, rec)
	}
	if do(t, "GET", base+"/v1/entities/"+dup.ID, nil, &got); got.ID != dup.ID || !slices.Contains(got.Aliases, "KKH") {
		t.Errorf("after the un-merge the dropped id gives %s %v; want the dropped entity back", got.ID, got.Aliases)
	}
	if do(t, "GET", base+"/v1/entities/"+khaled.ID, nil, &got); slices.Contains(got.Aliases, "KKH") || slices.Contains(got.Aliases, "Khalid Hafter") {
		t.Errorf("after the un-merge the kept entity still has the dropped names: %v", got.Aliases)
	}
	code, _ = do(t, "DELETE", base+"/v1/merges/"+dup.ID, nil, &p)
	wantProblem(t, "un-merge of an entity not merged", code, p, http.StatusConflict, graph.Conflict, "")
	code, _ = do(t, "DELETE", base+"/v1/merges/"+graph.EntityID(graph.KindPerson, "nobody"), nil, &p)
	wantProblem(t, "un-merge of an unknown id", code, p, http.StatusNotFound, graph.NotFound, "")
	ops := []graph.EditOp{}
	for _, r := range auditOf(t, base, khaled.ID) {
		ops = append(ops, r.Op)
	}
	if !slices.Equal(ops, []graph.EditOp{graph.EditMerge, graph.EditUnmerge}) {
		t.Errorf("the kept entity's audit: %v; want merge, unmerge", ops)
	}
}

func testAuditPages(t *testing.T, base string) {
	var ids []string
	for _, name := range []string{"Adel Jumaa", "Hussein Bazza", "Omar Tantoush"} {
		ids = append(ids, createPerson(t, base, name).ID)
	}
	do(t, "PATCH", base+"/v1/entities/"+ids[0], `{"title": "Minister"}`, nil)
	var all []graph.AuditRecord
	since := uint64(0)
	for range 10 {
		var raw struct {
			Items []graph.AuditRecord
			Next  string
		}
		if code, _ := do(t, "GET", fmt.Sprintf("%s/v1/audit?limit=2&since=%d", base, since), nil, &raw); code != 200 {
			t.Fatalf("GET audit: %d", code)
		}
		next, err := strconv.ParseUint(raw.Next, 10, 64)
		if err != nil {
			t.Fatalf("audit next %q is not a decimal string", raw.Next)
		}
		page := graph.AuditPage{Items: raw.Items, Next: next}
		if len(page.Items) == 0 {
			if page.Next != since {
				t.Errorf("an empty page's next %d, want %d", page.Next, since)
			}
			break
		}
		if len(page.Items) > 2 || page.Next != page.Items[len(page.Items)-1].Seq {
			t.Errorf("page %+v: more than the limit, or next is not its last seq", page)
		}
		all = append(all, page.Items...)
		since = page.Next
	}
	if len(all) != 4 || all[0].Entity != ids[0] || all[3].Op != graph.EditUpdate {
		t.Fatalf("audit pages gave %d records %+v; want 3 creates and 1 update in order", len(all), all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq <= all[i-1].Seq {
			t.Errorf("seq %d after %d", all[i].Seq, all[i-1].Seq)
		}
	}
	if recs := auditOf(t, base, url.QueryEscape("Adel Jumaa")); len(recs) != 2 {
		t.Errorf("audit by name: %d records, want 2", len(recs))
	}
	var p api.Problem
	code, _ := do(t, "GET", base+"/v1/audit?since=yesterday", nil, &p)
	wantProblem(t, "since not a number", code, p, http.StatusBadRequest, graph.Invalid, "since")
}

// TestEditBodyLimit: a body over the limit is refused before it is read
// whole.
func TestEditBodyLimit(t *testing.T) {
	srv, _ := newServerWith(t, func(c *api.Config) { c.MaxBodyBytes = 100 })
	body := `{"kind":"Person","name":"` + strings.Repeat("a", 200) + `"}`
	for _, path := range []string{"/v1/entities", "/v1/documents", "/v1/merges"} {
		var p api.Problem
		code, _ := do(t, "POST", srv.URL+path, body, &p)
		wantProblem(t, path, code, p, http.StatusRequestEntityTooLarge, graph.TooLarge, "")
	}
}

// TestPostDocumentBody: POST /v1/documents refuses what every JSON body
// refuses, naming the field.
func TestPostDocumentBody(t *testing.T) {
	srv, _ := newServerWith(t, nil)
	for _, c := range []struct {
		what, body, contentType string
		status                  int
		code                    graph.Code
		param                   string
	}{
		{"unknown field", `{"text": "x", "author": "y"}`, "application/json", 400, graph.Invalid, "author"},
		{"wrong type", `{"text": 1}`, "application/json", 400, graph.Invalid, "text"},
		{"two values", `{"text": "x"} {"text": "y"}`, "application/json", 400, graph.Invalid, "body"},
		{"plain text", `some text`, "text/plain", 415, "unsupported_media_type", "Content-Type"},
	} {
		var p api.Problem
		code, _ := do(t, "POST", srv.URL+"/v1/documents", c.body, &p, "Content-Type: "+c.contentType)
		wantProblem(t, c.what, code, p, c.status, c.code, c.param)
	}
}

// TestAuditActorIsTheKeysName: with API keys, the audit log says which
// key's holder made each edit (never the key itself).
func TestAuditActorIsTheKeysName(t *testing.T) {
	const secret = "0123456789abcdef-writer"
	srv, _ := newServerWith(t, func(c *api.Config) {
		c.Keys = []api.Key{{Secret: secret, Role: api.RoleWriter, Name: "analyst-1"}}
	})
	var e graph.Entity
	if code, _ := do(t, "POST", srv.URL+"/v1/entities", map[string]string{"kind": "Person", "name": "Faraj Buqaiqis"}, &e,
		"Authorization: Bearer "+secret); code != http.StatusCreated {
		t.Fatalf("POST with a writer key: %d", code)
	}
	var page struct{ Items []graph.AuditRecord }
	do(t, "GET", srv.URL+"/v1/audit?entity="+e.ID, nil, &page, "Authorization: Bearer "+secret)
	if len(page.Items) != 1 || page.Items[0].Actor != "analyst-1" {
		t.Errorf("audit = %+v; want one record by analyst-1", page.Items)
	}
}
