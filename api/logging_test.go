package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestRequestIDs: a client's id is echoed, in the header, the problem
// document and the log line; an unusable one is replaced by a UUID.
func TestRequestIDs(t *testing.T) {
	srv, _, logs := testServer(t, Config{Keys: testKeys})
	a := do(t, "GET", srv.URL+"/v1/entities/00000000-0000-5000-8000-000000000000?q="+readerKey, nil,
		"X-Request-ID", "trace-42.a_b", "Authorization", "Bearer "+readerKey)
	if got := a.header.Get("X-Request-ID"); got != "trace-42.a_b" {
		t.Errorf("X-Request-ID %q, want the client's", got)
	}
	if p := a.problem(t); p.RequestID != "trace-42.a_b" || p.Status != 404 {
		t.Errorf("problem %+v, want 404 with the request id", p)
	}
	for name, id := range map[string]string{
		"too long":     strings.Repeat("x", maxRequestID+1),
		"with a space": "two words",
		"not ASCII":    "طلب",
		"a new line":   "a\\nb",
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
		req.Header["X-Request-ID"] = []string{strings.ReplaceAll(id, "\\n", "\n")}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			// The client refuses to send some: nothing to check.
			continue
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-ID"); uuid.Validate(got) != nil {
			t.Errorf("%s: X-Request-ID %q, want a new UUID", name, got)
		}
	}
	if a := do(t, "GET", srv.URL+"/healthz", nil); uuid.Validate(a.header.Get("X-Request-ID")) != nil {
		t.Errorf("no id sent: X-Request-ID %q, want a new UUID", a.header.Get("X-Request-ID"))
	}

	var line map[string]any
	for _, l := range logs.lines(t) {
		if l["request_id"] == "trace-42.a_b" {
			line = l
		}
	}
	if line == nil {
		t.Fatalf("no log line with the request id:\n%s", logs.String())
	}
	want := map[string]any{"msg": "request", "level": "INFO", "method": "GET", "route": "/v1/entities/:id",
		"path": "/v1/entities/00000000-0000-5000-8000-000000000000", "status": float64(404), "actor": "rita", "remote": "127.0.0.1"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log field %s = %v, want %v", k, line[k], v)
		}
	}
	if d, isNumber := line["duration_ms"].(float64); !isNumber || d < 0 {
		t.Errorf("duration_ms %v", line["duration_ms"])
	}
	if b, isNumber := line["bytes"].(float64); !isNumber || b <= 0 {
		t.Errorf("bytes %v, want the problem document's size", line["bytes"])
	}
	if strings.Contains(logs.String(), readerKey) {
		t.Error("the key, sent in a header and in the query, is in the log")
	}
}

// TestHealthChecksLogAtDebug: probes every few seconds would drown the log.
func TestHealthChecksLogAtDebug(t *testing.T) {
	srv, _, logs := testServer(t, Config{})
	do(t, "GET", srv.URL+"/healthz", nil)
	do(t, "GET", srv.URL+"/v1/stats", nil)
	levels := map[string]any{}
	for _, l := range logs.lines(t) {
		levels[l["path"].(string)] = l["level"]
	}
	if levels["/healthz"] != "DEBUG" || levels["/v1/stats"] != "INFO" {
		t.Errorf("levels %v", levels)
	}
}

// TestDeadlinesArePerRequest: the API sets each request's connection
// deadlines, so a server's WriteTimeout and ReadTimeout (here so short
// that they have passed before any handler runs) cut nothing: not an
// ordinary answer, not a large upload.
func TestDeadlinesArePerRequest(t *testing.T) {
	_, s, _ := testServer(t, Config{})
	srv := httptest.NewUnstartedServer(s)
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Config.ReadTimeout = time.Nanosecond
	srv.Config.WriteTimeout = time.Nanosecond
	srv.Start()
	defer srv.Close()
	a := do(t, "GET", srv.URL+"/v1/stats", nil)
	if a.status != 200 || len(a.body) == 0 {
		t.Errorf("GET /v1/stats past the server's write timeout: %d %q", a.status, a.body)
	}
	// 4 MiB cannot arrive with the headers: the body is read from the
	// connection after the server's read timeout has passed.
	upload := bytes.Repeat([]byte(`{"not":"a record"}`+"\n"), 4<<20/19)
	a = do(t, "POST", srv.URL+"/v1/imports/ndjson", bytes.NewReader(upload))
	if a.status != http.StatusAccepted {
		t.Errorf("upload past the server's read timeout: %d %s", a.status, a.body)
	}
}
