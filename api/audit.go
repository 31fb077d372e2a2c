package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// audit answers GET /v1/audit?entity=&since=&limit=: analysts' edits,
// oldest first. entity is an id (a deleted or merged-away entity still
// has its records) or a name; since is the next of the previous page.
func (s *Server) audit(c *gin.Context) {
	var q graph.AuditQuery
	if v := c.Query("entity"); v != "" {
		id, err := s.resolve(c, "entity", v)
		if err != nil {
			s.fail(c, err)
			return
		}
		q.Entity = id
	}
	if v := c.Query("since"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			s.fail(c, badParam("since", "since must be an audit sequence number (the next of a previous page)"))
			return
		}
		q.Since = n
	}
	var err error
	if q.Limit, err = intParam(c, "limit", 50, 1, graph.MaxPageSize); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.store.Audit(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	// As in other lists: an entity's mentions are on GET /v1/entities/{id}.
	for i := range page.Items {
		for _, e := range []**graph.Entity{&page.Items[i].Before, &page.Items[i].After} {
			if *e != nil {
				trimmed := withoutMentions(**e)
				*e = &trimmed
			}
		}
	}
	// next is a decimal string, as the change feed's: every list's next is
	// a string a client passes back as it is.
	ok(c, http.StatusOK, list[graph.AuditRecord]{Items: nonNil(page.Items), Next: strconv.FormatUint(page.Next, 10)})
}
