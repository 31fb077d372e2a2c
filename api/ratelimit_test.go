package api

import (
	"strconv"
	"testing"
	"time"
)

// TestRateLimitPerKey: a rate so low that no token comes back during the
// test, so only the burst counts: each key, and each address without a
// key, has a bucket of its own; over it, 429 with Retry-After in whole
// seconds.
func TestRateLimitPerKey(t *testing.T) {
	srv, _, _ := testServer(t, Config{Keys: testKeys, OpenReads: true, RateLimit: 0.001, RateBurst: 2})
	stats := srv.URL + "/v1/stats"
	for i := 0; i < 2; i++ {
		if a := do(t, "GET", stats, nil, "X-API-Key", readerKey); a.status != 200 {
			t.Fatalf("request %d of the burst: %d", i+1, a.status)
		}
	}
	a := do(t, "GET", stats, nil, "X-API-Key", readerKey)
	if a.status != 429 {
		t.Fatalf("request over the burst: %d, want 429", a.status)
	}
	if p := a.problem(t); p.Code != tooManyRequests {
		t.Errorf("problem %+v", p)
	}
	secs, err := strconv.Atoi(a.header.Get("Retry-After"))
	// 1 token at 0.001/s: 1,000 s away.
	if err != nil || secs < 900 || secs > 1000 {
		t.Errorf("Retry-After %q, want about 1000 whole seconds", a.header.Get("Retry-After"))
	}
	// The other key and the anonymous client have their own buckets.
	if a := do(t, "GET", stats, nil, "Authorization", "Bearer "+writerKey); a.status != 200 {
		t.Errorf("another key: %d", a.status)
	}
	for i := 0; i < 2; i++ {
		if a := do(t, "GET", stats, nil); a.status != 200 {
			t.Errorf("anonymous request %d: %d", i+1, a.status)
		}
	}
	if a := do(t, "GET", stats, nil); a.status != 429 {
		t.Errorf("anonymous request over the burst: %d, want 429", a.status)
	}
	// Unknown keys count against the address, so guessing keys is limited.
	if a := do(t, "GET", stats, nil, "X-API-Key", unknownKey); a.status != 429 {
		t.Errorf("unknown key from a limited address: %d, want 429", a.status)
	}
	// Health checks are never limited.
	for i := 0; i < 3; i++ {
		if a := do(t, "GET", srv.URL+"/healthz", nil); a.status != 200 {
			t.Errorf("healthz %d: %d", i+1, a.status)
		}
	}
}

func TestRetryAfterRoundsUp(t *testing.T) {
	for d, want := range map[time.Duration]int{time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, 90 * time.Second: 90} {
		if got := retryAfter(d); got != want {
			t.Errorf("retryAfter(%v) = %d, want %d", d, got, want)
		}
	}
}

// TestLimiterForgetsIdleBuckets drives the limiter's clock: a bucket idle
// long enough to have refilled is dropped, a busy one kept, and clients
// beyond the cap share the overflow bucket instead of growing the map.
func TestLimiterForgetsIdleBuckets(t *testing.T) {
	now := time.Date(2025, 11, 1, 12, 0, 0, 0, time.UTC)
	l := newLimiter(1, 2)
	l.now = func() time.Time { return now }
	l.maxClients = 3
	for _, c := range []string{"a", "b", "c"} {
		if ok, _ := l.allow(c); !ok {
			t.Fatalf("first request of %s refused", c)
		}
	}
	// Beyond the cap: d and e share the overflow bucket (burst 2).
	okD, _ := l.allow("d")
	okE, _ := l.allow("e")
	okF, wait := l.allow("f")
	if !okD || !okE || okF || wait <= 0 || l.size() != 3 {
		t.Errorf("overflow: d %v e %v f %v (wait %v), %d buckets; want the third refused and 3 buckets", okD, okE, okF, wait, l.size())
	}
	// "a" stays busy; the others go idle past the refill time.
	now = now.Add(l.idle / 2)
	l.allow("a")
	now = now.Add(l.idle/2 + time.Second)
	l.allow("a")
	if l.size() != 1 {
		t.Errorf("%d buckets after the others went idle, want 1", l.size())
	}
	if _, kept := l.buckets["a"]; !kept {
		t.Error("the busy bucket was dropped")
	}
	if newLimiter(0, 5) != nil {
		t.Error("rate 0 should mean no limiter")
	}
	if l := newLimiter(2.5, 0); l.burst != 3 {
		t.Errorf("burst for 2.5/s defaults to %d, want 3", l.burst)
	}
}
