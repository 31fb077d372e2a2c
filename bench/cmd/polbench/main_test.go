package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// polbench at a small size, end to end: it fills the embedded store (timing
// Apply twice), times every question both ways, load-tests a real
// polgraph serve process, and a second run reuses the graph it left.
func TestPolbenchEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds polgraph and load-tests it")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "polgraph")
	if out, err := exec.Command("go", "build", "-o", bin, "../../../cmd/polgraph").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	c := config{stores: []string{"embedded"}, sizes: []int{3000}, runs: 1, applyRuns: 2, applyMax: 3000,
		queries: 20, warm: 2, workers: 2, duration: time.Second, seed: 1, batch: 1000,
		work: filepath.Join(dir, "work"), binary: bin, out: filepath.Join(dir, "results.json")}
	res, err := run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(res.Runs))
	}
	r := res.Runs[0]
	if len(r.Apply) != 2 || r.Apply[0].RelationsPerS <= 0 || r.Summary.Relations != 3000 {
		t.Fatalf("Apply %+v, summary %d relations: want two timed fills of 3000", r.Apply, r.Summary.Relations)
	}
	for _, q := range []string{"relations", "network", "paths", "search"} {
		ps := r.Queries[q]
		if len(ps) != 1 {
			t.Fatalf("%s: %d timed runs, want 1", q, len(ps))
		}
		for _, l := range []struct {
			name     string
			n, errs  int
			p50, p99 float64
		}{{"store", ps[0].Direct.N, ps[0].Direct.Errors, ps[0].Direct.P50, ps[0].Direct.P99},
			{"API", ps[0].API.N, ps[0].API.Errors, ps[0].API.P50, ps[0].API.P99}} {
			if l.n != 20 || l.errs != 0 || l.p50 <= 0 || l.p99 < l.p50 {
				t.Fatalf("%s, %s calls: %+v", q, l.name, l)
			}
		}
		if ps[0].Overhead <= 0 {
			t.Fatalf("%s: overhead %v", q, ps[0].Overhead)
		}
	}
	if len(r.Floor) != 1 || r.Floor[0].N != 20 {
		t.Fatalf("HTTP floor %+v", r.Floor)
	}
	for _, name := range []string{"mixed", "relations", "network", "paths", "search"} {
		ls := r.Load[name]
		if len(ls) != 1 || ls[0].Requests == 0 || ls[0].Success != 1 || ls[0].Throughput <= 0 {
			t.Fatalf("load test %s: %+v", name, ls)
		}
	}
	if len(r.Start) != 1 || r.Start[0].ReadySeconds <= 0 || r.Start[0].RSSBytes <= r.Start[0].EmptyRSS {
		t.Fatalf("cold start %+v: want a time and more memory than an empty store's", r.Start)
	}
	var saved Results
	b, err := os.ReadFile(c.out)
	if err != nil || json.Unmarshal(b, &saved) != nil || len(saved.Runs) != 1 {
		t.Fatalf("results file: %v", err)
	}

	c.skip, c.runs = true, 1
	again, err := run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Runs[0].Apply) != 0 || again.Runs[0].Summary.Relations != 3000 {
		t.Fatalf("second run: Apply %+v: want the graph of the first reused", again.Runs[0].Apply)
	}
}
