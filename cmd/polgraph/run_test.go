package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer lets the test read what run writes from another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// startServer runs `polgraph serve` in-process on a free loopback port and
// returns its base URL; the server stops when the test ends.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	return startServerEnv(t, noEnv, args...).base
}

// served is a server started by startServerEnv.
type served struct {
	base   string
	stderr *syncBuffer // its log
	// stop stops the server as a signal would and returns what serve
	// returned; the test's end calls it too.
	stop func() error
}

// startServerEnv is startServer with an environment.
func startServerEnv(t *testing.T, getenv func(string) string, args ...string) served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	all := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, args...)
	go func() { done <- run(ctx, all, getenv, &stdout, &stderr) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			runErr = <-done
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve returned %v; stderr:\n%s", err, stderr.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			return served{base: m[1], stderr: &stderr, stop: stop}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\nstderr:\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("server did not start; stderr:\n%s", stderr.String())
	return served{}
}

func noEnv(string) string { return "" }

// call makes a request and decodes a JSON answer into out (if not nil),
// returning the status and content type.
func call(t *testing.T, method, u string, body io.Reader, out any) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d, body is not JSON: %v\n%s", method, u, resp.StatusCode, err, raw)
		}
	}
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

type entity struct {
	ID, Kind, Name, EventType string
	NameAr                    string `json:"name_ar"`
	Event                     string `json:"event_type"`
}

type evidence struct {
	Document     string
	Text         string
	SentenceText string `json:"sentence_text"`
}

type relation struct {
	ID, Type, From, To string
	Evidence           []evidence
}

type problem struct {
	Type, Title, Detail, Code, Param string
	Status                           int
	Candidates                       []entity
}

func TestServeDemoAnswersHowHaftarIsConnectedToMisrata(t *testing.T) {
	base := startServer(t, "--demo")

	var paths struct {
		Paths []struct {
			Nodes     []entity
			Relations []relation
		}
	}
	status, _ := call(t, "GET", base+"/v1/paths?from="+url.QueryEscape("Khaled Haftar")+"&to=Misrata", nil, &paths)
	if status != 200 {
		t.Fatalf("paths: status %d", status)
	}
	if len(paths.Paths) == 0 {
		t.Fatal("no path from Khaled Haftar to Misrata in the demo data")
	}
	throughAgreement := false
	for _, p := range paths.Paths {
		if p.Nodes[0].Name != "Khaled Haftar" && !strings.Contains(p.Nodes[0].Name, "Haftar") {
			t.Errorf("path starts at %q", p.Nodes[0].Name)
		}
		if last := p.Nodes[len(p.Nodes)-1]; last.Name != "Misrata" {
			t.Errorf("path ends at %q, want Misrata", last.Name)
		}
		for _, n := range p.Nodes {
			if n.Kind == "Event" && n.Event == "agreement" {
				throughAgreement = true
			}
		}
		for _, r := range p.Relations {
			if len(r.Evidence) == 0 || strings.TrimSpace(r.Evidence[0].Text) == "" {
				t.Errorf("%s relation %s has no evidence sentence", r.Type, r.ID)
			}
		}
	}
	if !throughAgreement {
		t.Errorf("no path passes through an agreement: %+v", paths.Paths)
	}

	var hits struct{ Items []entity }
	call(t, "GET", base+"/v1/entities?q="+url.QueryEscape("حفتر"), nil, &hits)
	found := false
	for _, h := range hits.Items {
		found = found || h.Name == "Khaled Haftar"
	}
	if !found {
		t.Errorf("search حفتر did not find Khaled Haftar: %+v", hits.Items)
	}
}

func TestServeErrorsAreProblemDocumentsAndLoseNothing(t *testing.T) {
	base := startServer(t, "--demo")
	var before, after map[string]any
	call(t, "GET", base+"/v1/stats", nil, &before)

	tests := []struct {
		name, method, path, body string
		status                   int
		param                    string
	}{
		{"unknown route", "GET", "/v1/nowhere", "", 404, ""},
		{"wrong method", "DELETE", "/v1/paths", "", 405, ""},
		{"bad id", "GET", "/v1/entities/not-a-uuid", "", 400, "id"},
		{"unknown entity", "GET", "/v1/entities/00000000-0000-0000-0000-000000000000", "", 404, ""},
		{"bad depth", "GET", "/v1/entities/00000000-0000-0000-0000-000000000000/network?depth=deep", "", 400, "depth"},
		{"depth over the cap", "GET", "/v1/entities/00000000-0000-0000-0000-000000000000/network?depth=99", "", 422, "depth"},
		{"bad type", "GET", "/v1/entities/00000000-0000-0000-0000-000000000000/relations?type=DROP", "", 400, "type"},
		{"missing from", "GET", "/v1/paths?to=Misrata", "", 400, "from"},
		{"unknown name", "GET", "/v1/paths?from=Nobody%20Atall&to=Misrata", "", 404, "from"},
		{"invalid JSON", "POST", "/v1/documents", `{"text": `, 400, "body"},
		{"no text", "POST", "/v1/documents", `{"id": "x", "text": "  "}`, 400, "text"},
		{"unknown field", "POST", "/v1/documents", `{"id": "x", "txt": "hello"}`, 400, "txt"},
		{"binary text", "POST", "/v1/documents", `{"id": "x", "text": "\u0000\u0001\u0002"}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			var p problem
			status, ct := call(t, tt.method, base+tt.path, body, &p)
			if status != tt.status || p.Status != tt.status {
				t.Errorf("status %d (problem says %d), want %d: %+v", status, p.Status, tt.status, p)
			}
			if ct != "application/problem+json" {
				t.Errorf("content type %q, want application/problem+json", ct)
			}
			if p.Title == "" || p.Type == "" || p.Code == "" {
				t.Errorf("problem lacks type, title or code: %+v", p)
			}
			if tt.param != "" && p.Param != tt.param {
				t.Errorf("param %q, want %q (detail %q)", p.Param, tt.param, p.Detail)
			}
		})
	}

	t.Run("oversized body", func(t *testing.T) {
		big := `{"id":"big","text":"` + strings.Repeat("ا", 9<<20) + `"}`
		var p problem
		status, _ := call(t, "POST", base+"/v1/documents", strings.NewReader(big), &p)
		if status != 413 || p.Code != "too_large" {
			t.Errorf("status %d code %q, want 413 too_large", status, p.Code)
		}
	})

	call(t, "GET", base+"/v1/stats", nil, &after)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("failed requests changed the store:\nbefore %v\nafter  %v", before, after)
	}
}

func TestPostDocumentTwiceChangesNothing(t *testing.T) {
	base := startServer(t)
	article := `{"id":"t1","url":"https://example.org/t1","language":"ar","published":"2025-10-20",` +
		`"text":"التقى اللواء خالد المحجوب، مدير إدارة التوجيه المعنوي، بقيادات عسكرية في مدينة مصراتة."}`
	var first, second struct {
		Document string
		Result   struct{ Created, Updated int }
	}
	if status, _ := call(t, "POST", base+"/v1/documents", strings.NewReader(article), &first); status != 201 {
		t.Fatalf("first post: status %d", status)
	}
	if first.Result.Created == 0 {
		t.Fatalf("first post created nothing: %+v", first)
	}
	var before map[string]any
	call(t, "GET", base+"/v1/stats", nil, &before)
	if status, _ := call(t, "POST", base+"/v1/documents", strings.NewReader(article), &second); status != 200 {
		t.Errorf("second post: status %d, want 200", status)
	}
	if second.Result.Created != 0 || second.Result.Updated != 0 {
		t.Errorf("re-posting changed the store: %+v", second.Result)
	}
	var after map[string]any
	call(t, "GET", base+"/v1/stats", nil, &after)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("stats moved:\n%v\n%v", before, after)
	}
	var doc struct{ ID, Text string }
	call(t, "GET", base+"/v1/documents/"+first.Document, nil, &doc)
	if doc.ID != first.Document || !strings.Contains(doc.Text, "مصراتة") {
		t.Errorf("document not stored with its text: %+v", doc)
	}
}

func TestIngestReportsBadFilesAndKeepsGoodOnes(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", []byte(`{"id":"g","language":"en","published":"2025-10-20","text":"Lt. Gen. Khaled Haftar met military leaders in the city of Misrata."}`))
	bad := []string{
		write("empty.txt", nil),
		write("binary.txt", []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0xff, 0xfe}),
		write("invalid.json", []byte(`{"id": "x", "text": `)),
		write("huge.txt", bytes.Repeat([]byte("news "), 10<<20)),
		write("table.xlsx", []byte("PK\x03\x04")),
	}
	data := filepath.Join(t.TempDir(), "store")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"ingest", "--data-dir", data, good}, bad...), noEnv, &stdout, &stderr)
	if err == nil {
		t.Fatal("ingest of bad files returned no error")
	}
	for _, b := range bad {
		if !strings.Contains(stderr.String(), filepath.Base(b)) {
			t.Errorf("no message naming %s; stderr:\n%s", filepath.Base(b), stderr.String())
		}
	}
	if !strings.Contains(stdout.String(), "6 files (5 failed), 1 articles") {
		t.Errorf("summary: %s", stdout.String())
	}

	// The good file's article is in the store.
	stdout.Reset()
	stderr.Reset()
	if err := run(context.Background(), []string{"ingest", "--data-dir", data, good}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("re-ingest: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), " 0 created, 0 updated") {
		t.Errorf("re-ingesting the good file changed the store: %s", stdout.String())
	}
}

func TestExtractPrintsExtractionJSON(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.txt")
	text := "أكد اللواء خالد المحجوب، مدير إدارة التوجيه المعنوي، أن الاجتماع كان ناجحا."
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"extract", p}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("extract: %v\n%s", err, stderr.String())
	}
	var out struct {
		Documents []struct{ ID string }
		Entities  []struct {
			Name     string
			Mentions []struct {
				Start, End int
				Text       string
			}
		}
		Relations []relation
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	runes := []rune(text)
	names := map[string]bool{}
	for _, e := range out.Entities {
		names[e.Name] = true
		for _, m := range e.Mentions {
			if m.End > len(runes) || string(runes[m.Start:m.End]) != m.Text {
				t.Errorf("mention %q at [%d,%d) is not the text there", m.Text, m.Start, m.End)
			}
		}
	}
	if len(out.Documents) != 1 || !names["Khaled al-Mahjoub"] || !names["Moral Guidance Department"] {
		t.Errorf("extraction lacks the document or the entities: %v", names)
	}
	hasPosition := false
	for _, r := range out.Relations {
		hasPosition = hasPosition || r.Type == "HOLDS_POSITION"
	}
	if !hasPosition {
		t.Error("no HOLDS_POSITION relation extracted")
	}
}

func TestServeRefusesOpenAPIBeyondLoopback(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "0.0.0.0:0", "--data-dir", t.TempDir()}, noEnv, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--insecure") {
		t.Errorf("serve on 0.0.0.0 without keys: %v, want a refusal naming --insecure", err)
	}
	for _, c := range []struct {
		addr            string
		keyed, insecure bool
		ok              bool
	}{
		{"127.0.0.1:8080", false, false, true},
		{"[::1]:8080", false, false, true},
		{"localhost:8080", false, false, true},
		{"0.0.0.0:8080", false, false, false},
		{":8080", false, false, false},
		{"192.0.2.7:8080", false, false, false},
		{"0.0.0.0:8080", true, false, true},
		{"0.0.0.0:8080", false, true, true},
	} {
		err := checkBind(c.addr, c.keyed, c.insecure)
		if (err == nil) != c.ok {
			t.Errorf("checkBind(%s, keyed %v, insecure %v): %v", c.addr, c.keyed, c.insecure, err)
		}
	}
}

// The keys of the serve tests.
const (
	fileWriterKey = "file-writer-0123456789abcdef"
	envReaderKey  = "env-reader-0123456789abcdef"
	envAdminKey   = "env-admin-0123456789abcdef0"
)

// TestServeWithKeysFromFileAndEnvironment configures everything by
// environment, as a container is: keys from a file (POLGRAPH_API_KEYS_FILE)
// and inline (POLGRAPH_API_KEYS), CORS, the log level. Roles are enforced,
// the JSON log names each request's key by its name and never shows a key.
func TestServeWithKeysFromFileAndEnvironment(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keyFile, []byte("# analysts\n"+fileWriterKey+":writer:nadia\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"POLGRAPH_API_KEYS_FILE": keyFile,
		"POLGRAPH_API_KEYS":      envReaderKey + ":reader:dashboard," + envAdminKey + ":admin",
		"POLGRAPH_CORS_ORIGINS":  "https://app.example.org",
		"POLGRAPH_LOG_LEVEL":     "debug",
	}
	srv := startServerEnv(t, func(k string) string { return env[k] })
	base, logs := srv.base, srv.stderr

	request := func(method, path, key string, body io.Reader) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, base+path, body)
		if err != nil {
			t.Fatal(err)
		}
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		req.Header.Set("Origin", "https://app.example.org")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	article := `{"id":"k1","url":"https://example.org/k1","language":"ar","published":"2025-11-03","text":"استقبل المشير خليفة حفتر في بنغازي وفدا من مدينة سرت."}`
	for _, c := range []struct {
		method, path, key string
		body              string
		want              int
	}{
		{"GET", "/v1/stats", "", "", 401},
		{"GET", "/v1/stats", "not-a-key-0123456789abcdef", "", 401},
		{"GET", "/v1/stats", envReaderKey, "", 200},
		{"GET", "/healthz", "", "", 200},
		{"POST", "/v1/documents", envReaderKey, article, 403},
		{"POST", "/v1/documents", fileWriterKey, article, 201},
		{"POST", "/v1/merges", fileWriterKey, "{}", 403},
		{"GET", "/metrics", envAdminKey, "", 200},
	} {
		var body io.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		resp := request(c.method, c.path, c.key, body)
		if resp.StatusCode != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.want)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.org" {
			t.Errorf("%s %s: no CORS header for the configured origin", c.method, c.path)
		}
		if resp.Header.Get("X-Request-ID") == "" {
			t.Errorf("%s %s: no request id", c.method, c.path)
		}
	}

	actors := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var entry struct{ Msg, Actor, Route, RequestID string }
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("serve logs a line that is not JSON: %q", line)
		}
		if entry.Msg == "request" {
			actors[entry.Actor] = true
		}
	}
	for _, want := range []string{"anonymous", "dashboard", "nadia"} {
		if !actors[want] {
			t.Errorf("no request logged as %s; actors %v", want, actors)
		}
	}
	for _, k := range []string{fileWriterKey, envReaderKey, envAdminKey} {
		if strings.Contains(logs.String(), k) {
			t.Errorf("key %s… is in the log", k[:8])
		}
	}
}

// TestServeEndsChangeStreamsOnShutdown: a stopping server ends its change
// streams cleanly (so that clients reconnect elsewhere with Last-Event-ID)
// rather than waiting for them and then cutting the connections.
func TestServeEndsChangeStreamsOnShutdown(t *testing.T) {
	srv := startServerEnv(t, noEnv)
	resp, err := http.Get(srv.base + "/v1/changes/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /v1/changes/stream: %d", resp.StatusCode)
	}
	first := make([]byte, 1)
	if _, err := resp.Body.Read(first); err != nil {
		t.Fatalf("the stream sends nothing: %v", err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- srv.stop() }()
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Errorf("the stream ended with %v, want a clean end", err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("serve returned %v", err)
	}
}

// TestServeRejectsBadConfiguration: mistakes stop serve before it opens
// the store, and the messages never show a key.
func TestServeRejectsBadConfiguration(t *testing.T) {
	secret := "short-secret"
	keyFile := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keyFile, []byte(secret+":admin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		args []string
		env  map[string]string
		want string
	}{
		"short key in the file": {[]string{"--api-keys", keyFile}, nil, "line 1"},
		"unknown role inline":   {nil, map[string]string{"POLGRAPH_API_KEYS": envReaderKey + ":boss"}, "POLGRAPH_API_KEYS"},
		"missing key file":      {[]string{"--api-keys", keyFile + ".gone"}, nil, "--api-keys"},
		"log format":            {[]string{"--log-format", "xml"}, nil, "--log-format"},
		"log level":             {[]string{"--log-level", "loud"}, nil, "--log-level"},
		"CORS origin":           {[]string{"--cors-origins", "app.example.org"}, nil, "CORS"},
		"trusted proxy":         {[]string{"--trusted-proxies", "proxy.local"}, nil, "proxy"},
		"negative rate":         {[]string{"--rate-limit", "-1"}, nil, "rate"},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, c.args...)
		err := run(context.Background(), args, func(k string) string { return c.env[k] }, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %s", name, err, c.want)
			continue
		}
		for _, k := range []string{secret, envReaderKey} {
			if strings.Contains(err.Error(), k) || strings.Contains(stderr.String(), k) {
				t.Errorf("%s: the key is in %q", name, err)
			}
		}
	}
}

// TestHTTPServerLimits: header limits and idle timeouts are set; read and
// write timeouts are defaults the API replaces per request (see limits in
// package api), which the API's tests check.
func TestHTTPServerLimits(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	if srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Errorf("server limits: header timeout %v, idle %v, max header bytes %d", srv.ReadHeaderTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
}

func TestEnvironmentConfiguresFlags(t *testing.T) {
	env := map[string]string{"POLGRAPH_STORE": "bogus"}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"ingest", "--data-dir", t.TempDir(), "x.json"}, func(k string) string { return env[k] }, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("POLGRAPH_STORE=bogus: %v, want an error naming it", err)
	}
	env = map[string]string{"POLGRAPH_NEO4J_MAX_CONNECTIONS": "many"}
	err = run(context.Background(), []string{"ingest", "--data-dir", t.TempDir(), "x.json"}, func(k string) string { return env[k] }, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "many") {
		t.Errorf("POLGRAPH_NEO4J_MAX_CONNECTIONS=many: %v, want an error naming it", err)
	}
}

// TestGazetteerEntriesSurviveRestart adds an entry through the API, stops
// the server and starts another over the same data: the entry is still
// known, and so is it to the ingest command.
func TestGazetteerEntriesSurviveRestart(t *testing.T) {
	data := t.TempDir()
	entries := `{"version": 1, "entries": [{"id": "person/nuri-al-ghadamsi", "kind": "Person",
		"name": "Nuri al-Ghadamsi", "name_ar": "نوري الغدامسي", "member_of": ["org/general-command"], "source": "test"}]}`
	t.Run("add", func(t *testing.T) {
		base := startServer(t, "--data-dir", data)
		if status, _ := call(t, "POST", base+"/v1/gazetteer", strings.NewReader(entries), nil); status != 201 {
			t.Fatalf("POST /v1/gazetteer: status %d", status)
		}
	})
	article := filepath.Join(t.TempDir(), "a.json")
	if err := os.WriteFile(article, []byte(`{"id":"g1","url":"https://example.org/g1","language":"ar","published":"2025-11-03",`+
		`"text":"قال نوري الغدامسي إن القيادة العامة مستعدة للحوار."}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"ingest", "--data-dir", data, article}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr.String())
	}
	t.Run("restart", func(t *testing.T) {
		base := startServer(t, "--data-dir", data)
		var page struct {
			Items []struct{ ID, Origin, Entity string }
		}
		// The server loads them once the store answers, just after start.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			call(t, "GET", base+"/v1/gazetteer?origin=api", nil, &page)
			if len(page.Items) > 0 {
				break
			}
		}
		if len(page.Items) != 1 || page.Items[0].ID != "person/nuri-al-ghadamsi" {
			t.Fatalf("after a restart the API entries are %+v", page.Items)
		}
		var rels struct{ Items []relation }
		call(t, "GET", base+"/v1/entities/"+page.Items[0].Entity+"/relations?type=PARTICIPATED_IN", nil, &rels)
		if len(rels.Items) == 0 {
			t.Error("the ingest command did not recognise the entry added through the API")
		}
	})
}
