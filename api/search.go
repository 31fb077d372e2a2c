package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// searchItem is an entity with how well it matched the query.
type searchItem struct {
	graph.Entity
	Score   float64 `json:"score"`
	Matched string  `json:"matched"`
}

// searchEntities answers GET /v1/entities?q=&kind=&limit=: entities whose
// names match q in Arabic or Latin script, best first.
func (s *Server) searchEntities(c *gin.Context) {
	q := c.Query("q")
	if q == "" {
		s.fail(c, badParam("q", "q (the name to search for) is required"))
		return
	}
	kinds, err := kindsParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	limit, err := intParam(c, "limit", 20, 1, graph.MaxPageSize)
	if err != nil {
		s.fail(c, err)
		return
	}
	hits, err := s.store.Search(c, graph.SearchQuery{Text: q, Kinds: kinds, Limit: limit})
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]searchItem, 0, len(hits))
	for _, h := range hits {
		items = append(items, searchItem{Entity: withoutMentions(h.Entity), Score: h.Score, Matched: h.Matched})
	}
	ok(c, http.StatusOK, list[searchItem]{Items: items})
}
