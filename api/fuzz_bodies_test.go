package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/api"
)

// fuzzWrites are the routes that take a body.
var fuzzWrites = []struct{ method, path string }{
	{http.MethodPost, "/v1/entities"},
	{http.MethodPatch, "/v1/entities/{id}"},
	{http.MethodPost, "/v1/entities/{id}/aliases"},
	{http.MethodPost, "/v1/merges"},
	{http.MethodPost, "/v1/documents"},
	{http.MethodPost, "/v1/gazetteer"},
	{http.MethodPost, "/v1/imports/ndjson"},
	{http.MethodPost, "/v1/imports/articles"},
	{http.MethodPost, "/v1/imports/acled"},
	{http.MethodPost, "/v1/imports/gdelt"},
}

// fuzzContentTypes are the Content-Types a fuzz input sends: each that
// some route accepts, none, and some no route accepts.
var fuzzContentTypes = []string{"", "application/json", "application/merge-patch+json", "application/yaml",
	"application/x-ndjson", "text/plain", "application/json; charset=utf-8", "multipart/form-data; boundary=x"}

// fuzzMaxChanges is how many changes a fixture takes before it is built
// afresh: accepted writes pile up, and a fuzz worker runs for minutes.
const fuzzMaxChanges = 2000

// FuzzRequestBodies sends fuzzed bodies ("@N" names a fixture id) with a
// fuzzed Content-Type to every route that takes one. Whatever the input,
// the answer keeps checkFuzzAnswer's promises; a refused request (4xx)
// changes nothing: the store's counts and the change feed's position stay
// as they were. An accepted import is waited for, so that its job, which
// writes after the answer, cannot be taken for the next request's doing.
//
// The seeds are in testdata/fuzz/FuzzRequestBodies; they pick routes,
// content types and ids by position, so add to the tables at the end.
func FuzzRequestBodies(f *testing.F) {
	base := newFuzzBase(f)
	fx := base.fixture(f)
	f.Cleanup(func() { fx.close() })
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, route, contentType, subject uint8, body []byte) {
		before, err := fx.store.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if before.Changes > fuzzMaxChanges {
			fx.close()
			fx = base.fixture(t)
			if before, err = fx.store.Stats(ctx); err != nil {
				t.Fatal(err)
			}
		}
		w := fuzzWrites[int(route)%len(fuzzWrites)]
		target := strings.Replace(w.path, "{id}", fx.subject(subject), 1)
		ct := fuzzContentTypes[int(contentType)%len(fuzzContentTypes)]
		rec := fx.do(t, w.method, target, ct, []byte(fx.expand(string(body))))
		switch {
		case rec == nil:
			return
		case rec.Code >= 400:
			after, err := fx.store.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("%s %s answered %d but changed the graph:\n before %+v\n after  %+v\n%s",
					w.method, target, rec.Code, before, after, rec.Body.Bytes())
			}
		case strings.HasPrefix(w.path, "/v1/imports/"):
			fx.awaitJob(t, rec.Header().Get("Location"))
		}
	})
}

// awaitJob polls an import job until it ends.
func (fx *fuzzFixture) awaitJob(t *testing.T, location string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		rec := fx.do(t, http.MethodGet, location, "", nil)
		if rec == nil || rec.Code != http.StatusOK {
			t.Fatalf("GET %s: no job", location)
		}
		var job api.Job
		if err := json.Unmarshal(rec.Body.Bytes(), &job); err != nil {
			t.Fatal(err)
		}
		if job.State == api.JobDone || job.State == api.JobFailed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("import job %s still %s after 30 s", job.ID, job.State)
		}
		time.Sleep(time.Millisecond)
	}
}
