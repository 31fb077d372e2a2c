package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/ndjson"
	"github.com/polgraph/polgraph/ingest"
)

// upload sends body to u and decodes the answer into out.
func upload(t *testing.T, u string, body []byte, out any) (int, http.Header) {
	t.Helper()
	resp, err := http.Post(u, "text/csv", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	h := resp.Header
	return decode(t, "POST", u, resp, nil, out), h
}

// waitJob polls the job until it ends.
func waitJob(t *testing.T, base, id string) api.Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var job api.Job
		if code := get(t, base+"/v1/jobs/"+id, &job); code != http.StatusOK {
			t.Fatalf("GET job: %d", code)
		}
		if job.State == api.JobDone || job.State == api.JobFailed {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still %s: %+v", job.State, job)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestImportJob(t *testing.T) {
	srv, store := newServer(t)
	csv, err := os.ReadFile(filepath.Join("..", "ingest", "eventdata", "testdata", "acled-current.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var job api.Job
	code, h := upload(t, srv.URL+"/v1/imports/acled", csv, &job)
	if code != http.StatusAccepted || h.Get("Location") != "/v1/jobs/"+job.ID || job.Format != "acled" || job.Bytes != int64(len(csv)) {
		t.Fatalf("POST: %d %+v (Location %q); want 202 and the job", code, job, h.Get("Location"))
	}
	done := waitJob(t, srv.URL, job.ID)
	if done.State != api.JobDone || done.BytesRead != int64(len(csv)) || done.Summary.Read != 4 || done.Summary.Imported != 3 ||
		len(done.Summary.Skipped) != 1 || done.Summary.Skipped[0].Line != 4 || done.Finished == nil {
		t.Fatalf("job = %+v; want done, all bytes read, 3 of 4 rows imported, line 4 skipped", done)
	}
	if _, err := store.Entity(t.Context(), graph.EntityID(graph.KindEvent, "acled:TST90001")); err != nil {
		t.Errorf("the imported event is not in the store: %v", err)
	}
	// The same file again is the same job, not a second import.
	var again api.Job
	if code, _ := upload(t, srv.URL+"/v1/imports/acled", csv, &again); code != http.StatusOK || again.ID != job.ID || again.State != api.JobDone {
		t.Errorf("resubmission: %d %+v; want 200 and the finished job", code, again)
	}
	for _, c := range []struct {
		what, path string
		body       []byte
		status     int
		code       graph.Code
	}{
		{"unknown format", "/v1/imports/xlsx", csv, http.StatusNotFound, "not_found"},
		{"empty body", "/v1/imports/acled", nil, http.StatusBadRequest, "invalid"},
	} {
		var p api.Problem
		if code, _ := upload(t, srv.URL+c.path, c.body, &p); code != c.status || p.Code != c.code {
			t.Errorf("%s: %d %+v; want %d %s", c.what, code, p, c.status, c.code)
		}
	}
	var p api.Problem
	if code := get(t, srv.URL+"/v1/jobs/"+graph.EntityID(graph.KindEvent, "nothing"), &p); code != http.StatusNotFound {
		t.Errorf("unknown job: %d %+v", code, p)
	}
	// A file that is not ACLED fails the job with the reason; nothing else moves.
	var bad api.Job
	upload(t, srv.URL+"/v1/imports/acled", []byte("a,b\n1,2\n"), &bad)
	if failed := waitJob(t, srv.URL, bad.ID); failed.State != api.JobFailed || !strings.Contains(failed.Error, "not an ACLED header") {
		t.Errorf("job of a non-ACLED file = %+v", failed)
	}
}

func TestImportUploadLimit(t *testing.T) {
	store := memstore.OpenMemory()
	defer store.Close()
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: store, Pipeline: pipe, MaxImportBytes: 100, ImportDir: t.TempDir()}))
	defer srv.Close()
	var p api.Problem
	if code, _ := upload(t, srv.URL+"/v1/imports/gdelt", bytes.Repeat([]byte("x\t"), 100), &p); code != http.StatusRequestEntityTooLarge || p.Code != "too_large" {
		t.Errorf("oversized upload: %d %+v; want 413", code, p)
	}
	// Small requests elsewhere keep the ordinary limit.
	var job api.Job
	if code, _ := upload(t, srv.URL+"/v1/imports/gdelt", []byte("1\t2\n"), &job); code != http.StatusAccepted {
		t.Errorf("small upload: %d", code)
	}
}

// TestImportNDJSONJob moves a graph between two servers through an
// export and an import job: the second holds the same graph.
func TestImportNDJSONJob(t *testing.T) {
	_, srcStore := newServer(t)
	var dump bytes.Buffer
	if _, err := ndjson.Write(t.Context(), srcStore, &dump); err != nil {
		t.Fatal(err)
	}
	dst := memstore.OpenMemory()
	defer dst.Close()
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: dst, Pipeline: pipe}))
	defer srv.Close()
	var job api.Job
	if code, _ := upload(t, srv.URL+"/v1/imports/ndjson", dump.Bytes(), &job); code != http.StatusAccepted {
		t.Fatalf("POST ndjson: %d", code)
	}
	if done := waitJob(t, srv.URL, job.ID); done.State != api.JobDone || len(done.Summary.Skipped) != 0 {
		t.Fatalf("job = %+v", done)
	}
	var again bytes.Buffer
	if _, err := ndjson.Write(t.Context(), dst, &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), dump.Bytes()) {
		t.Errorf("the imported graph exports %d bytes, the original %d", again.Len(), dump.Len())
	}
}

// newServerWith serves a fresh in-memory store with the config changed by
// edit.
func newServerWith(t *testing.T, edit func(*api.Config)) (*httptest.Server, graph.Store) {
	t.Helper()
	store := memstore.OpenMemory()
	t.Cleanup(func() { store.Close() })
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := api.Config{Store: store, Pipeline: pipe, ImportDir: t.TempDir()}
	if edit != nil {
		edit(&cfg)
	}
	srv := httptest.NewServer(api.New(cfg))
	t.Cleanup(srv.Close)
	return srv, store
}

// send makes a request with a body of the content type and decodes the
// answer into out.
func send(t *testing.T, method, u, contentType string, body []byte, out any) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	h := resp.Header
	return decode(t, method, u, resp, nil, out), h
}

// TestImportArticlesJob sends a batch of articles with bad lines among
// them: the good ones are stored as POST /v1/documents stores them, each
// bad one is reported with its line and reason.
func TestImportArticlesJob(t *testing.T) {
	srv, store := newServerWith(t, func(c *api.Config) { c.MaxBodyBytes = 2000 })
	good := []ingest.Article{
		{ID: "w-1", URL: "https://example.org/w-1", Language: "ar", Published: "2025-12-01",
			Text: "التقى الفريق أول ركن خالد خليفة حفتر في بنغازي وفدا من مدينة مصراتة لبحث توحيد المؤسسة العسكرية."},
		{ID: "w-2", URL: "https://example.org/w-2", Language: "en", Published: "2025-12-02",
			Text: "Lt. Gen. Khaled Haftar received a delegation from Misrata in Benghazi to discuss unifying the military institution."},
	}
	line := func(a ingest.Article) string {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	body := []byte(strings.Join([]string{
		line(good[0]),               // 1
		`{"id": "broken", "text": `, // 2
		`{"id": "w-x", "text": "An article with a field we do not know.", "author": "someone"}`, // 3
		"",                             // 4: blank, not a record
		`{"id": "w-y", "text": "   "}`, // 5
		`{"id": "w-z", "text": "` + strings.Repeat("long ", 500) + `"}`, // 6: over the line limit
		line(good[1]), // 7
	}, "\n") + "\n")

	var p api.Problem
	if code, _ := send(t, "POST", srv.URL+"/v1/imports/articles", "text/csv", body, &p); code != http.StatusUnsupportedMediaType || p.Code != "unsupported_media_type" {
		t.Fatalf("CSV content type: %d %+v; want 415", code, p)
	}
	var job api.Job
	code, h := send(t, "POST", srv.URL+"/v1/imports/articles", "application/x-ndjson", body, &job)
	if code != http.StatusAccepted || h.Get("Location") != "/v1/jobs/"+job.ID || job.Format != "articles" || job.Bytes != int64(len(body)) {
		t.Fatalf("POST: %d %+v (Location %q); want 202 and the job", code, job, h.Get("Location"))
	}
	done := waitJob(t, srv.URL, job.ID)
	if done.State != api.JobDone || done.BytesRead != int64(len(body)) || done.Summary.Read != 6 || done.Summary.Imported != 2 || done.Summary.Applied.Created == 0 {
		t.Fatalf("job = %+v; want done, all bytes read, 2 of 6 articles stored", done)
	}
	wantSkips := []struct {
		line int
		says string
	}{{2, "end of JSON"}, {3, `"author"`}, {5, "text is empty"}, {6, "longer than 2000 bytes"}}
	if len(done.Summary.Skipped) != len(wantSkips) {
		t.Fatalf("skipped %+v, want lines 2, 3, 5, 6", done.Summary.Skipped)
	}
	for i, w := range wantSkips {
		if s := done.Summary.Skipped[i]; s.Line != w.line || !strings.Contains(s.Reason, w.says) {
			t.Errorf("skip %d = %+v; want line %d saying %q", i, s, w.line, w.says)
		}
	}
	for _, a := range good {
		d, err := store.Document(t.Context(), ingest.URLDocumentID(a.URL))
		if err != nil || d.Text != a.Text {
			t.Errorf("article %s is not stored as sent: %v", a.ID, err)
		}
	}
	// The same bytes again are the same job; nothing is imported twice.
	before, _ := store.Stats(t.Context())
	var again api.Job
	if code, _ := send(t, "POST", srv.URL+"/v1/imports/articles", "application/x-ndjson", body, &again); code != http.StatusOK || again.ID != job.ID || again.State != api.JobDone {
		t.Errorf("resubmission: %d %+v; want 200 and the finished job", code, again)
	}
	if after, _ := store.Stats(t.Context()); after.Changes != before.Changes {
		t.Errorf("resubmission changed the store: %d → %d changes", before.Changes, after.Changes)
	}
	// A file of the same articles in another order is another job, and
	// changes nothing: each article is stored once whatever the order.
	var reordered api.Job
	send(t, "POST", srv.URL+"/v1/imports/articles", "application/ndjson", []byte(line(good[1])+"\n"+line(good[0])+"\n"), &reordered)
	if r := waitJob(t, srv.URL, reordered.ID); reordered.ID == job.ID || r.State != api.JobDone || r.Summary.Imported != 2 ||
		r.Summary.Applied.Created != 0 || r.Summary.Applied.Updated != 0 {
		t.Errorf("the same articles reordered: %+v; want a new job that creates and updates nothing", r)
	}
}
