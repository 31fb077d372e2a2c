package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
)

// The keys of the security tests: long enough, and distinctive enough to
// be found in a log if they ever leaked into one.
const (
	readerKey  = "reader-secret-0123456789abcdef"
	writerKey  = "writer-secret-0123456789abcdef"
	adminKey   = "admin-secret-0123456789abcdef0"
	unknownKey = "unknown-secret-0123456789abcdef"
)

var testKeys = []Key{
	{Secret: readerKey, Role: RoleReader, Name: "rita"},
	{Secret: writerKey, Role: RoleWriter, Name: "walid"},
	{Secret: adminKey, Role: RoleAdmin}, // named by its hash
}

// logBuffer collects a server's JSON log; safe for the server's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines decodes the log's JSON lines.
func (l *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, line)
		}
		out = append(out, m)
	}
	return out
}

// testServer serves cfg over real HTTP with an empty embedded store and a
// JSON log at debug level, which it returns.
func testServer(t *testing.T, cfg Config) (*httptest.Server, *Server, *logBuffer) {
	t.Helper()
	store := memstore.OpenMemory()
	t.Cleanup(func() { store.Close() })
	return testServerOn(t, store, cfg)
}

// testServerOn is testServer on the store.
func testServerOn(t *testing.T, store graph.Store, cfg Config) (*httptest.Server, *Server, *logBuffer) {
	t.Helper()
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	cfg.Store, cfg.Pipeline = store, pipe
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.ImportDir = t.TempDir()
	s := New(cfg)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, s, logs
}

// answer is what the tests look at in a response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) problem(t *testing.T) Problem {
	t.Helper()
	var p Problem
	if ct := a.header.Get("Content-Type"); ct != problemContentType {
		t.Fatalf("status %d with content type %q, want a problem document: %s", a.status, ct, a.body)
	}
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatalf("problem document is not JSON: %v\n%s", err, a.body)
	}
	return p
}

// do sends a request with the headers (name, value pairs) and reads the
// answer. A response that has not started within 10 s (a change stream
// that sends nothing yet) is returned with status 0: refusals never take
// that long, as they come before any handler.
func do(t *testing.T, method, url string, body io.Reader, headers ...string) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if errors.Is(err, context.DeadlineExceeded) {
		return answer{}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		a.body, _ = io.ReadAll(resp.Body)
	}
	return a
}

// concrete turns a route pattern into a path that matches it, with ids
// nobody has, so that handlers that get through change nothing.
func concrete(pattern string) string {
	var parts []string
	for _, p := range strings.Split(pattern, "/") {
		switch {
		case p == ":id":
			p = "00000000-0000-5000-8000-000000000000"
		case strings.HasPrefix(p, ":"):
			p = "nope"
		case strings.HasPrefix(p, "*"):
			p = "nope.js"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "/")
}

// TestRoleMatrix calls every route the engine has with no key, an unknown
// key and each role's key, sent both ways: a route needing more than the
// caller has is refused, 401 when the key is missing or unknown and 403
// when it is known but its role too low; anything else gets through to
// the handler. A route not in routeRoles fails here: add it.
func TestRoleMatrix(t *testing.T) {
	for _, openReads := range []bool{false, true} {
		name := "keyed reads"
		if openReads {
			name = "open reads"
		}
		t.Run(name, func(t *testing.T) {
			srv, s, _ := testServer(t, Config{Keys: testKeys, OpenReads: openReads})
			routes := s.engine.Routes()
			if len(routes) < 30 {
				t.Fatalf("the engine has %d routes; the table of issue 6 has more", len(routes))
			}
			for _, rt := range routes {
				key := rt.Method + " " + rt.Path
				need, listed := routeRoles[key]
				if !listed {
					t.Errorf("%s has no role in routeRoles", key)
					need = RoleAdmin
				}
				checkRule(t, rt.Method, rt.Path, need)
				if need == RoleReader && openReads {
					need = rolePublic
				}
				url := srv.URL + concrete(rt.Path)
				callers := []struct {
					name   string
					secret string
					role   Role
				}{
					{"no key", "", rolePublic},
					{"unknown key", unknownKey, rolePublic},
					{"reader", readerKey, RoleReader},
					{"writer", writerKey, RoleWriter},
					{"admin", adminKey, RoleAdmin},
				}
				for _, caller := range callers {
					styles := [][]string{nil}
					if caller.secret != "" {
						styles = [][]string{{"Authorization", "Bearer " + caller.secret}, {"X-API-Key", caller.secret}}
					}
					for _, h := range styles {
						a := do(t, rt.Method, url, nil, h...)
						via := "no header"
						if h != nil {
							via = h[0]
						}
						where := key + " as " + caller.name + " (" + via + ")"
						switch {
						case need == rolePublic:
							if a.status == 401 || a.status == 403 {
								t.Errorf("%s: %d, but the route is open", where, a.status)
							}
						case caller.role == rolePublic:
							if a.status != 401 {
								t.Errorf("%s: %d, want 401", where, a.status)
								continue
							}
							if got := a.header.Get("WWW-Authenticate"); got != `Bearer realm="polgraph"` {
								t.Errorf("%s: WWW-Authenticate %q", where, got)
							}
							if p := a.problem(t); p.Code != unauthorized || p.Status != 401 {
								t.Errorf("%s: problem %+v", where, p)
							}
						case caller.role < need:
							if a.status != 403 {
								t.Errorf("%s: %d, want 403", where, a.status)
								continue
							}
							if p := a.problem(t); p.Code != forbidden || !strings.Contains(p.Detail, need.String()) {
								t.Errorf("%s: problem %+v, want forbidden naming role %s", where, p, need)
							}
						default:
							if a.status == 401 || a.status == 403 {
								t.Errorf("%s: %d, want the handler's answer", where, a.status)
							}
						}
					}
				}
			}
		})
	}
}

// checkRule checks a route's role against the rule the table follows:
// reads need a reader, writes a writer, deletes, merges and the gazetteer
// an admin; health, readiness, the API's documentation and the explorer
// page are open.
func checkRule(t *testing.T, method, path string, need Role) {
	t.Helper()
	want := RoleReader
	switch {
	case path == "/healthz" || path == "/readyz" || path == "/openapi.json" || path == "/docs" || strings.HasPrefix(path, "/docs/") ||
		path == "/" || strings.HasPrefix(path, "/explorer/"):
		want = rolePublic
	case method == http.MethodDelete || method == http.MethodPost && (path == "/v1/merges" || path == "/v1/gazetteer"):
		want = RoleAdmin
	case method == http.MethodPost || method == http.MethodPatch || method == http.MethodPut:
		want = RoleWriter
	}
	if need != want {
		t.Errorf("%s %s needs %s; the rule says %s", method, path, need, want)
	}
}

func TestOpenAPIWithoutKeys(t *testing.T) {
	srv, _, logs := testServer(t, Config{})
	// A key sent to an open API is ignored, not checked.
	for _, h := range [][]string{nil, {"Authorization", "Bearer " + unknownKey}} {
		if a := do(t, "GET", srv.URL+"/v1/stats", nil, h...); a.status != 200 {
			t.Errorf("GET /v1/stats with %v: %d", h, a.status)
		}
		if a := do(t, "POST", srv.URL+"/v1/merges", strings.NewReader("{}"), h...); a.status == 401 || a.status == 403 {
			t.Errorf("POST /v1/merges with %v: %d on an open API", h, a.status)
		}
	}
	for _, line := range logs.lines(t) {
		if line["msg"] == "request" && line["actor"] != anonymous {
			t.Errorf("actor %v on an open API, want %s", line["actor"], anonymous)
		}
	}
	if strings.Contains(logs.String(), unknownKey) {
		t.Error("the key is in the log")
	}
}

// TestActorIsTheKeysName: the request log names the key by its name, or by
// "key-" and a hash when it has none, and never shows the key.
func TestActorIsTheKeysName(t *testing.T) {
	srv, _, logs := testServer(t, Config{Keys: testKeys})
	do(t, "GET", srv.URL+"/v1/stats", nil, "Authorization", "Bearer "+readerKey)
	do(t, "GET", srv.URL+"/v1/stats", nil, "X-API-Key", adminKey)
	do(t, "GET", srv.URL+"/v1/stats", nil, "X-API-Key", unknownKey)
	do(t, "GET", srv.URL+"/v1/stats", nil, "Authorization", "Bearer "+readerKey, "X-API-Key", writerKey)
	var actors []any
	var statuses []any
	for _, line := range logs.lines(t) {
		if line["msg"] == "request" {
			actors = append(actors, line["actor"])
			statuses = append(statuses, line["status"])
		}
	}
	hashName := Key{Secret: adminKey}.name()
	if !strings.HasPrefix(hashName, "key-") || len(hashName) != len("key-")+8 {
		t.Errorf("unnamed key named %q, want key- and 8 hex digits", hashName)
	}
	want := []any{"rita", hashName, anonymous, anonymous}
	if len(actors) != len(want) {
		t.Fatalf("request log lines' actors %v, want %v", actors, want)
	}
	for i := range want {
		if actors[i] != want[i] {
			t.Errorf("request %d: actor %v, want %v", i, actors[i], want[i])
		}
	}
	// Two different keys in one request are as good as an unknown one.
	if statuses[3] != float64(401) {
		t.Errorf("a request with two different keys: %v, want 401", statuses[3])
	}
	for _, k := range []string{readerKey, writerKey, adminKey, unknownKey} {
		if strings.Contains(logs.String(), k) {
			t.Errorf("key %s… is in the log", k[:6])
		}
	}
}

func TestParseKeys(t *testing.T) {
	file := "# polgraph keys\n\n" + readerKey + ":reader\n  " + writerKey + ":writer:walid  \n" + adminKey + ":admin:Amal Ops\n"
	keys, err := ParseKeys(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Key{{readerKey, RoleReader, ""}, {writerKey, RoleWriter, "walid"}, {adminKey, RoleAdmin, "Amal Ops"}}
	if len(keys) != len(want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("key %d: %v, want %v", i, keys[i], want[i])
		}
	}
	list, err := ParseKeyList(readerKey + ":reader, " + adminKey + ":admin:ops,")
	if err != nil || len(list) != 2 || list[1].Name != "ops" || list[1].Role != RoleAdmin {
		t.Errorf("ParseKeyList: %v, %v", list, err)
	}

	bad := map[string]string{
		"no role":      readerKey + "\n",
		"unknown role": readerKey + ":owner\n",
		"short key":    "short-secret:admin\n",
		"space in key": "reader secret 0123456789abcdef:reader\n",
	}
	for name, text := range bad {
		_, err := ParseKeys(strings.NewReader("# comment\n" + text))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%s: %v does not name line 2", name, err)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error %q shows the key", name, err)
		}
	}
	if _, err := newKeyring([]Key{{readerKey, RoleReader, ""}, {readerKey, RoleAdmin, ""}}); err == nil {
		t.Error("a key given twice is accepted")
	}
	// Printing a key shows its name and role only.
	k := Key{Secret: adminKey, Role: RoleAdmin, Name: "ops"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("key", "key", k)
	for _, s := range []string{k.String(), k.GoString(), logged.String()} {
		if strings.Contains(s, adminKey) || !strings.Contains(s, "ops") {
			t.Errorf("a key prints as %q", s)
		}
	}
}

func TestKeyringLookup(t *testing.T) {
	kr, err := newKeyring(testKeys)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range testKeys {
		p, found := kr.lookup(k.Secret)
		if !found || p.name != k.name() || p.role != k.Role {
			t.Errorf("lookup of %s: %+v %v", k, p, found)
		}
	}
	for _, s := range []string{"", unknownKey, readerKey[:len(readerKey)-1], readerKey + "x"} {
		if p, found := kr.lookup(s); found {
			t.Errorf("lookup of a wrong key found %+v", p)
		}
	}
}
