package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
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
// starts Neo4j and has a client post many reports, retrying as the API's
// answers tell it to. Part way through, Neo4j is killed (SIGKILL, as a
// crash) and restarted with scripts/neo4j.sh. While it is down, polgraph
// must say so (/readyz 503, queries 503 with Retry-After); it recovers
// without a restart; and in the end the graph is exactly the graph a
// clean run over the same reports builds on the embedded store: every
// acknowledged report once, every event whole and merged once.
func TestNeo4jOutageAndRecovery(t *testing.T) {
	neo := newDevNeo4j(t)
	base := startServer(t, "--store", "neo4j", "--neo4j-uri", neo.uri())

	// Down at start: alive, not ready, queries 503 with Retry-After.
	waitStatus(t, base+"/healthz", 200, 10*time.Second)
	checkDown(t, base)

	// Up: polgraph notices without a restart. (A loaded machine can take
	// a minute and more to bring the database and its indexes online.)
	neo.run("start")
	waitStatus(t, base+"/readyz", 200, 180*time.Second)

	const n = 120
	reports := faultReports(n)
	client := &retryingClient{base: base}
	done := make(chan error, 1)
	go func() { done <- client.postAll(reports) }()

	// Kill once some reports are acknowledged, so the crash falls in the
	// middle of the run.
	for deadline := time.Now().Add(90 * time.Second); client.acked() < 10; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d reports acknowledged in 90 s", client.acked())
		}
	}
	neo.run("kill")
	killedAt := client.acked()
	checkDown(t, base)
	time.Sleep(2 * time.Second) // the client meets the outage, and retries
	if client.acked() > killedAt+1 {
		t.Errorf("%d reports acknowledged while Neo4j was dead", client.acked()-killedAt)
	}
	neo.run("start")
	waitStatus(t, base+"/readyz", 200, 120*time.Second)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Minute):
		t.Fatalf("the client did not finish within 5 minutes of the restart: %d of %d acknowledged", client.acked(), n)
	}
	t.Logf("killed after %d acknowledgements; %d retries; %d reports", killedAt, client.retries, n)
	if client.retries == 0 {
		t.Error("the client never had to retry: the crash fell outside the run")
	}

	// Every acknowledged report is there, once.
	ids := map[string]bool{}
	for _, id := range client.ids {
		if ids[id] {
			t.Errorf("two reports were acknowledged as document %s", id)
		}
		ids[id] = true
		if status, _ := call(t, "GET", base+"/v1/documents/"+id, nil, nil); status != 200 {
			t.Errorf("acknowledged document %s: %d", id, status)
		}
	}
	if len(ids) != n {
		t.Fatalf("%d documents acknowledged, want %d", len(ids), n)
	}

	// The same reports on a clean embedded store give the same graph:
	// nothing twice, nothing half written, every event merged as it
	// should be.
	clean := startServer(t)
	if err := (&retryingClient{base: clean}).postAll(reports); err != nil {
		t.Fatal(err)
	}
	got, want := graphSummary(t, base), graphSummary(t, clean)
	if !regexp.MustCompile(`reports=([2-9]|\d\d)`).MatchString(want) {
		t.Errorf("no event was told by more than one report, so no ingest merged events:\n%s", want)
	}
	if got != want {
		t.Errorf("after the crash and the retries the graph is\n%s\nbut a clean run gives\n%s", got, want)
	}

	// The reports once more, by the ingest command: nothing to do.
	dir := t.TempDir()
	var files []string
	for i, r := range reports {
		p := filepath.Join(dir, fmt.Sprintf("report-%03d.json", i))
		if err := os.WriteFile(p, r, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	var stdout, stderr syncBuffer
	args := append([]string{"ingest", "--store", "neo4j", "--neo4j-uri", neo.uri(), "--neo4j-timeout", "15s"}, files...)
	if err := run(context.Background(), args, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("ingest after recovery: %v\n%s", err, clipLog(stderr.String()))
	}
	if !strings.Contains(stdout.String(), " 0 created, 0 updated") {
		t.Errorf("ingesting the reports again changed the graph: %s", stdout.String())
	}
}

// checkDown asserts what polgraph says while Neo4j is down: alive, not
// ready, and queries answered 503 with Retry-After in a problem document.
func checkDown(t *testing.T, base string) {
	t.Helper()
	waitStatus(t, base+"/readyz", 503, 15*time.Second)
	resp, err := http.Get(base + "/v1/entities?q=Misrata")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("query with Neo4j down: %d %q Retry-After %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"))
	}
	if status, _ := call(t, "GET", base+"/healthz", nil, nil); status != 200 {
		t.Errorf("/healthz with Neo4j down: %d, want 200: the process is alive", status)
	}
}

// faultReports are n reports of meetings, written for this test: every
// few share a date, so that ingest merges their events into one, the
// second write of an ingest that a crash can fall between.
func faultReports(n int) [][]byte {
	var out [][]byte
	for i := 0; i < n; i++ {
		text := fmt.Sprintf("التقى اللواء خالد المحجوب، مدير إدارة التوجيه المعنوي، بقيادات عسكرية في مدينة مصراتة في اللقاء رقم %d.", i)
		if i%3 == 1 {
			text = fmt.Sprintf("Khaled al-Mahjoub, director of the Moral Guidance Department, met military leaders in Misrata in meeting number %d.", i)
		}
		lang := "ar"
		if i%3 == 1 {
			lang = "en"
		}
		// Four days apart, beyond ingest.MergeWindowDays: reports of one
		// date merge among themselves only, in whatever order they come.
		published := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i/20)*4).Format("2006-01-02")
		out = append(out, []byte(fmt.Sprintf(`{"id":"r%d","url":"https://example.org/fault/%d","language":%q,"published":%q,"text":%q}`,
			i, i, lang, published, text)))
	}
	return out
}

// retryingClient posts reports one at a time as a feeder would: a report
// is acknowledged by a 2xx answer; a 503 or 504, or a connection that
// fails, is retried after the Retry-After the server gave (capped, to
// keep the test short); any other answer is an error.
type retryingClient struct {
	base    string
	mu      sync.Mutex
	ids     []string // the acknowledged documents
	retries int
}

func (c *retryingClient) acked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.ids)
}

func (c *retryingClient) postAll(reports [][]byte) error {
	hc := &http.Client{Timeout: 60 * time.Second}
	for i, r := range reports {
		for attempt := 0; ; attempt++ {
			if attempt == 200 {
				return fmt.Errorf("report %d: still refused after %d attempts", i, attempt)
			}
			id, err := postReport(hc, c.base, r)
			if err == nil {
				c.mu.Lock()
				c.ids = append(c.ids, id)
				c.mu.Unlock()
				break
			}
			var ref *refused
			if !errors.As(err, &ref) || ref.status != 0 && ref.status != http.StatusServiceUnavailable && ref.status != http.StatusGatewayTimeout {
				return fmt.Errorf("report %d: %w", i, err)
			}
			wait := time.Second
			if s, err := strconv.Atoi(ref.retryAfter); err == nil && s >= 0 {
				wait = min(time.Duration(s)*time.Second, 2*time.Second)
			}
			c.mu.Lock()
			c.retries++
			c.mu.Unlock()
			time.Sleep(wait)
		}
	}
	return nil
}

// graphSummary is what two stores holding the same reports must agree
// on: the counts, and each event with its date, participants and number
// of reports.
func graphSummary(t *testing.T, base string) string {
	t.Helper()
	var stats struct {
		Entities  map[string]int
		Relations map[string]int
		Documents int
		Evidence  int
	}
	if status, _ := call(t, "GET", base+"/v1/stats", nil, &stats); status != 200 {
		t.Fatalf("stats: %d", status)
	}
	var events struct {
		Items []struct {
			Name, Date   string
			Participants []struct{ Entity struct{ Name string } }
			Documents    []json.RawMessage
		}
	}
	if status, _ := call(t, "GET", base+"/v1/events?limit=500", nil, &events); status != 200 {
		t.Fatalf("events: %d", status)
	}
	var lines []string
	for _, e := range events.Items {
		var who []string
		for _, p := range e.Participants {
			who = append(who, p.Entity.Name)
		}
		sort.Strings(who)
		lines = append(lines, fmt.Sprintf("%s %s %v reports=%d", e.Date, e.Name, who, len(e.Documents)))
	}
	sort.Strings(lines)
	head, _ := json.Marshal(stats)
	return string(head) + "\n" + strings.Join(lines, "\n")
}

func clipLog(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
