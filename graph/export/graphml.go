package export

import (
	"encoding/xml"
	"io"
)

type graphmlDoc struct {
	XMLName xml.Name     `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []graphmlKey `xml:"key"`
	Graph   graphmlGraph `xml:"graph"`
}

type graphmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphmlGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Nodes       []graphmlNode `xml:"node"`
	Edges       []graphmlEdge `xml:"edge"`
}

type graphmlNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphmlData `xml:"data"`
}

type graphmlEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphmlData `xml:"data"`
}

type graphmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// WriteGraphML writes g as a directed GraphML graph: one node per entity,
// one edge per relation with the relation's id, and the attributes of
// nodeAttrs and edgeAttrs as declared keys. Key ids are the attribute
// names prefixed n_ or e_, since GraphML wants them unique across nodes
// and edges and both have a date. Absent values have no data element, as
// GraphML means them to.
func WriteGraphML(w io.Writer, g *Graph) error {
	doc := graphmlDoc{Graph: graphmlGraph{ID: "polgraph", EdgeDefault: "directed"}}
	for _, a := range nodeAttrs {
		doc.Keys = append(doc.Keys, graphmlKey{ID: "n_" + a.name, For: "node", Name: a.name, Type: a.typ.graphml()})
	}
	for _, a := range edgeAttrs {
		doc.Keys = append(doc.Keys, graphmlKey{ID: "e_" + a.name, For: "edge", Name: a.name, Type: a.typ.graphml()})
	}
	for i := range g.Nodes {
		e := &g.Nodes[i]
		doc.Graph.Nodes = append(doc.Graph.Nodes, graphmlNode{ID: e.ID, Data: graphmlValues("n_", nodeAttrs, e)})
	}
	for i := range g.Relations {
		r := &g.Relations[i]
		doc.Graph.Edges = append(doc.Graph.Edges, graphmlEdge{ID: r.ID, Source: r.From, Target: r.To,
			Data: graphmlValues("e_", edgeAttrs, r)})
	}
	return writeXML(w, doc)
}

func graphmlValues[T any](prefix string, attrs []attr[T], v *T) []graphmlData {
	var out []graphmlData
	for _, a := range attrs {
		if s := a.get(v); s != "" {
			out = append(out, graphmlData{Key: prefix + a.name, Value: s})
		}
	}
	return out
}

// writeXML writes doc after the XML declaration, indented so that a person
// can read and diff it. encoding/xml escapes every value, and replaces the
// characters XML cannot carry.
func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
