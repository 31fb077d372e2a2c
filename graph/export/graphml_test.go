package export

import (
	"encoding/xml"
	"io"
	"maps"
	"strconv"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
)

// The GraphML as a reader sees it; Unmarshal checks the namespace.
type readGraphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string     `xml:"id,attr"`
			Data []readData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string     `xml:"id,attr"`
			Source string     `xml:"source,attr"`
			Target string     `xml:"target,attr"`
			Data   []readData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type readData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func parseGraphML(t *testing.T, b []byte) *readGraphML {
	t.Helper()
	var doc readGraphML
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("the GraphML does not parse: %v", err)
	}
	return &doc
}

// values resolves data elements to attribute names through the declared
// keys, checking that each names a key declared for its element.
func (doc *readGraphML) values(t *testing.T, what, id string, data []readData) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range data {
		found := false
		for _, k := range doc.Keys {
			if k.ID == d.Key && k.For == what {
				out[k.Name], found = d.Value, true
			}
		}
		if !found {
			t.Errorf("%s %s: data key %q is not declared for %ss", what, id, d.Key, what)
		}
		if d.Value == "" {
			t.Errorf("%s %s: %s is written empty instead of left out", what, id, d.Key)
		}
	}
	return out
}

func (doc *readGraphML) node(t *testing.T, id string) map[string]string {
	t.Helper()
	for _, n := range doc.Graph.Nodes {
		if n.ID == id {
			return doc.values(t, "node", id, n.Data)
		}
	}
	t.Fatalf("no node %s in the GraphML", id)
	return nil
}

func checkAttrs(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Errorf("%s has attributes\n%v\nwant\n%v", what, got, want)
	}
}

func TestWriteGraphML(t *testing.T) {
	_, g := selectAll(t)
	doc := parseGraphML(t, write(t, WriteGraphML, g))
	if len(doc.Graph.Nodes) != len(g.Nodes) || len(doc.Graph.Edges) != len(g.Relations) {
		t.Errorf("%d nodes and %d edges; the graph has %d and %d",
			len(doc.Graph.Nodes), len(doc.Graph.Edges), len(g.Nodes), len(g.Relations))
	}
	if doc.Graph.EdgeDefault != "directed" {
		t.Errorf("edgedefault %q; relations have a direction", doc.Graph.EdgeDefault)
	}
	types := map[string]string{}
	for _, k := range doc.Keys {
		types[k.For+" "+k.Name] = k.Type
	}
	for key, typ := range map[string]string{"node lat": "double", "node fatalities": "int", "node quad_class": "int",
		"node name_ar": "string", "edge confidence": "double", "edge evidence_count": "int", "edge date": "string"} {
		if types[key] != typ {
			t.Errorf("%s is declared %q; want %q", key, types[key], typ)
		}
	}

	khaled := node(t, g, storetest.KhaledHaftar)
	checkAttrs(t, "Khaled Haftar", doc.node(t, khaled.ID), map[string]string{
		"kind": "Person", "name": "Khaled Haftar", "name_ar": "خالد خليفة حفتر",
		"aliases": "Khaled Hifter; Khalid Haftar", "first_seen": "2025-10-20", "last_seen": "2025-10-21",
	})
	// Event data's numbers, zero fatalities included (none, not unknown).
	checkAttrs(t, "the Tripoli clash", doc.node(t, storetest.TripoliClash), map[string]string{
		"kind": "Event", "name": "Tripoli clashes", "name_ar": "اشتباكات طرابلس", "event_type": "clash",
		"date": "2024-05-12", "date_precision": "day", "cameo": "190", "quad_class": "4", "goldstein": "-10",
		"fatalities": "0", "first_seen": "2024-05-12", "last_seen": "2024-05-12",
	})
	misrata := doc.node(t, storetest.Misrata)
	if misrata["lat"] != "32.3754" || misrata["lon"] != "15.0925" || misrata["aliases"] != "Misurata" {
		t.Errorf("Misrata: lat %q lon %q aliases %q", misrata["lat"], misrata["lon"], misrata["aliases"])
	}

	r := relationBetween(t, g, graph.ParticipatedIn, storetest.KhaledHaftar, storetest.SirteAgreement)
	for _, e := range doc.Graph.Edges {
		if e.ID != r.ID {
			continue
		}
		if e.Source != r.From || e.Target != r.To {
			t.Errorf("edge %s runs %s → %s; want %s → %s", e.ID, e.Source, e.Target, r.From, r.To)
		}
		got := doc.values(t, "edge", e.ID, e.Data)
		if c, err := strconv.ParseFloat(got["confidence"], 64); err != nil || c != r.Confidence {
			t.Errorf("confidence %q; want %v", got["confidence"], r.Confidence)
		}
		delete(got, "confidence")
		checkAttrs(t, "Khaled Haftar's part in the agreement", got, map[string]string{
			"id": r.ID, "type": "PARTICIPATED_IN", "role": "party", "date": "2025-10-20", "evidence_count": "2",
			"first_seen": "2025-10-20", "last_seen": "2025-10-21",
		})
		return
	}
	t.Errorf("no edge %s", r.ID)
}

// TestWriteGraphMLEscapes: markup, quotes and characters XML cannot carry
// in names do not break the file.
func TestWriteGraphMLEscapes(t *testing.T) {
	name := `Tom & "Jerry" <b>'s</b>`
	g := &Graph{Nodes: []graph.Entity{{ID: "a", Kind: graph.KindPerson, Name: name, NameAr: "ب\x01ج"}}}
	doc := parseGraphML(t, write(t, WriteGraphML, g))
	got := doc.node(t, "a")
	if got["name"] != name || got["name_ar"] != "ب\uFFFDج" {
		t.Errorf("name %q, name_ar %q; want %q and the control character replaced", got["name"], got["name_ar"], name)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, io.ErrShortWrite
	}
	return len(p), nil
}

// TestWritersReportWriteErrors: a full disk is an error, not a short file.
func TestWritersReportWriteErrors(t *testing.T) {
	_, g := selectAll(t)
	for name, fn := range map[string]func(io.Writer, *Graph) error{
		"GraphML": WriteGraphML, "GEXF": WriteGEXF, "CSV": WriteCSV,
	} {
		for _, n := range []int{0, 100, 5000} {
			if err := fn(&failWriter{n: n}, g); err == nil {
				t.Errorf("%s into a writer that fails after %d bytes: no error", name, n)
			}
		}
	}
}
