package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// entityNetwork answers GET /v1/entities/{id}/network: the ego network as
// plain JSON, or as Cytoscape.js elements with format=cytoscape.
func (s *Server) entityNetwork(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q := graph.NetworkQuery{Entity: id}
	if q.Depth, err = intParam(c, "depth", 1, 1, graph.MaxNetworkDepth); err != nil {
		s.fail(c, err)
		return
	}
	if q.Limit, err = intParam(c, "limit", 100, 1, graph.MaxNetworkNodes); err != nil {
		s.fail(c, err)
		return
	}
	if q.Kinds, err = kindsParam(c); err != nil {
		s.fail(c, err)
		return
	}
	if q.Types, err = typesParam(c); err != nil {
		s.fail(c, err)
		return
	}
	if q.Window, err = windowParam(c); err != nil {
		s.fail(c, err)
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "cytoscape" {
		s.fail(c, badParam("format", "format must be json or cytoscape"))
		return
	}
	n, err := s.store.Network(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range n.Nodes {
		n.Nodes[i] = withoutMentions(n.Nodes[i])
	}
	n.Nodes, n.Relations = nonNil(n.Nodes), nonNil(n.Relations)
	if format == "cytoscape" {
		ok(c, http.StatusOK, toCytoscape(n))
		return
	}
	ok(c, http.StatusOK, n)
}

// Cytoscape is the elements JSON Cytoscape.js loads with cy.add or
// cytoscape({elements}).
type Cytoscape struct {
	Elements  CytoscapeElements `json:"elements"`
	Truncated bool              `json:"truncated"`
}

// CytoscapeElements holds nodes and edges, each wrapped in a data object.
type CytoscapeElements struct {
	Nodes []CytoscapeElement `json:"nodes"`
	Edges []CytoscapeElement `json:"edges"`
}

// CytoscapeElement is one node or edge.
type CytoscapeElement struct {
	Data map[string]any `json:"data"`
}

func toCytoscape(n graph.Network) Cytoscape {
	out := Cytoscape{Truncated: n.Truncated, Elements: CytoscapeElements{
		Nodes: make([]CytoscapeElement, 0, len(n.Nodes)),
		Edges: make([]CytoscapeElement, 0, len(n.Relations)),
	}}
	for _, e := range n.Nodes {
		d := map[string]any{"id": e.ID, "label": e.Name, "kind": string(e.Kind)}
		if e.NameAr != "" {
			d["label_ar"] = e.NameAr
		}
		if e.Subtype != "" {
			d["subtype"] = e.Subtype
		}
		if e.EventType != "" {
			d["event_type"] = e.EventType
		}
		if e.Date != "" {
			d["date"] = e.Date
		}
		out.Elements.Nodes = append(out.Elements.Nodes, CytoscapeElement{Data: d})
	}
	for _, r := range n.Relations {
		d := map[string]any{"id": r.ID, "source": r.From, "target": r.To, "label": string(r.Type),
			"confidence": r.Confidence, "evidence_count": r.EvidenceCount}
		if r.Role != "" {
			d["role"] = r.Role
		}
		if r.Title != "" {
			d["title"] = r.Title
		}
		out.Elements.Edges = append(out.Elements.Edges, CytoscapeElement{Data: d})
	}
	return out
}
