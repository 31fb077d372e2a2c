package api

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// Bounds of an annotations request. The store has no index from a
// document to the evidence citing it, so the evidence is found through the
// entities the document names and reports, by reading their relations: a
// report naming Libya would otherwise read every relation of Libya.
// Events, which have few relations and hold most of a report's facts, are
// read first. Past a bound the answer says truncated.
const (
	maxAnnotationEntities        = 2000                   // entities a document names or reports
	maxAnnotationEntityRelations = 2 * graph.MaxPageSize  // relations read per entity
	maxAnnotationRelations       = 40 * graph.MaxPageSize // relations read in all
)

// annotationsResponse is the shape of GET /v1/documents/{id}/annotations:
// what a front end needs to show a report with its entities and facts
// highlighted. Spans are rune offsets into document.text (Unicode code
// points, not bytes or UTF-16 units), as in graph.Mention and
// graph.Evidence; text is exactly that slice.
type annotationsResponse struct {
	Document graph.Document `json:"document"`
	// Language is the document's language; Direction is the direction of
	// its script, "rtl" (Arabic) or "ltr", for the dir attribute.
	Language  string               `json:"language"`
	Direction string               `json:"direction"`
	Mentions  []annotationMention  `json:"mentions"`
	Evidence  []annotationEvidence `json:"evidence"`
	Truncated bool                 `json:"truncated"`
}

// entityRef names an entity in an annotation.
type entityRef struct {
	ID     string     `json:"id"`
	Kind   graph.Kind `json:"kind"`
	Name   string     `json:"name"`
	NameAr string     `json:"name_ar,omitempty"`
}

func refOf(e *graph.Entity) entityRef {
	return entityRef{ID: e.ID, Kind: e.Kind, Name: e.Name, NameAr: e.NameAr}
}

// annotationMention is a place where the document names an entity.
type annotationMention struct {
	Entity entityRef `json:"entity"`
	Start  int       `json:"start"`
	End    int       `json:"end"`
	Text   string    `json:"text"`
}

// annotationEvidence is a piece of evidence the document gives for a
// relation: the span stating it and its sentence, and the relation.
type annotationEvidence struct {
	graph.Evidence
	Relation annotatedRelation `json:"relation"`
}

// annotatedRelation is the relation a piece of evidence supports, with its
// ends named.
type annotatedRelation struct {
	ID         string        `json:"id"`
	Type       graph.RelType `json:"type"`
	From       entityRef     `json:"from"`
	To         entityRef     `json:"to"`
	Role       string        `json:"role,omitempty"`
	Title      string        `json:"title,omitempty"`
	Confidence float64       `json:"confidence"`
}

// documentAnnotations answers GET /v1/documents/{id}/annotations.
func (s *Server) documentAnnotations(c *gin.Context) {
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
	resp := annotationsResponse{Document: d, Language: d.Language, Direction: direction(d.Language, d.Text),
		Mentions: []annotationMention{}, Evidence: []annotationEvidence{}}
	named, truncated, err := s.namedIn(c, d.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp.Truncated = truncated
	for _, e := range named {
		for _, m := range e.Mentions {
			if m.Document == d.ID {
				resp.Mentions = append(resp.Mentions, annotationMention{Entity: refOf(&e), Start: m.Start, End: m.End, Text: m.Text})
			}
		}
	}
	if resp.Evidence, truncated, err = s.evidenceIn(c, d.ID, named); err != nil {
		s.fail(c, err)
		return
	}
	resp.Truncated = resp.Truncated || truncated
	slices.SortFunc(resp.Mentions, func(a, b annotationMention) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Entity.ID, b.Entity.ID))
	})
	slices.SortFunc(resp.Evidence, func(a, b annotationEvidence) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End),
			cmp.Compare(a.Relation.ID, b.Relation.ID), cmp.Compare(a.ID, b.ID))
	})
	ok(c, http.StatusOK, resp)
}

// namedIn returns the entities a document names (MENTIONS) or reports
// (REPORTS), events first, then by id.
func (s *Server) namedIn(ctx context.Context, doc string) ([]graph.Entity, bool, error) {
	q := graph.RelationQuery{Entity: doc, Direction: graph.Outgoing, Types: []graph.RelType{graph.Mentions, graph.Reports},
		Limit: graph.MaxPageSize, WithMentions: true}
	seen := map[string]bool{}
	var out []graph.Entity
	truncated := false
	for {
		page, err := s.store.Relations(ctx, q)
		if err != nil {
			return nil, false, err
		}
		for _, r := range page.Items {
			if r.Other != nil && !seen[r.Other.ID] {
				seen[r.Other.ID] = true
				out = append(out, *r.Other)
			}
		}
		if page.Next == "" {
			break
		}
		if len(out) >= maxAnnotationEntities {
			truncated = true
			break
		}
		q.Cursor = page.Next
	}
	slices.SortFunc(out, func(a, b graph.Entity) int {
		return cmp.Or(cmp.Compare(rank(a.Kind), rank(b.Kind)), cmp.Compare(a.ID, b.ID))
	})
	return out, truncated, nil
}

func rank(k graph.Kind) int {
	if k == graph.KindEvent {
		return 0
	}
	return 1
}

// evidenceIn finds the evidence citing doc among the relations of the
// entities it names, each relation once.
func (s *Server) evidenceIn(ctx context.Context, doc string, named []graph.Entity) ([]annotationEvidence, bool, error) {
	out := []annotationEvidence{}
	seen := map[string]bool{}
	read, truncated := 0, false
	for i := range named {
		e := &named[i]
		q := graph.RelationQuery{Entity: e.ID, Types: graph.TraversalTypes(nil), Limit: graph.MaxPageSize}
		for n := 0; ; {
			page, err := s.store.Relations(ctx, q)
			if err != nil {
				return nil, false, err
			}
			for _, r := range page.Items {
				if seen[r.ID] || r.Other == nil {
					continue
				}
				seen[r.ID] = true
				from, to := refOf(e), refOf(r.Other)
				if r.From != e.ID {
					from, to = to, from
				}
				rel := annotatedRelation{ID: r.ID, Type: r.Type, From: from, To: to, Role: r.Role, Title: r.Title,
					Confidence: r.Confidence}
				for _, ev := range r.Evidence {
					if ev.Document == doc {
						out = append(out, annotationEvidence{Evidence: ev, Relation: rel})
					}
				}
			}
			n += len(page.Items)
			read += len(page.Items)
			if page.Next == "" {
				break
			}
			if read >= maxAnnotationRelations {
				return out, true, nil
			}
			if n >= maxAnnotationEntityRelations {
				// A relation cited here has two ends, and the other one,
				// likely less connected, may still find it.
				truncated = true
				break
			}
			q.Cursor = page.Next
		}
	}
	return out, truncated, nil
}

// rtlLanguages are the languages, by ISO 639 code, written right to left
// in the scripts news in them uses.
var rtlLanguages = map[string]bool{"ar": true, "arc": true, "ckb": true, "dv": true, "fa": true, "he": true,
	"ps": true, "sd": true, "syr": true, "ug": true, "ur": true, "yi": true}

// direction is the text direction of a document: from its language where
// known, else from the first letter of its text.
func direction(lang, text string) string {
	if lang != "" {
		primary, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(lang, "_", "-")), "-")
		if rtlLanguages[primary] {
			return "rtl"
		}
		return "ltr"
	}
	for _, r := range text {
		if unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana) {
			return "rtl"
		}
		if unicode.IsLetter(r) {
			return "ltr"
		}
	}
	return "ltr"
}
