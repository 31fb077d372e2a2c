package api

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// Request ids and the request log. Every request gets an id: the one the
// client (or a proxy in front) sent in X-Request-ID if it is short and
// printable, else a new UUID. The id is echoed in the X-Request-ID response
// header, put in problem documents as request_id and in every log line
// about the request, so that a report quoting it leads to the log.

const (
	requestIDHeader = "X-Request-ID"
	requestIDKey    = "polgraph.request_id"
	// maxRequestID bounds an id taken from a client: it goes into every
	// log line about the request.
	maxRequestID = 128
)

// requestID returns the request's id ("" outside the middleware chain).
func requestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// validRequestID accepts visible ASCII only, so an id can neither forge
// log lines nor carry anything a log reader's terminal would interpret.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// requestLog gives the request its id and logs one line when it ends:
// method, route, path, status, duration_ms, bytes, remote, actor and
// request_id. Never the query string (a client may have put a key
// there), never headers (they hold keys). Health checks and
// scrapes log at debug level: probes every few seconds would drown the
// rest.
func (s *Server) requestLog(c *gin.Context) {
	start := time.Now()
	id := c.GetHeader(requestIDHeader)
	if !validRequestID(id) {
		id = uuid.NewString()
	}
	c.Set(requestIDKey, id)
	c.Header(requestIDHeader, id)
	c.Next()

	status := c.Writer.Status()
	level := slog.LevelInfo
	switch route := c.FullPath(); {
	case status >= 500:
		level = slog.LevelError
	case route == "/healthz" || route == "/readyz" || route == "/metrics":
		level = slog.LevelDebug
	}
	if !s.log.Enabled(c.Request.Context(), level) {
		return
	}
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("request_id", id),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.String("remote", c.ClientIP()),
		slog.String("actor", actorOf(c)),
	)
}
