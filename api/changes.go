package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// changes answers GET /v1/changes?since=&limit=: the change feed from a
// position on, oldest first (entities, relations and documents created,
// updated, merged and deleted). since is a sequence number from a
// previous answer's next (or an event id of the stream), or a date
// (YYYY-MM-DD) or time (RFC 3339) to start at the first change recorded
// then or later. next is the since of the next call: the last change's
// sequence number, or since itself when nothing is new. Unlike other
// lists a feed has no end, so next is never empty.
func (s *Server) changes(c *gin.Context) {
	since, err := s.sinceParam(c, "since", c.Query("since"))
	if err != nil {
		s.fail(c, err)
		return
	}
	limit, err := intParam(c, "limit", 100, 1, graph.MaxPageSize)
	if err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.store.Changes(c, since, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	ok(c, http.StatusOK, list[graph.Change]{Items: nonNil(page.Items), Next: strconv.FormatUint(page.Next, 10)})
}

// sinceParam reads a position in the change feed: a sequence number, or
// a date or time, which it turns into the position just before the first
// change recorded at or after it.
func (s *Server) sinceParam(ctx context.Context, name, v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		return n, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, v); err != nil {
			return 0, badParam(name, "%s must be a sequence number from the feed, a date YYYY-MM-DD or a time (RFC 3339)", name)
		}
	}
	return s.seqAt(ctx, t)
}

// seqAt returns the position just before the first change recorded at or
// after t. The store keeps changes by sequence number only, so it searches
// them: first for a position past t by doubling, then by bisection, some
// 2 log₂ n calls of one change each. Changes are recorded in time order,
// so this is exact, but for clocks stepped back (between API replicas
// writing to one Neo4j, say), where it is a position near t.
func (s *Server) seqAt(ctx context.Context, t time.Time) (uint64, error) {
	// from reports whether the first change after position p was
	// recorded at or after t (or there is none).
	from := func(p uint64) (bool, error) {
		page, err := s.store.Changes(ctx, p, 1)
		if err != nil {
			return false, err
		}
		return len(page.Items) == 0 || !page.Items[0].At.Before(t), nil
	}
	lo, hi := uint64(1), uint64(1) // from(lo-1) does not hold; from(hi) will
	if ok, err := from(0); err != nil || ok {
		return 0, err
	}
	for {
		ok, err := from(hi)
		if err != nil {
			return 0, err
		}
		if ok {
			break
		}
		lo, hi = hi+1, hi*2
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		ok, err := from(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

// changeStreams is what the change streams of a Server share: how often
// they poll, and the signal that ends them all.
type changeStreams struct {
	poll      time.Duration
	heartbeat time.Duration
	lifetime  time.Duration
	done      chan struct{}
	closeOnce sync.Once

	// Each stream polls the store for as long as it lasts: open ones are
	// counted, in all and per client, so that no one client (or crowd)
	// can make the store answer thousands of polls a second.
	mu       sync.Mutex
	open     int
	byClient map[string]int
}

// Bounds on change streams: in all per replica, per client (a key, or an
// address without one: a few browser tabs), and in time (the client then
// reconnects with Last-Event-ID and misses nothing).
const (
	maxStreams          = 256
	maxStreamsPerClient = 8
	streamLifetime      = time.Hour
)

// admit counts a new stream of client, or says why it cannot open.
func (cs *changeStreams) admit(client string) (release func(), err error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	switch {
	case cs.open >= maxStreams:
		return nil, graph.Errorf(tooManyRequests, "this server has %d change streams open, its most; retry later or poll GET /v1/changes", maxStreams)
	case cs.byClient[client] >= maxStreamsPerClient:
		return nil, graph.Errorf(tooManyRequests, "you have %d change streams open, the most one client may; close one", maxStreamsPerClient)
	}
	cs.open++
	cs.byClient[client]++
	return func() {
		cs.mu.Lock()
		defer cs.mu.Unlock()
		cs.open--
		if cs.byClient[client]--; cs.byClient[client] == 0 {
			delete(cs.byClient, client)
		}
	}, nil
}

// streamHeartbeat is how often an idle stream sends a comment, so that
// proxies and load balancers, which drop idle connections after a minute
// or so, keep it open.
const streamHeartbeat = 15 * time.Second

func newChangeStreams(poll time.Duration) *changeStreams {
	if poll <= 0 {
		poll = time.Second
	}
	return &changeStreams{poll: poll, heartbeat: streamHeartbeat, lifetime: streamLifetime,
		done: make(chan struct{}), byClient: map[string]int{}}
}

// CloseStreams ends every change stream, now and to come. http.Server's
// Shutdown waits for requests to finish, and a stream never does by
// itself: register this with the server's RegisterOnShutdown. Clients
// reconnect to another replica with Last-Event-ID and miss nothing.
func (s *Server) CloseStreams() {
	s.streams.closeOnce.Do(func() { close(s.streams.done) })
}

// changeStream answers GET /v1/changes/stream: the change feed as
// Server-Sent Events, one event a change,
//
//	id: <seq>
//	event: change
//	data: <the change as GET /v1/changes gives it>
//
// from the position in the Last-Event-ID header (which EventSource sends
// when it reconnects) or else since= (as GET /v1/changes reads it), so
// that a client that reconnects gets exactly the changes it missed. The
// store is polled (Config.ChangePoll), each call bounded by the request
// time limit; an idle stream sends a comment every 15 s. It ends when the
// client goes or the server shuts down (CloseStreams). If the store cannot
// be reached the stream stays open and polls on; another store error ends
// it with an "error" event holding a problem document.
func (s *Server) changeStream(c *gin.Context) {
	param, v := "since", c.Query("since")
	if id := c.GetHeader("Last-Event-ID"); id != "" {
		param, v = "Last-Event-ID", id
	}
	client := actorOf(c)
	if client == anonymous {
		client = "ip:" + c.ClientIP()
	}
	release, err := s.streams.admit(client)
	if err != nil {
		c.Header("Retry-After", "60")
		s.fail(c, err)
		return
	}
	defer release()
	// The stream has no time limit; finding where a time in since falls
	// in the feed has the ordinary one.
	findCtx, cancel := context.WithTimeout(c, s.queryTimeout)
	since, err := s.sinceParam(findCtx, param, v)
	cancel()
	if err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.pollChanges(c, since)
	if err != nil {
		s.fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx would buffer the stream
	c.Status(http.StatusOK)
	rc := http.NewResponseController(c.Writer)
	lastWrite := time.Now()
	write := func(format string, args ...any) error {
		// A client that stops reading would block the stream forever.
		_ = rc.SetWriteDeadline(time.Now().Add(s.ioGrace))
		if _, err := fmt.Fprintf(c.Writer, format, args...); err != nil {
			return err
		}
		lastWrite = time.Now()
		return rc.Flush()
	}
	if err := write(": polgraph change feed from %d\n\n", since); err != nil {
		return
	}
	tick := time.NewTicker(min(s.streams.poll, s.streams.heartbeat))
	defer tick.Stop()
	end := time.NewTimer(s.streams.lifetime)
	defer end.Stop()
	for {
		for _, ch := range page.Items {
			data, _ := json.Marshal(ch)
			if err := write("id: %d\nevent: change\ndata: %s\n\n", ch.Seq, data); err != nil {
				return
			}
		}
		since = page.Next
		if len(page.Items) < graph.MaxPageSize { // else more are waiting
			select {
			case <-c.Request.Context().Done():
				return
			case <-s.streams.done:
				return
			case <-end.C:
				return // the client reconnects with Last-Event-ID
			case <-tick.C:
			}
			if time.Since(lastWrite) >= s.streams.heartbeat {
				if err := write(": keep-alive\n\n"); err != nil {
					return
				}
			}
		}
		page, err = s.pollChanges(c, since)
		switch code := graph.ErrorCode(err); {
		case err == nil:
		case c.Request.Context().Err() != nil:
			return
		case code == graph.Unavailable || code == graph.Timeout:
			s.log.Warn("change stream: the store did not answer; polling on", "request_id", requestID(c), "err", err)
			page = graph.ChangePage{Next: since}
		default:
			s.log.Error("change stream failed", "request_id", requestID(c), "err", err)
			status, known := statusOf[code]
			if !known {
				status = http.StatusInternalServerError
			}
			data, _ := json.Marshal(Problem{Type: "/docs/problems#" + string(code), Title: http.StatusText(status),
				Status: status, Code: code, Detail: "the change stream failed; reconnect with Last-Event-ID"})
			_ = write("event: error\ndata: %s\n\n", data)
			return
		}
	}
}

// pollChanges reads the changes after since, bounded by the request time
// limit, which the stream itself is exempt from.
func (s *Server) pollChanges(ctx context.Context, since uint64) (graph.ChangePage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	defer cancel()
	return s.store.Changes(ctx, since, graph.MaxPageSize)
}
