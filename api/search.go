package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// searchItem is an entity with how well it matched the query.
type searchItem struct {
	graph.Entity
	Score   float64 `json:"score"`
	Matched string  `json:"matched"`
}

// searchEntities answers GET /v1/entities?q=&kind=&script=&fuzzy=&limit=:
// entities whose names match q, best first. script=ar|arabic|latin matches
// only the names in that script (any, the default, both); fuzzy=false turns
// off spelling variants (consonant skeletons such as Hifter for Haftar, and
// Arabic proclitics), leaving only folding (case, diacritics, tashkeel,
// letter variants, articles).
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
	script, err := scriptParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	fuzzy, err := fuzzyParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	limit, err := intParam(c, "limit", 20, 1, graph.MaxPageSize)
	if err != nil {
		s.fail(c, err)
		return
	}
	hits, err := s.store.Search(c, graph.SearchQuery{Text: q, Kinds: kinds, Limit: limit, Script: script, Exact: !fuzzy})
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

// scriptParam reads script=: ar or arabic, latin, any (the default).
func scriptParam(c *gin.Context) (string, error) {
	switch v := c.Query("script"); strings.ToLower(v) {
	case "", "any":
		return "", nil
	case "ar", "arabic":
		return graph.ScriptArabic, nil
	case "latin":
		return graph.ScriptLatin, nil
	default:
		return "", badParam("script", "script %q is not one of ar, arabic, latin, any", clip(v))
	}
}

// fuzzyParam reads fuzzy=: true (the default) or false.
func fuzzyParam(c *gin.Context) (bool, error) {
	switch v := c.Query("fuzzy"); strings.ToLower(v) {
	case "", "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, badParam("fuzzy", "fuzzy %q is not true or false", clip(v))
	}
}
