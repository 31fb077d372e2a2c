package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// routes lists every route in one place.
func (s *Server) routes() {
	r := s.engine
	r.NoRoute(func(c *gin.Context) {
		s.fail(c, graph.Errorf(graph.NotFound, "no route for %s %s", clip(c.Request.Method), clip(c.Request.URL.Path)))
	})
	r.NoMethod(func(c *gin.Context) {
		c.Header("Allow", allowed(r, c.Request.URL.Path))
		s.fail(c, &graph.Error{Code: methodNotAllowed, Message: "method " + c.Request.Method + " is not allowed here"})
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metrics)
	r.GET("/openapi.json", s.openAPI)
	r.GET("/docs", s.apiReference)
	r.GET("/docs/*file", s.apiReferenceAsset)
	r.GET("/", s.explorerPage)
	r.GET("/explorer/*file", s.explorerAsset)

	v1 := r.Group("/v1")
	v1.GET("/entities", s.searchEntities)
	v1.POST("/entities", s.createEntity)
	v1.GET("/entities/:id", s.getEntity)
	v1.PATCH("/entities/:id", s.updateEntity)
	v1.DELETE("/entities/:id", s.deleteEntity)
	v1.POST("/entities/:id/aliases", s.addAlias)
	v1.DELETE("/entities/:id/aliases/:alias", s.removeAlias)
	v1.GET("/entities/:id/relations", s.entityRelations)
	v1.GET("/entities/:id/network", s.entityNetwork)
	v1.GET("/entities/:id/common", s.commonNeighbours)
	v1.GET("/entities/:id/timeline", s.entityTimeline)
	v1.POST("/merges", s.postMerge)
	v1.DELETE("/merges/:id", s.deleteMerge)
	v1.GET("/audit", s.audit)
	v1.GET("/relations/:id", s.getRelation)
	v1.GET("/paths", s.paths)
	v1.GET("/events", s.events)
	v1.GET("/documents/:id", s.getDocument)
	v1.GET("/documents/:id/annotations", s.documentAnnotations)
	v1.POST("/documents", s.postDocument)
	v1.GET("/gazetteer", s.getGazetteer)
	v1.POST("/gazetteer", s.postGazetteer)
	v1.GET("/stats", s.stats)
	v1.GET("/changes", s.changes)
	v1.GET("/changes/stream", s.changeStream)
	v1.POST(importRoute[len("/v1"):], s.postImport)
	v1.GET("/jobs/:id", s.getJob)
}

// importRoute takes files to import; its uploads have their own limits.
const importRoute = "/v1/imports/:format"

// streamRoute is the change feed as Server-Sent Events: long-lived.
const streamRoute = "/v1/changes/stream"

// uploadTimeout bounds how long an upload to importRoute may take.
const uploadTimeout = 30 * time.Minute

// methodNotAllowed is an HTTP-only code: the graph never produces it.
const methodNotAllowed graph.Code = "method_not_allowed"

// allowed lists the methods registered for a path, for the Allow header.
func allowed(r *gin.Engine, path string) string {
	out := ""
	for _, rt := range r.Routes() {
		if matchPath(rt.Path, path) {
			if out != "" {
				out += ", "
			}
			out += rt.Method
		}
	}
	return out
}

// matchPath matches a gin route pattern with :params against a path.
// A *catch-all matches the rest of the path, if there is any.
func matchPath(pattern, path string) bool {
	ps, qs := splitPath(pattern), splitPath(path)
	for i, p := range ps {
		if len(p) > 0 && p[0] == '*' {
			return len(qs) > i
		}
		if i >= len(qs) || p != qs[i] && (len(p) == 0 || p[0] != ':') {
			return false
		}
	}
	return len(ps) == len(qs)
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			if i > start {
				out = append(out, p[start:i])
			}
			start = i + 1
		}
	}
	return out
}
