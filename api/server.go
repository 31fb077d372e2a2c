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
	"net/url"
	"slices"
	"strings"
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
	// Insecure says the operator let an API without keys listen beyond
	// loopback (serve --insecure). Otherwise an API without keys answers
	// only requests addressed to a loopback name and refuses changes sent
	// by other web sites (see sameSite).
	Insecure bool
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

	keys    *keyring
	ioGrace time.Duration // defaultIOGrace; shorter in tests
	// insecure and corsOrigins decide what sameSite lets through.
	insecure    bool
	corsOrigins []string
	openReads   bool
	limiter     *limiter // nil: no rate limits
	prom        *promMetrics
	streams     *changeStreams
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

		ioGrace:     defaultIOGrace,
		insecure:    cfg.Insecure,
		corsOrigins: cfg.CORSOrigins,
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
	// gin's trailing-slash redirect answers before any middleware: no
	// request id, log line or problem document. A path with a stray slash
	// is a 404 problem like any unknown path.
	s.engine.RedirectTrailingSlash = false
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
	chain = append(chain, s.identify, s.rateLimit, s.authorize, s.sameSite, s.longRequests)
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
	if timeout > 0 {
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
	}
	// Every connection starts with the ordinary deadlines, whatever the
	// route: only longRequests, after authorization, lengthens them, so a
	// client without a key cannot hold a connection by sending slowly.
	rc := http.NewResponseController(c.Writer)
	deadline := time.Now().Add(s.queryTimeout + s.ioGrace)
	// Servers that cannot set deadlines (some test recorders) go without.
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)
	c.Next()
	// After the handler, net/http may read what is left of an unread body
	// (to reuse the connection) before it writes the answer: that read
	// gets ioGrace, and the answer ioGrace more.
	_ = rc.SetReadDeadline(time.Now().Add(s.ioGrace))
	_ = rc.SetWriteDeadline(time.Now().Add(2 * s.ioGrace))
}

// longRequests lengthens the connection deadlines of an authorised upload
// (to its own time limit) and change stream (to none: the stream sets a
// write deadline per event). A stream takes no body, so it has nothing to
// read slowly.
func (s *Server) longRequests(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	switch c.FullPath() {
	case importRoute:
		deadline := time.Now().Add(uploadTimeout + s.ioGrace)
		_ = rc.SetReadDeadline(deadline)
		_ = rc.SetWriteDeadline(deadline)
	case streamRoute:
		if c.Request.ContentLength != 0 {
			s.fail(c, badParam("body", "the change stream takes no body"))
			return
		}
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(time.Time{})
	}
}

// sameSite keeps other web sites out of an API without keys. Without keys
// every request may write, so a page on any site the analyst visits could
// post to http://127.0.0.1:8080 (a form or a no-cors fetch needs no CORS
// preflight), or reach it through DNS rebinding under its own host name.
// So, unless the operator chose --insecure: the Host must be a loopback
// name, and a request that changes something must not come from another
// site (Sec-Fetch-Site: cross-site, or an Origin that is not ours or a
// configured CORS origin). With keys, a foreign page cannot know a key.
func (s *Server) sameSite(c *gin.Context) {
	if !s.keys.empty() || s.insecure {
		return
	}
	host := c.Request.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if ip := net.ParseIP(host); !(host == "localhost" || ip != nil && ip.IsLoopback()) {
		s.fail(c, graph.Errorf(forbidden, "this API has no keys and answers only at a loopback address (localhost, 127.0.0.1, [::1])"))
		return
	}
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return
	}
	origin := c.GetHeader("Origin")
	crossSite := c.GetHeader("Sec-Fetch-Site") == "cross-site" ||
		origin != "" && origin != "null" && !sameOrigin(origin, c.Request.Host) && !slices.Contains(s.corsOrigins, origin)
	if crossSite || origin == "null" {
		s.fail(c, graph.Errorf(forbidden, "this API has no keys, so it takes changes only from its own pages and from clients that are not browsers"))
	}
}

// sameOrigin reports whether a browser's Origin header names the host the
// request was sent to.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host == host
}

// defaultIOGrace is how long past its time limit a request may take to arrive
// and its answer to leave.
const defaultIOGrace = 30 * time.Second

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
