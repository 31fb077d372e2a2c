package export

import (
	"encoding/xml"
	"io"
	"time"

	"github.com/polgraph/polgraph/graph"
)

type gexfDoc struct {
	XMLName xml.Name  `xml:"http://gexf.net/1.3 gexf"`
	Version string    `xml:"version,attr"`
	Graph   gexfGraph `xml:"graph"`
}

type gexfGraph struct {
	Mode            string           `xml:"mode,attr"`
	DefaultEdgeType string           `xml:"defaultedgetype,attr"`
	TimeFormat      string           `xml:"timeformat,attr"`
	Attributes      []gexfAttributes `xml:"attributes"`
	Nodes           []gexfNode       `xml:"nodes>node"`
	Edges           []gexfEdge       `xml:"edges>edge"`
}

type gexfAttributes struct {
	Class string          `xml:"class,attr"`
	Attrs []gexfAttribute `xml:"attribute"`
}

type gexfAttribute struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfNode struct {
	ID     string         `xml:"id,attr"`
	Label  string         `xml:"label,attr,omitempty"`
	Start  string         `xml:"start,attr,omitempty"`
	End    string         `xml:"end,attr,omitempty"`
	Values []gexfAttValue `xml:"attvalues>attvalue"`
}

type gexfEdge struct {
	ID     string         `xml:"id,attr"`
	Source string         `xml:"source,attr"`
	Target string         `xml:"target,attr"`
	Kind   string         `xml:"kind,attr"`
	Label  string         `xml:"label,attr"`
	Start  string         `xml:"start,attr,omitempty"`
	End    string         `xml:"end,attr,omitempty"`
	Values []gexfAttValue `xml:"attvalues>attvalue"`
}

type gexfAttValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

// WriteGEXF writes g as a dynamic, directed GEXF 1.3 graph for Gephi's
// timeline. Nodes are labelled with their name (or Arabic name) and carry
// the attributes of nodeAttrs; edges carry the relation's id, its type as
// label and as GEXF kind (so Gephi keeps parallel relations of different
// types apart), and edgeAttrs.
//
// A node lives from its date (events, documents) or else from its
// first_seen to its last_seen; an edge over the dates graph.Relation.Span
// gives it, which are the ones time windows filter on. timeformat="date"
// wants whole dates, so a coarse date covers its period: 2025-03 starts on
// 2025-03-01 and ends on 2025-03-31. Undated nodes and edges have no start
// or end, which GEXF reads as always present.
func WriteGEXF(w io.Writer, g *Graph) error {
	gr := gexfGraph{Mode: "dynamic", DefaultEdgeType: "directed", TimeFormat: "date"}
	nodeClass := gexfAttributes{Class: "node"}
	for _, a := range nodeAttrs {
		nodeClass.Attrs = append(nodeClass.Attrs, gexfAttribute{ID: a.name, Title: a.name, Type: a.typ.gexf()})
	}
	edgeClass := gexfAttributes{Class: "edge"}
	for _, a := range edgeAttrs {
		edgeClass.Attrs = append(edgeClass.Attrs, gexfAttribute{ID: a.name, Title: a.name, Type: a.typ.gexf()})
	}
	gr.Attributes = []gexfAttributes{nodeClass, edgeClass}
	for i := range g.Nodes {
		e := &g.Nodes[i]
		first, last := e.FirstSeen, e.LastSeen
		if e.Date != "" {
			first, last = e.Date, e.Date
		}
		start, end := interval(first, last)
		gr.Nodes = append(gr.Nodes, gexfNode{ID: e.ID, Label: label(e), Start: start, End: end,
			Values: gexfValues(nodeAttrs, e)})
	}
	for i := range g.Relations {
		r := &g.Relations[i]
		start, end := interval(r.Span())
		gr.Edges = append(gr.Edges, gexfEdge{ID: r.ID, Source: r.From, Target: r.To, Kind: string(r.Type),
			Label: string(r.Type), Start: start, End: end, Values: gexfValues(edgeAttrs, r)})
	}
	return writeXML(w, gexfDoc{Version: "1.3", Graph: gr})
}

func gexfValues[T any](attrs []attr[T], v *T) []gexfAttValue {
	var out []gexfAttValue
	for _, a := range attrs {
		if s := a.get(v); s != "" {
			out = append(out, gexfAttValue{For: a.name, Value: s})
		}
	}
	return out
}

// interval turns a span of dates (YYYY, YYYY-MM or YYYY-MM-DD) into whole
// dates: the first day of first's period and the last day of last's.
// A missing side takes the other's; a date that does not parse is left
// out rather than written as something GEXF readers reject.
func interval(first, last string) (start, end string) {
	if first == "" {
		first = last
	}
	if last == "" {
		last = first
	}
	const day = "2006-01-02"
	if t, ok := parsePeriod(first); ok {
		start = t.Format(day)
	}
	if t, ok := parsePeriod(last); ok {
		switch len(last) {
		case 4:
			t = t.AddDate(1, 0, -1)
		case 7:
			t = t.AddDate(0, 1, -1)
		}
		end = t.Format(day)
	}
	return start, end
}

// parsePeriod reads the first day of a date's period.
func parsePeriod(d string) (time.Time, bool) {
	if !graph.ValidDate(d) {
		return time.Time{}, false
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(d)]
	t, err := time.Parse(layout, d)
	return t, err == nil
}
