package export

import (
	"encoding/xml"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
)

// The GEXF as a reader sees it; Unmarshal checks the namespace.
type readGEXF struct {
	XMLName xml.Name `xml:"http://gexf.net/1.3 gexf"`
	Version string   `xml:"version,attr"`
	Graph   struct {
		Mode            string `xml:"mode,attr"`
		TimeFormat      string `xml:"timeformat,attr"`
		DefaultEdgeType string `xml:"defaultedgetype,attr"`
		Attributes      []struct {
			Class string `xml:"class,attr"`
			Attrs []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
				Type  string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"attributes"`
		Nodes []readGEXFItem `xml:"nodes>node"`
		Edges []readGEXFItem `xml:"edges>edge"`
	} `xml:"graph"`
}

type readGEXFItem struct {
	ID     string `xml:"id,attr"`
	Source string `xml:"source,attr"`
	Target string `xml:"target,attr"`
	Kind   string `xml:"kind,attr"`
	Label  string `xml:"label,attr"`
	Start  string `xml:"start,attr"`
	End    string `xml:"end,attr"`
	Values []struct {
		For   string `xml:"for,attr"`
		Value string `xml:"value,attr"`
	} `xml:"attvalues>attvalue"`
}

func parseGEXF(t *testing.T, g *Graph) *readGEXF {
	t.Helper()
	var doc readGEXF
	b := write(t, WriteGEXF, g)
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("the GEXF does not parse: %v", err)
	}
	return &doc
}

// item finds a node or edge by id and returns it with its attribute
// values by title, checking each refers to a declared attribute.
func (doc *readGEXF) item(t *testing.T, class, id string) (readGEXFItem, map[string]string) {
	t.Helper()
	items := doc.Graph.Nodes
	if class == "edge" {
		items = doc.Graph.Edges
	}
	titles := map[string]string{}
	for _, a := range doc.Graph.Attributes {
		if a.Class == class {
			for _, at := range a.Attrs {
				titles[at.ID] = at.Title
			}
		}
	}
	for _, it := range items {
		if it.ID != id {
			continue
		}
		vals := map[string]string{}
		for _, v := range it.Values {
			title, ok := titles[v.For]
			if !ok {
				t.Errorf("%s %s: attvalue for %q, which no %s attribute declares", class, id, v.For, class)
			}
			vals[title] = v.Value
		}
		return it, vals
	}
	t.Fatalf("no %s %s in the GEXF", class, id)
	return readGEXFItem{}, nil
}

func TestWriteGEXF(t *testing.T) {
	_, g := selectAll(t)
	doc := parseGEXF(t, g)
	if doc.Version != "1.3" || doc.Graph.Mode != "dynamic" || doc.Graph.TimeFormat != "date" ||
		doc.Graph.DefaultEdgeType != "directed" {
		t.Errorf("version %q mode %q timeformat %q defaultedgetype %q; want 1.3, dynamic, date, directed",
			doc.Version, doc.Graph.Mode, doc.Graph.TimeFormat, doc.Graph.DefaultEdgeType)
	}
	if len(doc.Graph.Nodes) != len(g.Nodes) || len(doc.Graph.Edges) != len(g.Relations) {
		t.Errorf("%d nodes and %d edges; the graph has %d and %d",
			len(doc.Graph.Nodes), len(doc.Graph.Edges), len(g.Nodes), len(g.Relations))
	}
	types := map[string]string{}
	for _, a := range doc.Graph.Attributes {
		for _, at := range a.Attrs {
			types[a.Class+" "+at.Title] = at.Type
		}
	}
	for key, typ := range map[string]string{"node lat": "double", "node fatalities": "integer",
		"node name": "string", "edge confidence": "double", "edge evidence_count": "integer"} {
		if types[key] != typ {
			t.Errorf("%s is declared %q; want %q", key, types[key], typ)
		}
	}

	khaled, vals := doc.item(t, "node", storetest.KhaledHaftar)
	if khaled.Label != "Khaled Haftar" || vals["name_ar"] != "خالد خليفة حفتر" || vals["kind"] != "Person" {
		t.Errorf("Khaled Haftar: label %q, name_ar %q, kind %q", khaled.Label, vals["name_ar"], vals["kind"])
	}
	for _, tc := range []struct {
		what, class, id string
		start, end      string
	}{
		// Not an event: first and last seen.
		{"Khaled Haftar", "node", storetest.KhaledHaftar, "2025-10-20", "2025-10-21"},
		// A month-precision event covers the month.
		{"the cabinet meeting", "node", storetest.CabinetMeeting, "2025-03-01", "2025-03-31"},
		{"the clash", "node", storetest.TripoliClash, "2024-05-12", "2024-05-12"},
		{"a document", "node", storetest.DocStatement, "2025-10-21", "2025-10-21"},
		{"an undated entity", "node", storetest.KhalifaHaftar, "", ""},
		{"an undated event", "node", storetest.MisrataWelcome, "", ""},
		// An edge is dated by its own date where it has one, not by when
		// it was reported (evidence of 2025-10-20 and 2025-10-21).
		{"Khaled Haftar's part in the agreement", "edge",
			relationBetween(t, g, graph.ParticipatedIn, storetest.KhaledHaftar, storetest.SirteAgreement).ID,
			"2025-10-20", "2025-10-20"},
		{"Hammad's part in the cabinet meeting", "edge",
			relationBetween(t, g, graph.ParticipatedIn, storetest.OsamaHammad, storetest.CabinetMeeting).ID,
			"2025-03-01", "2025-03-31"},
		{"Hammad's position, dated by its evidence", "edge",
			relationBetween(t, g, graph.HoldsPosition, storetest.OsamaHammad, storetest.StabilityGov).ID,
			"2025-04-02", "2025-04-02"},
		{"an undated edge", "edge",
			relationBetween(t, g, graph.LocatedIn, storetest.Misrata, storetest.Libya).ID, "", ""},
	} {
		it, _ := doc.item(t, tc.class, tc.id)
		if it.Start != tc.start || it.End != tc.end {
			t.Errorf("%s lives %q to %q; want %q to %q", tc.what, it.Start, it.End, tc.start, tc.end)
		}
	}

	r := relationBetween(t, g, graph.HoldsPosition, storetest.KhalifaHaftar, storetest.GeneralCommand)
	edge, vals := doc.item(t, "edge", r.ID)
	if edge.Source != r.From || edge.Target != r.To || edge.Kind != "HOLDS_POSITION" || edge.Label != "HOLDS_POSITION" ||
		vals["title"] != "commander" || vals["id"] != r.ID || vals["evidence_count"] != "1" {
		t.Errorf("Khalifa Haftar's position: %+v %v", edge, vals)
	}
}

// TestWriteGEXFLabel: a node with only an Arabic name is labelled with it.
func TestWriteGEXFLabel(t *testing.T) {
	doc := parseGEXF(t, &Graph{Nodes: []graph.Entity{{ID: "a", Kind: graph.KindPerson, NameAr: "خليفة حفتر"}}})
	if n, _ := doc.item(t, "node", "a"); n.Label != "خليفة حفتر" {
		t.Errorf("label %q; want the Arabic name", n.Label)
	}
}

func TestInterval(t *testing.T) {
	for _, tc := range []struct{ first, last, start, end string }{
		{"2025-10-19", "2025-10-21", "2025-10-19", "2025-10-21"},
		{"2025-03", "2025-03", "2025-03-01", "2025-03-31"},
		{"2024-02", "2024-02", "2024-02-01", "2024-02-29"}, // a leap year
		{"2025-02", "2025-02", "2025-02-01", "2025-02-28"},
		{"2025-04", "2025-04", "2025-04-01", "2025-04-30"},
		{"2025", "2025", "2025-01-01", "2025-12-31"},
		{"2024-12", "2025", "2024-12-01", "2025-12-31"},
		{"2025-10-19", "", "2025-10-19", "2025-10-19"},
		{"", "2025-10", "2025-10-01", "2025-10-31"},
		{"", "", "", ""},
		{"2025-13", "2025-02-30", "", ""},
		{"October", "", "", ""},
	} {
		if start, end := interval(tc.first, tc.last); start != tc.start || end != tc.end {
			t.Errorf("interval(%q, %q) = %q, %q; want %q, %q", tc.first, tc.last, start, end, tc.start, tc.end)
		}
	}
}
