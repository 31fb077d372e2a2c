package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// resolve turns a parameter that holds an entity id or a name into an id.
// A name must pick out one entity: the best search hits tied at the top are
// the candidates, and more than one is a Conflict that lists them, so the
// client can ask again with an id.
func (s *Server) resolve(ctx context.Context, param, v string) (string, error) {
	if graph.ValidID(v) {
		return v, nil
	}
	hits, err := s.store.Search(ctx, graph.SearchQuery{Text: v, Limit: 10})
	if err != nil {
		if graph.Is(err, graph.Invalid) {
			return "", badParam(param, "%s must be an entity id or a name", param)
		}
		return "", err
	}
	if len(hits) == 0 {
		e := graph.Errorf(graph.NotFound, "no entity is named %q", clip(v))
		e.Param = param
		return "", e
	}
	var top []graph.Entity
	for _, h := range hits {
		if h.Score == hits[0].Score {
			top = append(top, withoutMentions(h.Entity))
		}
	}
	if len(top) > 1 {
		e := graph.Errorf(graph.Conflict, "%q could mean %d entities; pass one of the candidates' ids as %s", clip(v), len(top), param)
		e.Param, e.Candidates = param, top
		return "", e
	}
	return top[0].ID, nil
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
