package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

func (s *Server) getDocument(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.store.Document(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	ok(c, http.StatusOK, d)
}

// ingestResponse is what POST /v1/documents returns: what was extracted
// (the extraction JSON) and what it changed in the store.
type ingestResponse struct {
	Document string            `json:"document"`
	Result   graph.ApplyResult `json:"result"`
	// Merged lists the events of this report found to be events other
	// reports already told, and merged into them.
	Merged     []graph.MergeRecord `json:"merged"`
	Extraction *graph.Batch        `json:"extraction"`
}

// postDocument ingests one article in the corpus JSON format. Posting the
// same article again changes nothing and answers 200 instead of 201.
func (s *Server) postDocument(c *gin.Context) {
	var a ingest.Article
	if err := s.decodeBody(c, &a, jsonTypes...); err != nil {
		s.fail(c, err)
		return
	}
	if strings.TrimSpace(a.Text) == "" {
		s.fail(c, badParam("text", "text is required"))
		return
	}
	b, err := s.pipeline().Extract(c, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, merges, err := ingest.Store(c, s.store, b)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.prom.articleIngested(res, nil)
	if merges == nil {
		merges = []graph.MergeRecord{}
	}
	status := http.StatusOK
	if res.Created > 0 || res.Updated > 0 {
		status = http.StatusCreated
	}
	docID := ""
	if len(b.Documents) > 0 {
		docID = b.Documents[0].ID
	}
	ok(c, status, ingestResponse{Document: docID, Result: res, Merged: merges, Extraction: b})
}

// unsupportedMedia is an HTTP-only code.
const unsupportedMedia graph.Code = "unsupported_media_type"
