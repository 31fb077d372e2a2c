package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// healthz says the process is up; it never touches the store, so an
// orchestrator does not restart polgraph because Neo4j is down.
func (s *Server) healthz(c *gin.Context) {
	ok(c, http.StatusOK, gin.H{"status": "ok"})
}

// readier is implemented by stores that depend on a server (Neo4j); the
// embedded store is ready whenever it is open.
type readier interface {
	Ready(ctx context.Context) error
}

// readyz says whether queries can be answered now: a load balancer sends
// traffic only to replicas that answer 200.
func (s *Server) readyz(c *gin.Context) {
	if r, isReadier := s.store.(readier); isReadier {
		if err := r.Ready(c); err != nil {
			s.fail(c, err)
			return
		}
	}
	ok(c, http.StatusOK, gin.H{"status": "ready"})
}

// withoutMentions drops the mention list from an entity shown in a list:
// a much-reported actor has thousands, and GET /v1/entities/{id} has them.
func withoutMentions(e graph.Entity) graph.Entity {
	e.Mentions = nil
	return e
}

func (s *Server) getEntity(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.store.Entity(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	tag := graph.EntityETag(e)
	c.Header("ETag", tag)
	if noneMatch(c.GetHeader("If-None-Match"), tag) {
		c.Status(http.StatusNotModified)
		return
	}
	ok(c, http.StatusOK, e)
}

// entityRelations answers GET /v1/entities/{id}/relations with each
// relation's evidence and the entity at the other end.
func (s *Server) entityRelations(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q := graph.RelationQuery{Entity: id, Cursor: c.Query("cursor")}
	if q.Types, err = typesParam(c); err != nil {
		s.fail(c, err)
		return
	}
	switch d := c.Query("direction"); d {
	case "", "both":
	case "in", "out":
		q.Direction = graph.Direction(d)
	default:
		s.fail(c, badParam("direction", "direction must be in, out or both"))
		return
	}
	if q.Window, err = windowParam(c); err != nil {
		s.fail(c, err)
		return
	}
	if q.MinConfidence, err = floatParam(c, "min_confidence", 0, 1); err != nil {
		s.fail(c, err)
		return
	}
	if q.Limit, err = intParam(c, "limit", 50, 1, graph.MaxPageSize); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.store.Relations(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	docs := newSourceCache(s.store)
	var cited []string
	for i := range page.Items {
		cited = append(cited, citedBy(&page.Items[i])...)
	}
	if err := docs.prefetch(c, cited); err != nil {
		s.fail(c, err)
		return
	}
	items := make([]relationItem, 0, len(page.Items))
	for _, r := range page.Items {
		if r.Other != nil {
			trimmed := withoutMentions(*r.Other)
			r.Other = &trimmed
		}
		sources, err := docs.relationSources(c, &r)
		if err != nil {
			s.fail(c, err)
			return
		}
		items = append(items, relationItem{Relation: r, Sources: sources})
	}
	ok(c, http.StatusOK, list[relationItem]{Items: items, Next: page.Next})
}

func (s *Server) getRelation(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.store.Relation(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	docs := newSourceCache(s.store)
	if err := docs.prefetch(c, citedBy(&r)); err != nil {
		s.fail(c, err)
		return
	}
	sources, err := docs.relationSources(c, &r)
	if err != nil {
		s.fail(c, err)
		return
	}
	ok(c, http.StatusOK, relationItem{Relation: r, Sources: sources})
}

func (s *Server) events(c *gin.Context) {
	var q graph.EventQuery
	var err error
	for _, p := range []struct {
		name string
		dst  *string
	}{{"actor", &q.Actor}, {"place", &q.Place}} {
		v := c.Query(p.name)
		if v == "" {
			continue
		}
		if *p.dst, err = s.resolve(c, p.name, v); err != nil {
			s.fail(c, err)
			return
		}
	}
	q.Types = listParam(c, "type")
	q.Cursor = c.Query("cursor")
	if q.Window, err = windowParam(c); err != nil {
		s.fail(c, err)
		return
	}
	if q.Limit, err = intParam(c, "limit", 50, 1, graph.MaxPageSize); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.store.Events(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]eventItem, 0, len(page.Items))
	docs := newSourceCache(s.store)
	for _, e := range page.Items {
		item, err := s.describeEvent(c, e, docs)
		if err != nil {
			s.fail(c, err)
			return
		}
		items = append(items, item)
	}
	ok(c, http.StatusOK, list[eventItem]{Items: items, Next: page.Next})
}

func (s *Server) stats(c *gin.Context) {
	st, err := s.store.Stats(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ok(c, http.StatusOK, st)
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
