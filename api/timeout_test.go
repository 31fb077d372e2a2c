package api_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// TestTimeLimitAnswers504 sets a per-request time limit that has always run
// out by the time a handler reaches the store: every route that asks the
// store must answer 504 with a problem document, on both stores, and the
// server must go on answering /healthz.
func TestTimeLimitAnswers504(t *testing.T) {
	check := func(t *testing.T, st graph.Store) {
		srv := httptest.NewServer(api.New(api.Config{Store: st, QueryTimeout: time.Nanosecond}))
		t.Cleanup(srv.Close)
		const someone = "33d2ec0f-7231-5914-89ed-9ba8961cb4c9"
		for _, path := range []string{
			"/v1/entities?q=Haftar",
			"/v1/entities/" + someone,
			"/v1/entities/" + someone + "/network?depth=2",
			"/v1/events",
			"/v1/stats",
			"/v1/changes",
		} {
			var p api.Problem
			if status := get(t, srv.URL+path, &p); status != 504 || p.Code != graph.Timeout {
				t.Errorf("GET %s: %d %q, want 504 %q", path, status, p.Code, graph.Timeout)
			}
		}
		if status := get(t, srv.URL+"/healthz", nil); status != 200 {
			t.Errorf("/healthz after timeouts: %d", status)
		}
	}
	t.Run("memstore", func(t *testing.T) {
		check(t, memstore.OpenMemory())
	})
	t.Run("neo4j", func(t *testing.T) {
		check(t, neo4jtest.Open(t, neo4jtest.Config(t)))
	})
}
