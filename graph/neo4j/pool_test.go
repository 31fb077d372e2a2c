package neo4jstore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
)

// TestConnectionPoolIsCapped: calls past MaxConnections wait for a pooled
// connection instead of opening more, since each connection keeps buffers
// as large as the largest message it carried. Neo4j counts the
// connections; the same load on a larger pool must open more of them, or
// the test could not tell a cap from a load too light to need one.
func TestConnectionPoolIsCapped(t *testing.T) {
	cfg := testConfig(t)
	wipe(t, cfg)
	watcher := rawSession(t, cfg)
	connections := func() int64 {
		t.Helper()
		res, err := watcher.Run(bg, "CALL dbms.listConnections() YIELD connectionId RETURN count(*)", nil)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := res.Single(bg)
		if err != nil {
			t.Fatal(err)
		}
		return rec.Values[0].(int64)
	}
	idle := connections()

	// busiest runs calls at once on a store capped at limit and returns
	// the most connections Neo4j saw beyond the watcher's while they ran.
	const calls = 6
	busiest := func(limit int) int64 {
		c := cfg
		c.MaxConnections = limit
		s, err := neo4jstore.Open(bg, c)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx, cancel := context.WithTimeout(bg, time.Minute)
		defer cancel()
		var wg sync.WaitGroup
		var running atomic.Int32
		running.Store(calls)
		for range calls {
			wg.Go(func() {
				defer running.Add(-1)
				// Long enough on any machine for the others to queue.
				if err := s.ReadForTest(ctx, "UNWIND range(1, 3000000) AS x WITH x WHERE x % 7 = 99 RETURN count(x)"); err != nil {
					t.Error(err)
				}
			})
		}
		var most int64
		for done := false; !done; {
			done = running.Load() == 0
			most = max(most, connections()-idle)
			time.Sleep(20 * time.Millisecond)
		}
		wg.Wait()
		return most
	}
	if got := busiest(2); got > 2 {
		t.Errorf("%d calls on a pool of 2 opened %d connections", calls, got)
	}
	if got := busiest(calls); got <= 2 {
		t.Errorf("%d calls on a pool of %d opened only %d connections: the load does not show a cap", calls, calls, got)
	}
}
