package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

type changesPage struct {
	Items []graph.Change
	Next  string
}

// allChanges pages through GET /v1/changes from since.
func allChanges(t *testing.T, base, since string) []graph.Change {
	t.Helper()
	var out []graph.Change
	for range 1000 {
		var p changesPage
		if status := get(t, base+"/v1/changes?limit=7&since="+url.QueryEscape(since), &p); status != 200 {
			t.Fatalf("GET /v1/changes: status %d", status)
		}
		if len(p.Items) == 0 {
			if p.Next != since {
				t.Fatalf("nothing new after %s, but next is %q", since, p.Next)
			}
			return out
		}
		if want := strconv.FormatUint(p.Items[len(p.Items)-1].Seq, 10); p.Next != want {
			t.Fatalf("next %q, want the last seq %s", p.Next, want)
		}
		out = append(out, p.Items...)
		since = p.Next
	}
	t.Fatal("the feed does not end")
	return nil
}

func TestChangeFeed(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *httptest.Server, _ graph.Store) {
		all := allChanges(t, srv.URL, "0")
		if len(all) < 10 {
			t.Fatalf("%d changes after ingesting two reports", len(all))
		}
		var whole changesPage
		get(t, srv.URL+"/v1/changes?limit=500", &whole)
		if !slices.EqualFunc(whole.Items, all, func(a, b graph.Change) bool { return a.Seq == b.Seq && a.ID == b.ID }) {
			t.Errorf("paged by 7: %d changes, in one page %d", len(all), len(whole.Items))
		}
		for i, c := range all {
			if i > 0 && c.Seq <= all[i-1].Seq || c.Op != graph.Created || c.At.IsZero() {
				t.Errorf("change %d: %+v", i, c)
			}
		}
		// By time: a date before everything gives everything, one after
		// it nothing; the time of a change starts at the first change
		// recorded then.
		if got := allChanges(t, srv.URL, "2000-01-01"); len(got) != len(all) {
			t.Errorf("since 2000-01-01: %d changes, want all %d", len(got), len(all))
		}
		var later changesPage
		get(t, srv.URL+"/v1/changes?since="+time.Now().Add(48*time.Hour).Format(time.DateOnly), &later)
		if len(later.Items) != 0 {
			t.Errorf("since the day after tomorrow: %d changes", len(later.Items))
		}
		mid := all[len(all)/2].At
		first := slices.IndexFunc(all, func(c graph.Change) bool { return !c.At.Before(mid) })
		var fromMid changesPage
		get(t, srv.URL+"/v1/changes?limit=1&since="+url.QueryEscape(mid.Format(time.RFC3339Nano)), &fromMid)
		if len(fromMid.Items) != 1 || fromMid.Items[0].Seq != all[first].Seq {
			t.Errorf("since %s: %+v, want seq %d", mid.Format(time.RFC3339Nano), fromMid.Items, all[first].Seq)
		}

		for _, c := range []struct {
			query  string
			status int
			param  string
		}{
			{"?since=yesterday", 400, "since"},
			{"?since=-1", 400, "since"},
			{"?limit=501", 422, "limit"},
			{"?limit=0", 400, "limit"},
		} {
			var p api.Problem
			if status := get(t, srv.URL+"/v1/changes"+c.query, &p); status != c.status || p.Param != c.param {
				t.Errorf("%s: status %d param %q, want %d %q", c.query, status, p.Param, c.status, c.param)
			}
		}
	})
}

// sseEvent is one event of a stream, or a comment.
type sseEvent struct {
	id, event, data, comment string
}

// stream opens the change stream and reads its events into a channel,
// closed when the stream ends. Closing the returned response's body drops
// the connection.
func stream(t *testing.T, u, lastEventID string) (*http.Response, <-chan sseEvent) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s %s", u, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	events := make(chan sseEvent, 1000)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "":
				if line != "" {
					events <- sseEvent{comment: value}
					continue
				}
				if ev != (sseEvent{}) {
					events <- ev
				}
				ev = sseEvent{}
			case "id":
				ev.id = value
			case "event":
				ev.event = value
			case "data":
				ev.data += value
			}
		}
	}()
	return resp, events
}

// next returns the stream's next change event, skipping comments; it
// fails the test if none comes within a generous time, rather than hang.
func next(t *testing.T, events <-chan sseEvent) graph.Change {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev, open := <-events:
			if !open {
				t.Fatal("the stream ended")
			}
			if ev.comment != "" && ev.event == "" {
				continue
			}
			var c graph.Change
			if ev.event != "change" || json.Unmarshal([]byte(ev.data), &c) != nil || ev.id != strconv.FormatUint(c.Seq, 10) {
				t.Fatalf("event %+v is not a change with its seq as id", ev)
			}
			return c
		case <-timeout:
			t.Fatal("no change event within 30 s")
		}
	}
}

func TestChangeStream(t *testing.T) {
	eachStore(t, func(t *testing.T, _ *httptest.Server, st graph.Store) {
		pipe, err := ingest.New(ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		handler := api.New(api.Config{Store: st, Pipeline: pipe, ChangePoll: 10 * time.Millisecond})
		srv := httptest.NewServer(handler)
		t.Cleanup(srv.Close)
		var stats graph.Stats
		get(t, srv.URL+"/v1/stats", &stats)
		start := strconv.FormatUint(stats.Changes, 10)
		resp, events := stream(t, srv.URL+"/v1/changes/stream?since="+start, "")

		// Writes while the stream is open: a new report, a merge and an
		// analyst's delete.
		haftar := searchOne(t, srv.URL, "Khaled Haftar")
		khalifa := searchOne(t, srv.URL, "Khalifa Haftar")
		sirte := searchOne(t, srv.URL, "Sirte")
		written := make(chan error, 1)
		go func() {
			article := `{"url": "https://example.org/api-stream", "language": "en", "published": "2025-11-06",
				"text": "Khaled Haftar met the mayor of Sirte in Benghazi on Wednesday."}`
			resp, err := http.Post(srv.URL+"/v1/documents", "application/json", strings.NewReader(article))
			if err == nil {
				resp.Body.Close()
			}
			if err != nil {
				written <- err
				return
			}
			if _, err := st.Merge(context.Background(), haftar.ID, khalifa.ID); err != nil {
				written <- err
				return
			}
			_, err = st.Edit(context.Background(), graph.Edit{Op: graph.EditDelete, ID: sirte.ID, Actor: "test"})
			written <- err
		}()
		if err := <-written; err != nil {
			t.Fatal(err)
		}
		want := allChanges(t, srv.URL, start)
		var got []graph.Change
		for range want {
			got = append(got, next(t, events))
		}
		ops := map[graph.Op]bool{}
		for i := range want {
			ops[got[i].Op] = true
			if got[i] != want[i] {
				t.Fatalf("event %d: %+v, the feed has %+v", i, got[i], want[i])
			}
		}
		if !ops[graph.Created] || !ops[graph.Merged] {
			t.Errorf("ops %v, want created and merged", ops)
		}
		gone := slices.ContainsFunc(got, func(c graph.Change) bool {
			return c.Op == graph.Deleted && c.Object == "entity" && c.ID == sirte.ID
		})
		if !gone {
			t.Error("the stream does not tell of deleting Sirte")
		}
		merged := slices.IndexFunc(got, func(c graph.Change) bool { return c.Op == graph.Merged })
		if c := got[merged]; c.ID != khalifa.ID || c.Into != haftar.ID {
			t.Errorf("merge event %+v, want %s into %s", c, khalifa.ID, haftar.ID)
		}
		resp.Body.Close()

		// Reconnect from the middle: exactly the rest, then what is new.
		half := len(want) / 2
		_, events = stream(t, srv.URL+"/v1/changes/stream?since=0", strconv.FormatUint(want[half-1].Seq, 10))
		for i := half; i < len(want); i++ {
			if c := next(t, events); c != want[i] {
				t.Fatalf("after reconnecting, event %d: %+v, want %+v", i, c, want[i])
			}
		}
		more := `{"url": "https://example.org/api-stream-2", "language": "en", "published": "2025-11-07",
			"text": "Khaled al-Mahjoub visited Misrata on Thursday."}`
		if status := post(t, srv.URL+"/v1/documents", "application/json", more, nil); status != 201 {
			t.Fatalf("POST: %d", status)
		}
		if c := next(t, events); c.Seq != want[len(want)-1].Seq+1 {
			t.Errorf("after the rest, %+v; want the next change, seq %d", c, want[len(want)-1].Seq+1)
		}
	})
}

// TestChangeStreamEnds: a stream ends when the server closes streams (as
// it shuts down) and its client is free to reconnect elsewhere.
func TestChangeStreamEnds(t *testing.T) {
	_, st := newServer(t)
	handler := api.New(api.Config{Store: st, ChangePoll: 10 * time.Millisecond})
	srv := httptest.NewServer(handler)
	defer srv.Close()
	_, events := stream(t, srv.URL+"/v1/changes/stream", "")
	if c := next(t, events); c.Seq != 1 {
		t.Errorf("from the start: first change %d", c.Seq)
	}
	handler.CloseStreams()
	timeout := time.After(30 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-events:
		case <-timeout:
			t.Fatal("the stream did not end within 30 s of CloseStreams")
		}
	}
	resp, err := http.Get(srv.URL + "/v1/changes/stream")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body) // ends at once: streams are closed
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(raw), ":") {
		t.Errorf("a stream opened after CloseStreams: %d %q", resp.StatusCode, raw)
	}
}

func TestChangeStreamErrors(t *testing.T) {
	srv, _ := newServer(t)
	for _, c := range []struct{ since, lastEventID, param string }{
		{"yesterday", "", "since"},
		{"", "abc", "Last-Event-ID"},
		{"3", "-3", "Last-Event-ID"},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/changes/stream?since="+c.since, nil)
		if c.lastEventID != "" {
			req.Header.Set("Last-Event-ID", c.lastEventID)
		}
		resp, err := http.DefaultClient.Do(req)
		var p api.Problem
		if status := decode(t, "GET", req.URL.String(), resp, err, &p); status != 400 || p.Param != c.param {
			t.Errorf("since %q Last-Event-ID %q: status %d param %q, want 400 %q", c.since, c.lastEventID, status, p.Param, c.param)
		}
	}
}
