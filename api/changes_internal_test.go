package api

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph/memstore"
)

// TestChangeStreamHeartbeat: an idle stream sends comments, so proxies do
// not drop it. The heartbeat is shortened here; it is 15 s in service.
func TestChangeStreamHeartbeat(t *testing.T) {
	st, err := memstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Store: st, ChangePoll: 5 * time.Millisecond})
	s.streams.heartbeat = 20 * time.Millisecond
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1/changes/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	comments := 0
	for sc.Scan() && comments < 3 {
		line := sc.Text()
		if line != "" && !strings.HasPrefix(line, ":") {
			t.Fatalf("an empty store's stream sent %q", line)
		}
		if strings.HasPrefix(line, ": keep-alive") {
			comments++
		}
	}
	if comments < 3 {
		t.Errorf("the stream ended after %d heartbeats: %v", comments, sc.Err())
	}
}
