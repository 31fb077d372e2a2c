package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// TestMetrics makes requests and reads /metrics: the latency histogram by
// route pattern (not path), refusals and unmatched paths included; store
// calls by method and error code; the process' own metrics.
func TestMetrics(t *testing.T) {
	srv, _, _ := testServer(t, Config{Keys: testKeys})
	reader := []string{"X-API-Key", readerKey}
	do(t, "GET", srv.URL+"/v1/stats", nil, reader...)
	do(t, "GET", srv.URL+"/v1/entities/00000000-0000-5000-8000-000000000000", nil, reader...)
	do(t, "GET", srv.URL+"/v1/entities/00000000-0000-5000-8000-000000000001", nil, reader...)
	do(t, "GET", srv.URL+"/v1/stats", nil) // no key: 401
	do(t, "GET", srv.URL+"/no/such/path", nil, reader...)
	do(t, "BREW", srv.URL+"/v1/stats", nil, reader...)
	writer := []string{"X-API-Key", writerKey}
	article := `{"id":"m1","url":"https://example.org/m1","language":"ar","published":"2025-11-02","text":"استقبل المشير خليفة حفتر في بنغازي وفدا من مدينة سرت."}`
	if a := do(t, "POST", srv.URL+"/v1/documents", strings.NewReader(article), append(writer, "Content-Type", "application/json")...); a.status != 201 {
		t.Fatalf("POST /v1/documents: %d %s", a.status, a.body)
	}
	// An import of two articles, one of them broken.
	batch := strings.Replace(article, "m1", "m2", 2) + "\n{\"id\": 7}\n"
	a := do(t, "POST", srv.URL+"/v1/imports/articles", strings.NewReader(batch), append(writer, "Content-Type", "application/x-ndjson")...)
	var job Job
	if err := json.Unmarshal(a.body, &job); err != nil || a.status != 202 {
		t.Fatalf("POST /v1/imports/articles: %d %s", a.status, a.body)
	}
	for deadline := time.Now().Add(30 * time.Second); job.State != JobDone && job.State != JobFailed; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the import job is still %s", job.State)
		}
		json.Unmarshal(do(t, "GET", srv.URL+"/v1/jobs/"+job.ID, nil, reader...).body, &job)
	}

	// Metrics are read like anything else: a reader key when reads are keyed.
	if a := do(t, "GET", srv.URL+"/metrics", nil); a.status != 401 {
		t.Errorf("GET /metrics without a key: %d, want 401", a.status)
	}
	a = do(t, "GET", srv.URL+"/metrics", nil, reader...)
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
		`polgraph_store_call_duration_seconds_count{code="ok",method="Apply"}`,
		`polgraph_articles_ingested_total{result="changed"} 2`,
		`polgraph_import_jobs_total{format="articles",state="running"} 1`,
		`polgraph_import_jobs_total{format="articles",state="done"} 1`,
		`polgraph_import_rows_total{format="articles",outcome="read"} 2`,
		`polgraph_import_rows_total{format="articles",outcome="imported"} 1`,
		`polgraph_import_rows_total{format="articles",outcome="skipped"} 1`,
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

// TestReadyzAndStoreMetricsOnNeo4j: through the measuring wrapper, /readyz
// reaches the Neo4j store's own readiness check (schema migrations on
// first contact), and its calls are measured like the embedded store's.
func TestReadyzAndStoreMetricsOnNeo4j(t *testing.T) {
	srv, _, _ := testServerOn(t, neo4jtest.Open(t, neo4jtest.Config(t)), Config{})
	if a := do(t, "GET", srv.URL+"/readyz", nil); a.status != 200 {
		t.Fatalf("readyz on Neo4j: %d %s", a.status, a.body)
	}
	if a := do(t, "GET", srv.URL+"/v1/entities/00000000-0000-5000-8000-000000000000", nil); a.status != 404 {
		t.Errorf("unknown entity on Neo4j: %d", a.status)
	}
	body := string(do(t, "GET", srv.URL+"/metrics", nil).body)
	for _, want := range []string{
		`polgraph_store_call_duration_seconds_count{code="ok",method="Ready"} 1`,
		`polgraph_store_call_duration_seconds_count{code="not_found",method="Entity"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
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
