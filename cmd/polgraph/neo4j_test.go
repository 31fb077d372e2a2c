package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// devNeo4j is a Neo4j of the test's own, started with scripts/neo4j.sh on a
// free port in a temporary directory, so the test can stop and start it
// without disturbing the Neo4j other packages' tests share.
type devNeo4j struct {
	t    *testing.T
	env  []string
	port int
}

func newDevNeo4j(t *testing.T) *devNeo4j {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but NEO4J_URI is not: the Neo4j tests must run")
		}
		t.Skip("NEO4J_URI is not set; `make test` starts Neo4j")
	}
	if testing.Short() {
		t.Skip("starts its own Neo4j: not in -short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	home := t.TempDir()
	d := &devNeo4j{t: t, port: port, env: append(os.Environ(),
		"NEO4J_HOME_DIR="+home, fmt.Sprintf("NEO4J_PORT=%d", port),
		"NEO4J_HEAP_MIN=512m", "NEO4J_HEAP_MAX=1g", "NEO4J_PAGECACHE=256m", "NEO4J_PASSWORD=")}
	t.Cleanup(func() { d.run("stop") })
	return d
}

func (d *devNeo4j) uri() string { return fmt.Sprintf("bolt://127.0.0.1:%d", d.port) }

func (d *devNeo4j) run(verb string) string {
	d.t.Helper()
	cmd := exec.Command(filepath.Join("..", "..", "scripts", "neo4j.sh"), verb)
	cmd.Env = d.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil && verb != "stop" {
		d.t.Fatalf("neo4j.sh %s: %v\n%s", verb, err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// waitStatus polls a URL until it answers the status or the time is up.
func waitStatus(t *testing.T, u string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	last := 0
	for time.Now().Before(deadline) {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			last = resp.StatusCode
			if last == want {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s answered %d, not %d, within %v", u, last, want, within)
}

// TestNeo4jOutageAndRecovery starts polgraph while Neo4j is down, then
// starts Neo4j, ingests, stops Neo4j in the middle of an ingest, and checks
// that polgraph reports the outage, recovers by itself, and that re-running
// the ingest completes it without duplicates.
func TestNeo4jOutageAndRecovery(t *testing.T) {
	neo := newDevNeo4j(t)
	base := startServer(t, "--store", "neo4j", "--neo4j-uri", neo.uri())

	// Down at start: alive, not ready, queries 503 with Retry-After.
	waitStatus(t, base+"/healthz", 200, 10*time.Second)
	if status, _ := call(t, "GET", base+"/readyz", nil, &problem{}); status != 503 {
		t.Errorf("/readyz with Neo4j down: %d, want 503", status)
	}
	resp, err := http.Get(base + "/v1/entities?q=Misrata")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("query with Neo4j down: %d %q Retry-After %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"))
	}

	// Up: polgraph notices without a restart.
	neo.run("start")
	waitStatus(t, base+"/readyz", 200, 60*time.Second)

	dir := t.TempDir()
	const n = 120
	var files []string
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("report-%02d.json", i))
		text := fmt.Sprintf("التقى اللواء خالد المحجوب، مدير إدارة التوجيه المعنوي، بقيادات عسكرية في مدينة مصراتة في اللقاء رقم %d.", i)
		body := fmt.Sprintf(`{"id":"r%d","url":"https://example.org/fault/%d","language":"ar","published":"2025-10-%02d","text":%q}`, i, i, 1+i%28, text)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	// 15 s: the first write after a (re)start can be slow on a loaded
	// machine; an outage is still seen, by the connection failing.
	ingestArgs := append([]string{"ingest", "--store", "neo4j", "--neo4j-uri", neo.uri(), "--neo4j-timeout", "15s"}, files...)

	// Stop Neo4j while an ingest runs: the ingest ends with errors naming
	// files, never a half-written document.
	var stdout, stderr syncBuffer
	var wg sync.WaitGroup
	wg.Add(1)
	var ingestErr error
	go func() {
		defer wg.Done()
		ingestErr = run(context.Background(), ingestArgs, noEnv, &stdout, &stderr)
	}()
	// Stop once some reports are in, so the outage falls mid-ingest.
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var st struct{ Documents int }
		call(t, "GET", base+"/v1/stats", nil, &st)
		if st.Documents >= 10 {
			break
		}
	}
	neo.run("stop")
	wg.Wait()
	if ingestErr == nil {
		t.Fatal("the ingest finished before Neo4j stopped; the test did not test an outage")
	}
	t.Logf("ingest during the outage: err=%v\n%s%s", ingestErr, stdout.String(), clipLog(stderr.String()))

	neo.run("start")
	waitStatus(t, base+"/readyz", 200, 60*time.Second)
	checkWholeDocuments(t, base, n)

	// Re-running completes the ingest; a third run changes nothing.
	stdout, stderr = syncBuffer{}, syncBuffer{}
	if err := run(context.Background(), ingestArgs, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("re-ingest after recovery: %v\n%s", err, stderr.String())
	}
	docs := checkWholeDocuments(t, base, n)
	if docs != n+1 { // the reports and the gazetteer
		t.Errorf("%d documents after re-ingest, want %d", docs, n+1)
	}
	stdout = syncBuffer{}
	if err := run(context.Background(), ingestArgs, noEnv, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), " 0 created, 0 updated") {
		t.Errorf("third ingest changed the graph: %s", stdout.String())
	}
}

// checkWholeDocuments asserts that every stored report has all of what its
// batch wrote (its MENTIONS relations), i.e. no partial batch is visible,
// and returns how many documents are stored.
func checkWholeDocuments(t *testing.T, base string, max int) int {
	t.Helper()
	var stats struct {
		Documents int
		Relations map[string]int
	}
	// A Neo4j just restarted on a busy machine can take longer than a
	// request's time limit over its first queries (504) or drop them
	// (503): the point here is what is stored, so ask again a while.
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		status, _ := call(t, "GET", base+"/v1/stats", nil, &stats)
		if status == 200 {
			break
		}
		if (status != 503 && status != 504) || time.Now().After(deadline) {
			t.Fatalf("stats: %d", status)
		}
	}
	reports := stats.Documents - 1
	if stats.Documents == 0 {
		reports = 0
	}
	if reports > max {
		t.Fatalf("%d reports stored, at most %d were sent: duplicates", reports, max)
	}
	// Each report names the same four entities; a partly written batch
	// would leave a document with fewer MENTIONS.
	var hits struct{ Items []struct{ ID string } }
	call(t, "GET", base+"/v1/entities?q="+url.QueryEscape("Khaled al-Mahjoub")+"&kind=Person", nil, &hits)
	if reports > 0 && len(hits.Items) != 1 {
		t.Fatalf("al-Mahjoub found %d times, want once", len(hits.Items))
	}
	if reports > 0 {
		var rels struct{ Items []struct{ Type string } }
		call(t, "GET", base+"/v1/entities/"+hits.Items[0].ID+"/relations?type=MENTIONS&limit=500", nil, &rels)
		if len(rels.Items) != reports {
			t.Errorf("al-Mahjoub is mentioned by %d documents, but %d reports are stored: a batch was half written", len(rels.Items), reports)
		}
	}
	return stats.Documents
}

func clipLog(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
