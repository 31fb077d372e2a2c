package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph/memstore"
)

// TestSlowBodyWithoutKeyIsCutOff: a client without a key sends a body to
// the change stream (or an upload) a byte at a time. The long deadlines of
// those routes are only for authorised requests, so the server must close
// the connection once the ordinary deadline passes, not hold it forever.
func TestSlowBodyWithoutKeyIsCutOff(t *testing.T) {
	keys, err := ParseKeyList("reader-key-00000000000001:reader")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Store: memstore.OpenMemory(), Keys: keys, QueryTimeout: 50 * time.Millisecond})
	s.ioGrace = 100 * time.Millisecond
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for _, req := range []string{
		"GET /v1/changes/stream HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab",
		"POST /v1/imports/ndjson HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nab",
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		// Generous: the server's deadline is 150 ms; without the fix the
		// connection stays open for as long as the client likes.
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: no answer before the test's deadline: %v", firstLine(req), err)
		}
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", firstLine(req), resp.StatusCode)
		}
		resp.Body.Close()
		// The connection must end too: the rest of the body never comes.
		buf := make([]byte, 1)
		if _, err := conn.Read(buf); err == nil || isTimeout(err) {
			t.Errorf("%s: the connection is still open after the answer (%v)", firstLine(req), err)
		}
		conn.Close()
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\r\n", 2)[0] }

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestStreamTakesNoBody: an authorised stream request with a body is
// refused, so nobody can keep a stream's deadline-free connection busy
// with a body.
func TestStreamTakesNoBody(t *testing.T) {
	srv := httptest.NewServer(New(Config{Store: memstore.OpenMemory()}))
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("GET", srv.URL+"/v1/changes/stream", strings.NewReader("x"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("stream with a body: %d, want 400", resp.StatusCode)
	}
}

// TestKeylessAPIRefusesOtherSites: without keys every request may write,
// so other web sites (forms, no-cors fetches, DNS rebinding) must be kept
// out, while curl and the API's own pages go on working.
func TestKeylessAPIRefusesOtherSites(t *testing.T) {
	const body = `{"kind": "Person", "name": "Ali Zeidan"}`
	cases := []struct {
		name   string
		cfg    Config
		method string
		header map[string]string
		want   int
	}{
		{"curl", Config{}, "POST", nil, 201},
		{"own page", Config{}, "POST", map[string]string{"Origin": "http://HOST", "Sec-Fetch-Site": "same-origin"}, 201},
		{"other site's page", Config{}, "POST", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403},
		{"no-cors fetch without Origin", Config{}, "POST", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"sandboxed page", Config{}, "POST", map[string]string{"Origin": "null"}, 403},
		{"configured front end", Config{CORSOrigins: []string{"https://app.example.org"}}, "POST", map[string]string{"Origin": "https://app.example.org"}, 201},
		{"rebound host name, read", Config{}, "GET", map[string]string{"Host": "rebind.evil.example"}, 403},
		{"rebound host name, write", Config{}, "POST", map[string]string{"Host": "rebind.evil.example"}, 403},
		{"localhost", Config{}, "GET", map[string]string{"Host": "localhost:8080"}, 200},
		{"--insecure", Config{Insecure: true}, "POST", map[string]string{"Host": "polgraph.internal", "Origin": "https://evil.example"}, 201},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Store = memstore.OpenMemory()
			srv := httptest.NewServer(New(cfg))
			t.Cleanup(srv.Close)
			path := "/v1/entities"
			var rd *strings.Reader
			if tc.method == "POST" {
				rd = strings.NewReader(body)
			} else {
				path = "/v1/stats"
				rd = strings.NewReader("")
			}
			req, _ := http.NewRequest(tc.method, srv.URL+path, rd)
			if tc.method == "POST" {
				req.Header.Set("Content-Type", "application/json")
			}
			for k, v := range tc.header {
				v = strings.ReplaceAll(v, "HOST", srv.Listener.Addr().String())
				if k == "Host" {
					req.Host = v
				} else {
					req.Header.Set(k, v)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("%s %s with %v: %d, want %d", tc.method, path, tc.header, resp.StatusCode, tc.want)
			}
		})
	}
	t.Run("keyed API answers any host", func(t *testing.T) {
		keys, _ := ParseKeyList("reader-key-00000000000001:reader")
		srv := httptest.NewServer(New(Config{Store: memstore.OpenMemory(), Keys: keys}))
		t.Cleanup(srv.Close)
		req, _ := http.NewRequest("GET", srv.URL+"/v1/stats", nil)
		req.Host = "polgraph.example.org"
		req.Header.Set("Authorization", "Bearer reader-key-00000000000001")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("keyed GET with another Host: %d", resp.StatusCode)
		}
	})
}

// TestDeepPatchIsRefusedAtOnce: a PATCH member nested far deeper than any
// entity field is refused before merging, which costs a pass per level.
func TestDeepPatchIsRefusedAtOnce(t *testing.T) {
	srv := httptest.NewServer(New(Config{Store: memstore.OpenMemory()}))
	t.Cleanup(srv.Close)
	post, _ := http.NewRequest("POST", srv.URL+"/v1/entities", strings.NewReader(`{"kind": "Person", "name": "Ali Zeidan"}`))
	post.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	loc := resp.Header.Get("Location")
	resp.Body.Close()
	deep := strings.Repeat(`{"a":`, 5000) + `"x"` + strings.Repeat("}", 5000)
	req, _ := http.NewRequest("PATCH", srv.URL+loc, strings.NewReader(fmt.Sprintf(`{"aliases": %s}`, deep)))
	req.Header.Set("Content-Type", "application/merge-patch+json")
	var p Problem
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := decodeProblem(resp, &p); err != nil || resp.StatusCode != 400 || p.Param != "aliases" {
		t.Errorf("deep PATCH: %d %+v (%v), want 400 naming aliases", resp.StatusCode, p, err)
	}
	for _, v := range []string{`"x"`, `["a", "b"]`, `"a\\"[["`, `{"a": [1]}`} {
		if d := jsonDepth([]byte(v)); d > maxPatchDepth {
			t.Errorf("jsonDepth(%s) = %d", v, d)
		}
	}
}

// TestMalformedKeyEntryDoesNotEchoIt: an entry with its parts swapped
// puts the key where the role goes; the error must not print it.
func TestMalformedKeyEntryDoesNotEchoIt(t *testing.T) {
	const secret = "SuperSecretKey0123456789"
	for _, entry := range []string{"writer:" + secret, secret + ":" + secret} {
		if _, err := ParseKeyList(entry); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("ParseKeyList(%q): %v", "…", err)
		}
	}
}

// TestStraySlashAndLongURLsAreProblems: a trailing slash is a 404 problem
// (with a request id) rather than gin's bare redirect, and a problem never
// echoes a huge URL.
func TestStraySlashAndLongURLsAreProblems(t *testing.T) {
	srv := httptest.NewServer(New(Config{Store: memstore.OpenMemory()}))
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/v1/entities/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != problemContentType || resp.Header.Get("X-Request-ID") == "" {
		t.Errorf("/v1/entities/: %d %q request id %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("X-Request-ID"))
	}
	long := strings.Repeat("x", 20000)
	for _, u := range []string{"/v1/" + long, "/v1/stats?pad=" + long, "/v1/entities/" + long} {
		resp, err := client.Get(srv.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		var p Problem
		if err := decodeProblem(resp, &p); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if len(p.Instance) > maxInstance || len(p.Detail) > 1000 || len(p.Param) > 100 {
			t.Errorf("GET %s…: instance %d bytes, detail %d, param %d", u[:20], len(p.Instance), len(p.Detail), len(p.Param))
		}
	}
}

func decodeProblem(resp *http.Response, p *Problem) error {
	return json.NewDecoder(resp.Body).Decode(p)
}

// TestChangeStreamsAreBounded: one client cannot open more than
// maxStreamsPerClient streams (429 with Retry-After), and a closed stream
// frees its place.
func TestChangeStreamsAreBounded(t *testing.T) {
	s := New(Config{Store: memstore.OpenMemory(), ChangePoll: 10 * time.Millisecond})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Cleanup(s.CloseStreams)
	var open []*http.Response
	for range maxStreamsPerClient {
		resp, err := http.Get(srv.URL + "/v1/changes/stream")
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 {
			t.Fatalf("stream %d: %d", len(open)+1, resp.StatusCode)
		}
		// The stream is counted once its first line is out.
		if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		open = append(open, resp)
	}
	resp, err := http.Get(srv.URL + "/v1/changes/stream")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("stream %d: %d Retry-After %q, want 429 with Retry-After", maxStreamsPerClient+1, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	open[0].Body.Close()
	// The server notices the closed stream at its next write or poll.
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(srv.URL + "/v1/changes/stream")
		if err != nil {
			t.Fatal(err)
		}
		code := resp.StatusCode
		resp.Body.Close()
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed stream never freed its place: %d", code)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, r := range open[1:] {
		r.Body.Close()
	}
}
