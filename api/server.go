package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

// Config holds a Server's dependencies and limits.
type Config struct {
	Store graph.Store
	// Pipeline extracts posted articles. Give it the entries added through
	// the API that the store keeps (LoadGazetteer); POST /v1/gazetteer
	// replaces it with one that also knows the new entries.
	Pipeline *ingest.Pipeline
	Logger   *slog.Logger
	// MaxBodyBytes bounds request bodies; 0 means 16 MiB.
	MaxBodyBytes int64
	// QueryTimeout bounds each request's store work; 0 means 10 s.
	QueryTimeout time.Duration
	// MaxImportBytes bounds a file sent to POST /v1/imports; 0 means 1 GiB.
	MaxImportBytes int64
	// ImportDir holds uploaded files while they are imported; "" means
	// the system's temporary directory.
	ImportDir string
}

// Server answers the REST API. It is an http.Handler.
type Server struct {
	store        graph.Store
	pipe         atomic.Pointer[ingest.Pipeline] // swapped whole by POST /v1/gazetteer
	gazMu        sync.Mutex                      // one gazetteer update at a time
	log          *slog.Logger
	engine       *gin.Engine
	maxBodyBytes int64
	queryTimeout time.Duration

	maxImportBytes int64
	importDir      string
	jobs           jobs
}

// New builds a Server with every route registered.
func New(cfg Config) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{
		store:        cfg.Store,
		log:          logger(cfg.Logger),
		maxBodyBytes: cfg.MaxBodyBytes,
		queryTimeout: cfg.QueryTimeout,

		maxImportBytes: cfg.MaxImportBytes,
		importDir:      cfg.ImportDir,
	}
	if s.maxImportBytes == 0 {
		s.maxImportBytes = 1 << 30
	}
	s.pipe.Store(cfg.Pipeline)
	if s.maxBodyBytes == 0 {
		s.maxBodyBytes = 16 << 20
	}
	if s.queryTimeout == 0 {
		s.queryTimeout = 10 * time.Second
	}
	s.engine = gin.New()
	s.engine.HandleMethodNotAllowed = true
	s.engine.ContextWithFallback = true
	s.engine.Use(s.recoverer, s.limits)
	s.routes()
	return s
}

// pipeline is the ingest pipeline of this moment: a request uses the one it
// got throughout, even if the gazetteer changes meanwhile.
func (s *Server) pipeline() *ingest.Pipeline { return s.pipe.Load() }

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// recoverer turns a panic in a handler into a logged 500 problem, so one bad
// request never takes the process down.
func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic in handler", "path", c.Request.URL.Path, "panic", v)
			s.fail(c, graph.Errorf(graph.Internal, "panic: %v", v))
		}
	}()
	c.Next()
}

// limits bounds the body and the time of every request. An import's
// upload may be large and slow: it has its own bound and time, and
// does no store work while it lasts.
func (s *Server) limits(c *gin.Context) {
	maxBody, timeout := s.maxBodyBytes, s.queryTimeout
	switch c.FullPath() {
	case importRoute:
		maxBody, timeout = s.maxImportBytes, uploadTimeout
	case streamRoute:
		// A change stream lasts as long as its client listens; each of
		// its store calls has its own limit.
		timeout = 0
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	}
	if timeout > 0 {
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
	}
	c.Next()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// ok writes v as JSON with the status; encoding/json keeps Arabic unescaped.
func ok(c *gin.Context, status int, v any) {
	c.Render(status, jsonRender{v})
}

type jsonRender struct{ v any }

func (r jsonRender) Render(w http.ResponseWriter) error {
	r.WriteContentType(w)
	return writeJSON(w, r.v)
}

func (r jsonRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
}

// list is the shape of every list response.
type list[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}
