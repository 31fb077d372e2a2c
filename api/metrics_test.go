package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
)

// TestMetrics makes requests and reads /metrics: the latency histogram by
// route pattern (not path), refusals and unmatched paths included; store
// calls by method and error code; the process' own metrics.
func TestMetrics(t *testing.T) {
	srv, s, _ := testServer(t, Config{Keys: testKeys})
	reader := []string{"X-API-Key", readerKey}
	do(t, "GET", srv.URL+"/v1/stats", nil, reader...)
	do(t, "GET", srv.URL+"/v1/entities/00000000-0000-5000-8000-000000000000", nil, reader...)
	do(t, "GET", srv.URL+"/v1/entities/00000000-0000-5000-8000-000000000001", nil, reader...)
	do(t, "GET", srv.URL+"/v1/stats", nil) // no key: 401
	do(t, "GET", srv.URL+"/no/such/path", nil, reader...)
	do(t, "BREW", srv.URL+"/v1/stats", nil, reader...)
	s.prom.articleIngested(graph.ApplyResult{Created: 3}, nil)
	s.prom.articleIngested(graph.ApplyResult{Created: 3}, graph.Errorf(graph.Invalid, "not counted"))
	s.prom.jobRunning("acled")
	s.prom.jobFinished("acled", loader.Summary{Read: 10, Imported: 8, Skipped: make([]loader.Skip, 2)}, nil)

	// Metrics are read like anything else: a reader key when reads are keyed.
	if a := do(t, "GET", srv.URL+"/metrics", nil); a.status != 401 {
		t.Errorf("GET /metrics without a key: %d, want 401", a.status)
	}
	a := do(t, "GET", srv.URL+"/metrics", nil, reader...)
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %q", a.status, a.header.Get("Content-Type"))
	}
	body := string(a.body)
	for _, want := range []string{
		`http_request_duration_seconds_count{method="GET",route="/v1/stats",status="200"} 1`,
		`http_request_duration_seconds_count{method="GET",route="/v1/stats",status="401"} 1`,
		`http_request_duration_seconds_count{method="GET",route="/v1/entities/:id",status="404"} 2`,
		`http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1`,
		`http_request_duration_seconds_count{method="other",route="unmatched",status="405"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/v1/stats",status="200",le="+Inf"} 1`,
		`http_requests_in_flight 1`, // this scrape
		`polgraph_store_call_duration_seconds_count{code="ok",method="Stats"} 1`,
		`polgraph_store_call_duration_seconds_count{code="not_found",method="Entity"} 2`,
		`polgraph_articles_ingested_total{result="changed"} 1`,
		`polgraph_import_jobs_total{format="acled",state="running"} 1`,
		`polgraph_import_jobs_total{format="acled",state="done"} 1`,
		`polgraph_import_rows_total{format="acled",outcome="read"} 10`,
		`polgraph_import_rows_total{format="acled",outcome="imported"} 8`,
		`polgraph_import_rows_total{format="acled",outcome="skipped"} 2`,
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "/v1/entities/00000000") {
		t.Error("a path, not its route, labels a metric")
	}
}

// TestServersHaveTheirOwnMetrics: two servers in one process count apart.
func TestServersHaveTheirOwnMetrics(t *testing.T) {
	one, _, _ := testServer(t, Config{})
	two, _, _ := testServer(t, Config{})
	do(t, "GET", one.URL+"/v1/stats", nil)
	a := do(t, "GET", two.URL+"/metrics", nil)
	if strings.Contains(string(a.body), `route="/v1/stats"`) {
		t.Error("a request to one server shows in the other's metrics")
	}
}

// TestObservedStorePassesReadinessOn: /readyz reaches the store's Ready
// through the measuring wrapper, and a failure there is a 503.
func TestObservedStorePassesReadinessOn(t *testing.T) {
	srv, s, _ := testServer(t, Config{})
	if a := do(t, "GET", srv.URL+"/readyz", nil); a.status != 200 {
		t.Fatalf("readyz on the embedded store: %d", a.status)
	}
	down := &unready{Store: s.store.(*observedStore).Store}
	s.store = observeStore(down, s.prom.storeCalls)
	a := do(t, "GET", srv.URL+"/readyz", nil)
	if a.status != http.StatusServiceUnavailable {
		t.Errorf("readyz with a store that is not ready: %d, want 503", a.status)
	}
	if !down.asked {
		t.Error("the store's Ready was not called")
	}
	if u, isUnwrapper := s.store.(interface{ Unwrap() graph.Store }); !isUnwrapper || u.Unwrap() != graph.Store(down) {
		t.Error("the wrapper does not give the store underneath")
	}
	m := do(t, "GET", srv.URL+"/metrics", nil)
	if !strings.Contains(string(m.body), `polgraph_store_call_duration_seconds_count{code="unavailable",method="Ready"} 1`) {
		t.Error("the failed readiness check is not measured")
	}
}

// unready is a store whose server is down (as Neo4j's can be).
type unready struct {
	graph.Store
	asked bool
}

func (u *unready) Ready(context.Context) error {
	u.asked = true
	return graph.Errorf(graph.Unavailable, "the database is not reachable")
}
