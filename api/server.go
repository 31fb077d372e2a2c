package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
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
	// Logger gets the request log (one line a request) and errors.
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies; 0 means 16 MiB.
	MaxBodyBytes int64
	// QueryTimeout bounds each request's store work; 0 means 10 s.
	QueryTimeout time.Duration
	// MaxImportBytes bounds a file sent to POST /v1/imports; 0 means 1 GiB.
	MaxImportBytes int64
	// ImportDir holds uploaded files while they are imported; "" means
	// the system's temporary directory.
	ImportDir string

	// Keys are the API keys (see Key and the roles). None: the API is
	// open to anyone who can reach it, as "anonymous".
	Keys []Key
	// OpenReads lets requests without a key read (every route a reader
	// may call); writes still need keys.
	OpenReads bool
	// RateLimit is how many requests a second each key (and each client
	// address without a key) may make on average, RateBurst how many at
	// once (0: RateLimit rounded up). RateLimit 0: no limit.
	RateLimit float64
	RateBurst int
	// CORSOrigins are the origins whose browser pages may call the API,
	// such as https://app.example.org; "*" for any. None: no CORS.
	CORSOrigins []string
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For names the client (for per-address rate limits
	// and the log). None: the connection's address is the client's.
	TrustedProxies []string
	// ChangePoll is how often a change stream asks the store for new
	// changes; 0 means 1 s.
	ChangePoll time.Duration
}

// Validate reports what is wrong with the configuration. New panics on a
// configuration that fails it; call it first to report a mistake.
func (cfg Config) Validate() error {
	if _, err := newKeyring(cfg.Keys); err != nil {
		return err
	}
	if cfg.RateLimit < 0 || cfg.RateBurst < 0 {
		return errors.New("rate limit and burst must not be negative")
	}
	if err := checkOrigins(cfg.CORSOrigins); err != nil {
		return err
	}
	for _, p := range cfg.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return fmt.Errorf("trusted proxy %q: want an IP address or a CIDR range", p)
		}
	}
	return nil
}

// Server answers the REST API. It is an http.Handler.
type Server struct {
	store        graph.Store                     // measured: see observedStore
	pipe         atomic.Pointer[ingest.Pipeline] // swapped whole by POST /v1/gazetteer
	gazMu        sync.Mutex                      // one gazetteer update at a time
	log          *slog.Logger
	engine       *gin.Engine
	maxBodyBytes int64
	queryTimeout time.Duration

	maxImportBytes int64
	importDir      string
	jobs           jobs

	keys      *keyring
	openReads bool
	limiter   *limiter // nil: no rate limits
	prom      *promMetrics
	streams   *changeStreams
}

// New builds a Server with every route registered. It panics if cfg fails
// Validate.
func New(cfg Config) *Server {
	if err := cfg.Validate(); err != nil {
		panic("api.New: " + err.Error())
	}
	gin.SetMode(gin.ReleaseMode)
	prom := newPromMetrics()
	keys, _ := newKeyring(cfg.Keys)
	s := &Server{
		store:        observeStore(cfg.Store, prom.storeCalls),
		log:          logger(cfg.Logger),
		maxBodyBytes: cfg.MaxBodyBytes,
		queryTimeout: cfg.QueryTimeout,

		maxImportBytes: cfg.MaxImportBytes,
		importDir:      cfg.ImportDir,

		keys:      keys,
		openReads: cfg.OpenReads,
		limiter:   newLimiter(cfg.RateLimit, cfg.RateBurst),
		prom:      prom,
		streams:   newChangeStreams(cfg.ChangePoll),
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
	// Route on the escaped path, so a parameter may hold an escaped slash
	// (an alias "A / B" in DELETE /v1/entities/{id}/aliases/{alias}).
	s.engine.UseRawPath = true
	_ = s.engine.SetTrustedProxies(cfg.TrustedProxies) // checked by Validate
	// The order matters: the request id and the measurements cover every
	// answer, refusals included; deadlines are set before anything is
	// written; CORS answers preflights before authorization, which
	// browsers' preflights could never pass; the rate limiter counts
	// requests with unknown keys before authorize refuses them.
	chain := []gin.HandlerFunc{s.requestLog, s.observe, s.recoverer, s.limits}
	if h := s.corsHandler(cfg.CORSOrigins); h != nil {
		chain = append(chain, h)
	}
	chain = append(chain, s.identify, s.rateLimit, s.authorize)
	s.engine.Use(chain...)
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
			s.log.Error("panic in handler", "request_id", requestID(c), "path", c.Request.URL.Path, "panic", v)
			s.fail(c, graph.Errorf(graph.Internal, "panic: %v", v))
		}
	}()
	c.Next()
}

// limits bounds the body and the time of every request. An import's
// upload may be large and slow: it has its own bound and time, and
// does no store work while it lasts.
//
// The connection's read and write deadlines are set here, per request,
// replacing those of the http.Server's ReadTimeout and WriteTimeout: one
// time for every request would cut the change stream, which lasts as
// long as its client listens, and long uploads. The deadlines outlast the request's own time
// by ioGrace, for reading the body and writing the answer to a slow
// client; they must not end before the handler does, because net/http
// cancels the request's context when a read deadline passes.
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
	rc := http.NewResponseController(c.Writer)
	var deadline time.Time // none
	if timeout > 0 {
		deadline = time.Now().Add(timeout + ioGrace)
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
	}
	// Servers that cannot set deadlines (some test recorders) go without.
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)
	c.Next()
	// What the handler left buffered is written after it returns.
	_ = rc.SetWriteDeadline(time.Now().Add(ioGrace))
}

// ioGrace is how long past its time limit a request may take to arrive
// and its answer to leave.
const ioGrace = 30 * time.Second

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
