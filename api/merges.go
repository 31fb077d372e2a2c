package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// mergeRequest is the body of POST /v1/merges: two entities, each by id or
// by a name that picks out one entity, as /v1/paths takes them.
type mergeRequest struct {
	Keep   string `json:"keep"`
	Drop   string `json:"drop"`
	Reason string `json:"reason"`
}

// postMerge answers POST /v1/merges: drop is folded into keep (its names
// become keep's aliases, its relations move to keep, its id leads to
// keep from now on) and the merge is recorded so DELETE /v1/merges/{drop}
// can undo it.
func (s *Server) postMerge(c *gin.Context) {
	var req mergeRequest
	if err := s.decodeBody(c, &req, jsonTypes...); err != nil {
		s.fail(c, err)
		return
	}
	var keep, drop string
	for _, p := range []struct {
		name, v string
		dst     *string
	}{{"keep", req.Keep, &keep}, {"drop", req.Drop, &drop}} {
		if p.v == "" {
			s.fail(c, badParam(p.name, "%s (an entity id or name) is required", p.name))
			return
		}
		id, err := s.resolve(c, p.name, p.v)
		if err != nil {
			s.fail(c, err)
			return
		}
		*p.dst = id
	}
	edit := graph.Edit{Op: graph.EditMerge, ID: drop, Into: keep, Actor: actorOf(c), Reason: req.Reason}
	// The version is the dropped entity's: what the merge takes away.
	var err error
	if edit.IfMatch, err = s.ifMatch(c, drop); err != nil {
		s.fail(c, err)
		return
	}
	rec, err := s.store.Edit(c, edit)
	if err != nil {
		s.fail(c, err)
		return
	}
	m := mergeRecord{Keep: rec.Into, Drop: rec.Entity, At: rec.At, Relations: rec.Relations, Undo: "/v1/merges/" + rec.Entity}
	if rec.Before != nil {
		m.Dropped = *rec.Before
	}
	ok(c, http.StatusOK, mergeResponse{Audit: rec, Merge: m})
}

// mergeResponse is what POST /v1/merges returns: the audit record of the
// merge and the merge itself.
type mergeResponse struct {
	Audit graph.AuditRecord `json:"audit"`
	Merge mergeRecord       `json:"merge"`
}

// mergeRecord is a merge as a client sees it: which entity went into
// which, what the dropped one was, and how to undo it. (The store's
// graph.MergeRecord also holds every relation as it was, for undoing.)
type mergeRecord struct {
	Keep    string       `json:"keep"`
	Drop    string       `json:"drop"`
	Dropped graph.Entity `json:"dropped"` // as it was before the merge
	At      time.Time    `json:"at"`
	// Relations counts the relations the merge moved, combined or removed.
	Relations int `json:"relations"`
	// Undo is the path to DELETE to undo the merge.
	Undo string `json:"undo"`
}

// deleteMerge answers DELETE /v1/merges/{id}?reason=, id being the entity
// merged away: it comes back as it was, with the relations it brought,
// and the kept entity loses what the merge gave it.
func (s *Server) deleteMerge(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rec, err := s.store.Edit(c, graph.Edit{Op: graph.EditUnmerge, ID: id, Actor: actorOf(c), Reason: c.Query("reason")})
	if err != nil {
		s.fail(c, err)
		return
	}
	ok(c, http.StatusOK, rec)
}
