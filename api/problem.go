package api

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// statusOf is the one table from error code to HTTP status; handlers never
// choose a status for an error themselves.
var statusOf = map[graph.Code]int{
	graph.Invalid:      http.StatusBadRequest,
	graph.NotFound:     http.StatusNotFound,
	graph.Conflict:     http.StatusConflict,
	graph.Unavailable:  http.StatusServiceUnavailable,
	graph.TooLarge:     http.StatusRequestEntityTooLarge,
	graph.Internal:     http.StatusInternalServerError,
	methodNotAllowed:   http.StatusMethodNotAllowed,
	unsupportedMedia:   http.StatusUnsupportedMediaType,
	graph.Precondition: http.StatusPreconditionFailed,
	graph.Timeout:      http.StatusGatewayTimeout,
	limitExceeded:      http.StatusUnprocessableEntity,
	unauthorized:       http.StatusUnauthorized,
	forbidden:          http.StatusForbidden,
	tooManyRequests:    http.StatusTooManyRequests,
}

// HTTP-only codes: the graph never produces them.
const (
	// limitExceeded: a well-formed parameter asks for more than the
	// server's caps allow (depth, k, page size, node budget).
	limitExceeded   graph.Code = "limit_exceeded"
	unauthorized    graph.Code = "unauthorized"
	forbidden       graph.Code = "forbidden"
	tooManyRequests graph.Code = "too_many_requests"
)

// Problem is an RFC 9457 problem document, with polgraph's extension
// members: the error code, the parameter at fault, for an ambiguous name
// the candidate entities, and the request's id (as in the X-Request-ID
// header and the log).
type Problem struct {
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Status     int            `json:"status"`
	Detail     string         `json:"detail,omitempty"`
	Instance   string         `json:"instance,omitempty"`
	Code       graph.Code     `json:"code"`
	Param      string         `json:"param,omitempty"`
	Candidates []graph.Entity `json:"candidates,omitempty"`
	RequestID  string         `json:"request_id,omitempty"`
}

const problemContentType = "application/problem+json"

// fail writes err as a problem document and stops the handler chain.
// Internal errors are logged with their cause and shown without it.
func (s *Server) fail(c *gin.Context, err error) {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		ge = &graph.Error{Code: graph.Internal, Message: "internal error", Err: err}
	}
	status, ok := statusOf[ge.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	detail := ge.Message
	if ge.Code == graph.Internal {
		s.log.Error("request failed", "request_id", requestID(c), "path", c.Request.URL.Path, "err", err)
		detail = "the server could not answer; the error is logged"
	}
	if ge.Code == graph.Unavailable {
		c.Header("Retry-After", "5")
	}
	p := Problem{
		Type:       "/docs/problems#" + string(ge.Code),
		Title:      http.StatusText(status),
		Status:     status,
		Detail:     detail,
		Instance:   instance(c.Request.URL),
		Code:       ge.Code,
		Param:      ge.Param,
		Candidates: ge.Candidates,
		RequestID:  requestID(c),
	}
	c.Abort()
	c.Render(status, problemRender{p})
}

// problemRender writes JSON with the problem content type, which gin's
// c.JSON would overwrite with application/json.
type problemRender struct{ p Problem }

func (r problemRender) Render(w http.ResponseWriter) error {
	r.WriteContentType(w)
	return writeJSON(w, r.p)
}

func (r problemRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", problemContentType)
}

func badParam(param, format string, args ...any) *graph.Error {
	e := graph.Errorf(graph.Invalid, format, args...)
	e.Param = clip(param) // it may be a client's field name
	return e
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// maxInstance bounds the instance member: a problem never echoes a
// client's long query string (an exclude= list can be 150 KB) or path.
const maxInstance = 512

// instance is the problem's instance: the request URI, or only its path
// when the URI is long, or nothing when the path is long too.
func instance(u *url.URL) string {
	if uri := u.RequestURI(); len(uri) <= maxInstance {
		return uri
	}
	if p := u.EscapedPath(); len(p) <= maxInstance {
		return p
	}
	return ""
}
