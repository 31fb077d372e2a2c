package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// resolve turns a parameter that holds an entity id or a name into an id.
// A name must pick out one entity: the best search hits tied at the top are
// the candidates, and more than one is a Conflict that lists them, so the
// client can ask again with an id.
func (s *Server) resolve(ctx context.Context, param, v string) (string, error) {
	id, err := graph.Resolve(ctx, s.store, v)
	var e *graph.Error
	switch {
	case err == nil:
		return id, nil
	case graph.Is(err, graph.Invalid):
		return "", badParam(param, "%s must be an entity id or a name", param)
	case errors.As(err, &e) && e.Code == graph.Conflict:
		c := graph.Errorf(graph.Conflict, "%q could mean %d entities; pass one of the candidates' ids as %s", clip(v), len(e.Candidates), param)
		c.Param, c.Candidates = param, e.Candidates
		return "", c
	case errors.As(err, &e) && e.Code == graph.NotFound:
		n := *e
		n.Param = param
		return "", &n
	}
	return "", err
}

// pathsResponse is the shape of GET /v1/paths.
type pathsResponse struct {
	From  string       `json:"from"`
	To    string       `json:"to"`
	Paths []graph.Path `json:"paths"`
}

// paths answers GET /v1/paths?from=&to=&k=&max_depth=&type=&from_date=:
// the k shortest ways two entities are connected, each edge with evidence.
func (s *Server) paths(c *gin.Context) {
	var q graph.PathQuery
	var err error
	for _, p := range []struct {
		name string
		dst  *string
	}{{"from", &q.From}, {"to", &q.To}} {
		v := c.Query(p.name)
		if v == "" {
			s.fail(c, badParam(p.name, "%s (an entity id or name) is required", p.name))
			return
		}
		if *p.dst, err = s.resolve(c, p.name, v); err != nil {
			s.fail(c, err)
			return
		}
	}
	if q.K, err = intParam(c, "k", 3, 1, graph.MaxPaths); err != nil {
		s.fail(c, err)
		return
	}
	if q.MaxDepth, err = intParam(c, "max_depth", 4, 1, graph.MaxPathDepth); err != nil {
		s.fail(c, err)
		return
	}
	if q.Types, err = typesParam(c); err != nil {
		s.fail(c, err)
		return
	}
	// from and to name the ends, so the time window is since/until here.
	q.Window = graph.Window{From: c.Query("since"), To: c.Query("until")}
	for _, p := range []struct{ name, v string }{{"since", q.Window.From}, {"until", q.Window.To}} {
		if p.v != "" && !graph.ValidDate(p.v) {
			s.fail(c, badParam(p.name, "%s must be a date YYYY-MM-DD", p.name))
			return
		}
	}
	paths, err := s.store.Paths(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range paths {
		for j := range paths[i].Nodes {
			paths[i].Nodes[j] = withoutMentions(paths[i].Nodes[j])
		}
	}
	ok(c, http.StatusOK, pathsResponse{From: q.From, To: q.To, Paths: nonNil(paths)})
}
