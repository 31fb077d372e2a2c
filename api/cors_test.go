package api

import (
	"strings"
	"testing"
)

const (
	allowedOrigin = "https://app.example.org"
	otherOrigin   = "https://evil.example.com"
)

func TestCORS(t *testing.T) {
	srv, _, _ := testServer(t, Config{Keys: testKeys, CORSOrigins: []string{allowedOrigin, "http://localhost:5173"}})
	entities := srv.URL + "/v1/entities"

	t.Run("preflight from an allowed origin, before authorization", func(t *testing.T) {
		a := do(t, "OPTIONS", entities, nil, "Origin", allowedOrigin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type")
		if a.status != 204 {
			t.Fatalf("preflight: %d %s, want 204", a.status, a.body)
		}
		h := a.header
		if h.Get("Access-Control-Allow-Origin") != allowedOrigin {
			t.Errorf("Allow-Origin %q", h.Get("Access-Control-Allow-Origin"))
		}
		for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
			if !strings.Contains(h.Get("Access-Control-Allow-Methods"), m) {
				t.Errorf("Allow-Methods %q lacks %s", h.Get("Access-Control-Allow-Methods"), m)
			}
		}
		allowHeaders := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
		for _, name := range []string{"authorization", "x-api-key", "content-type", "if-match", "if-none-match", "last-event-id"} {
			if !strings.Contains(allowHeaders, name) {
				t.Errorf("Allow-Headers %q lacks %s", allowHeaders, name)
			}
		}
		if h.Get("Access-Control-Allow-Credentials") != "" {
			t.Error("credentials allowed: keys travel in headers, not cookies")
		}
	})

	t.Run("preflight from another origin", func(t *testing.T) {
		a := do(t, "OPTIONS", entities, nil, "Origin", otherOrigin, "Access-Control-Request-Method", "POST")
		if a.status != 403 || a.header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("preflight from %s: %d, Allow-Origin %q; want 403 without it", otherOrigin, a.status, a.header.Get("Access-Control-Allow-Origin"))
		}
		if p := a.problem(t); p.Code != forbidden {
			t.Errorf("problem %+v", p)
		}
	})

	t.Run("simple request from an allowed origin", func(t *testing.T) {
		// Even a refusal is readable by the page, so it can show why.
		a := do(t, "GET", srv.URL+"/v1/stats", nil, "Origin", allowedOrigin)
		if a.status != 401 || a.header.Get("Access-Control-Allow-Origin") != allowedOrigin {
			t.Errorf("without a key: %d, Allow-Origin %q; want 401 with it", a.status, a.header.Get("Access-Control-Allow-Origin"))
		}
		a = do(t, "GET", srv.URL+"/v1/stats", nil, "Origin", allowedOrigin, "Authorization", "Bearer "+readerKey)
		if a.status != 200 || a.header.Get("Access-Control-Allow-Origin") != allowedOrigin {
			t.Errorf("with a key: %d, Allow-Origin %q", a.status, a.header.Get("Access-Control-Allow-Origin"))
		}
		expose := strings.ToLower(a.header.Get("Access-Control-Expose-Headers"))
		for _, name := range []string{"etag", "location", "retry-after", "x-request-id"} {
			if !strings.Contains(expose, name) {
				t.Errorf("Expose-Headers %q lacks %s", expose, name)
			}
		}
		if !strings.Contains(strings.Join(a.header.Values("Vary"), ","), "Origin") {
			t.Errorf("Vary %q lacks Origin", a.header.Values("Vary"))
		}
	})

	t.Run("simple request from another origin", func(t *testing.T) {
		// Served, without CORS headers: the browser hides the answer from
		// the page; clients that are not browsers are not concerned.
		a := do(t, "GET", srv.URL+"/v1/stats", nil, "Origin", otherOrigin, "Authorization", "Bearer "+readerKey)
		if a.status != 200 || a.header.Get("Access-Control-Allow-Origin") != "" || a.header.Get("Access-Control-Expose-Headers") != "" {
			t.Errorf("from %s: %d, Allow-Origin %q; want 200 without CORS headers", otherOrigin, a.status, a.header.Get("Access-Control-Allow-Origin"))
		}
	})
}

func TestNoCORSWithoutOrigins(t *testing.T) {
	srv, _, _ := testServer(t, Config{})
	a := do(t, "GET", srv.URL+"/v1/stats", nil, "Origin", allowedOrigin)
	if a.status != 200 || a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET: %d, Allow-Origin %q; want no CORS headers", a.status, a.header.Get("Access-Control-Allow-Origin"))
	}
	a = do(t, "OPTIONS", srv.URL+"/v1/stats", nil, "Origin", allowedOrigin, "Access-Control-Request-Method", "GET")
	if a.header.Get("Access-Control-Allow-Origin") != "" || a.status < 400 {
		t.Errorf("preflight: %d, Allow-Origin %q; want a refusal without CORS headers", a.status, a.header.Get("Access-Control-Allow-Origin"))
	}
}

func TestCORSAnyOrigin(t *testing.T) {
	srv, _, _ := testServer(t, Config{CORSOrigins: []string{"*"}})
	a := do(t, "GET", srv.URL+"/v1/stats", nil, "Origin", otherOrigin)
	if a.status != 200 || a.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET: %d, Allow-Origin %q; want *", a.status, a.header.Get("Access-Control-Allow-Origin"))
	}
}

func TestCheckOrigins(t *testing.T) {
	for _, good := range [][]string{nil, {"*"}, {"https://a.example.org", "http://localhost:5173"}} {
		if err := checkOrigins(good); err != nil {
			t.Errorf("%v: %v", good, err)
		}
	}
	for _, bad := range [][]string{{"*", "https://a.example.org"}, {"a.example.org"}, {"https://a.example.org/app"}, {"ftp://a.example.org"}} {
		if err := checkOrigins(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
		if err := (Config{CORSOrigins: bad}).Validate(); err == nil {
			t.Errorf("Config with origins %v passes Validate", bad)
		}
	}
}
