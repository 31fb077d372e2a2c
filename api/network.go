package api

import (
	"bytes"
	"cmp"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/export"
)

// maxExclude bounds exclude=: a front end showing a full network of
// graph.MaxNetworkNodes nodes and as many relations again lists about
// 4,000 ids, some 150 KB of query string, within the 256 KiB of headers
// polgraph serve reads (MaxHeaderBytes).
const maxExclude = 2 * graph.MaxNetworkNodes

// networkFormats are the values of format=, each with its content type.
var networkFormats = map[string]string{
	"json":      "application/json; charset=utf-8",
	"cytoscape": "application/json; charset=utf-8",
	"nvl":       "application/json; charset=utf-8",
	"graphml":   "application/graphml+xml",
	"gexf":      "application/gexf+xml",
}

// entityNetwork answers GET /v1/entities/{id}/network: the ego network
// (depth, node budget limit, kinds, types, window) as plain JSON, as
// Cytoscape.js elements (format=cytoscape), as Neo4j NVL nodes and
// relationships (format=nvl), or as a GraphML or GEXF file.
//
// exclude= lists the ids of nodes and relations the client already shows,
// so that a front end expanding a node receives only what is new: the
// network is computed as without exclude=, then the excluded nodes and
// relations are left out of the answer. Relations between a new node and
// an excluded one are kept (they are not excluded themselves), so the new
// node can be attached to what is shown; they then name a node the answer
// does not hold, in every format (in GraphML and GEXF too, whose readers
// add such an end as a bare node).
//
// The node budget (limit) counts new nodes only: a client that shows 100
// nodes and asks for 20 more gets up to 20 it does not have, not 20 minus
// the ones it has. The store is asked for limit plus the number of ids
// excluded (at most graph.MaxNetworkNodes), which covers every excluded
// node the walk could reach before the limit-th new one; then new nodes
// are kept, nearest first and by id within a depth as Store.Network orders
// them, up to limit. truncated says the budget, the store's or ours, cut
// the network short.
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
	if _, known := networkFormats[format]; !known {
		s.fail(c, badParam("format", "format must be json, cytoscape, nvl, graphml or gexf"))
		return
	}
	exclude, err := idsParam(c, "exclude", maxExclude)
	if err != nil {
		s.fail(c, err)
		return
	}
	budget := q.Limit
	q.Limit = min(budget+len(exclude), graph.MaxNetworkNodes)
	n, err := s.store.Network(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	n = excludeShown(n, exclude, budget)
	for i := range n.Nodes {
		n.Nodes[i] = withoutMentions(n.Nodes[i])
	}
	switch format {
	case "cytoscape":
		ok(c, http.StatusOK, toCytoscape(n))
	case "nvl":
		ok(c, http.StatusOK, toNVL(n))
	case "graphml", "gexf":
		write := export.WriteGraphML
		if format == "gexf" {
			write = export.WriteGEXF
		}
		var buf bytes.Buffer
		if err := write(&buf, &export.Graph{Nodes: n.Nodes, Relations: n.Relations}); err != nil {
			s.fail(c, err)
			return
		}
		c.Data(http.StatusOK, networkFormats[format], buf.Bytes())
	default:
		ok(c, http.StatusOK, n)
	}
}

// excludeShown leaves out of n the nodes and relations whose ids are in
// exclude, and cuts the new nodes to budget, keeping n's order; relations
// stay if neither end was cut for the budget. See entityNetwork.
func excludeShown(n graph.Network, exclude []string, budget int) graph.Network {
	shown := make(map[string]bool, len(exclude))
	for _, id := range exclude {
		shown[id] = true
	}
	out := graph.Network{Nodes: []graph.Entity{}, Relations: []graph.Relation{}, Truncated: n.Truncated}
	cut := map[string]bool{}
	for _, e := range n.Nodes {
		switch {
		case shown[e.ID]:
		case len(out.Nodes) == budget:
			cut[e.ID], out.Truncated = true, true
		default:
			out.Nodes = append(out.Nodes, e)
		}
	}
	for _, r := range n.Relations {
		if !shown[r.ID] && !cut[r.From] && !cut[r.To] {
			out.Relations = append(out.Relations, r)
		}
	}
	return out
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
		// The dates let a front end filter what it shows by a time window
		// as the API's from/to do: by the relation's own date, else the
		// span of its evidence.
		for k, v := range map[string]string{"date": r.Date, "first_seen": r.FirstSeen, "last_seen": r.LastSeen} {
			if v != "" {
				d[k] = v
			}
		}
		out.Elements.Edges = append(out.Elements.Edges, CytoscapeElement{Data: d})
	}
	return out
}

// NVL is a network as the Neo4j Visualization Library (@neo4j-nvl/base)
// takes it: new NVL(container, nodes, relationships) or
// nvl.addAndUpdateElementsInGraph(nodes, relationships). NVL reads id and
// caption of a node and id, from, to, type and caption of a relationship;
// the other members are polgraph's, for the front end's styling and
// panels.
type NVL struct {
	Nodes         []NVLNode         `json:"nodes"`
	Relationships []NVLRelationship `json:"relationships"`
	Truncated     bool              `json:"truncated"`
}

// NVLNode is an entity as an NVL node.
type NVLNode struct {
	ID        string     `json:"id"`
	Caption   string     `json:"caption"`
	Kind      graph.Kind `json:"kind"`
	Name      string     `json:"name"`
	NameAr    string     `json:"name_ar,omitempty"`
	Subtype   string     `json:"subtype,omitempty"`
	EventType string     `json:"event_type,omitempty"`
	Date      string     `json:"date,omitempty"`
}

// NVLRelationship is a relation as an NVL relationship.
type NVLRelationship struct {
	ID            string        `json:"id"`
	From          string        `json:"from"`
	To            string        `json:"to"`
	Type          graph.RelType `json:"type"`
	Caption       string        `json:"caption"`
	Role          string        `json:"role,omitempty"`
	Title         string        `json:"title,omitempty"`
	Confidence    float64       `json:"confidence"`
	EvidenceCount int           `json:"evidence_count"`
}

func toNVL(n graph.Network) NVL {
	out := NVL{Truncated: n.Truncated, Nodes: make([]NVLNode, 0, len(n.Nodes)),
		Relationships: make([]NVLRelationship, 0, len(n.Relations))}
	for _, e := range n.Nodes {
		caption := e.Name
		if caption == "" {
			caption = e.NameAr
		}
		out.Nodes = append(out.Nodes, NVLNode{ID: e.ID, Caption: caption, Kind: e.Kind, Name: e.Name,
			NameAr: e.NameAr, Subtype: e.Subtype, EventType: e.EventType, Date: e.Date})
	}
	for _, r := range n.Relations {
		// The role or title says more than the type alone: a party to an
		// agreement, a chief of staff.
		caption := string(r.Type)
		if q := cmp.Or(r.Role, r.Title); q != "" {
			caption += " (" + q + ")"
		}
		out.Relationships = append(out.Relationships, NVLRelationship{ID: r.ID, From: r.From, To: r.To,
			Type: r.Type, Caption: caption, Role: r.Role, Title: r.Title, Confidence: r.Confidence,
			EvidenceCount: r.EvidenceCount})
	}
	return out
}
