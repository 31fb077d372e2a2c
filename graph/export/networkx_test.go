package export

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
)

// needNetworkx skips the test where python3 or networkx is missing, unless
// CI is set: CI installs networkx (.ci/run) and must run the test.
func needNetworkx(t *testing.T) {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") == "" {
			t.Skipf("%s; install it (python3 -m pip install 'networkx==3.*') to read the exports independently", what)
		}
		t.Fatalf("%s, and CI is set: CI must run this test (.ci/run installs networkx)", what)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		missing("python3 is not installed")
	}
	if out, err := exec.Command("python3", "-c", "import networkx").CombinedOutput(); err != nil {
		missing("networkx is not installed: " + string(bytes.TrimSpace(out)))
	}
}

// networkxView is what testdata/networkx_read.py prints for one format.
// Attributes are [python type name, value].
type networkxView struct {
	Nodes    int                         `json:"nodes"`
	Edges    int                         `json:"edges"`
	Directed bool                        `json:"directed"`
	Node     map[string]map[string][]any `json:"node"`
	Edge     *struct {
		Source string           `json:"source"`
		Target string           `json:"target"`
		Attrs  map[string][]any `json:"attrs"`
	} `json:"edge"`
}

// TestNetworkxReadsExports has networkx, a reader written independently of
// this package, read the GraphML and GEXF of the fixture graph, and checks
// that it finds the graph's nodes, edges and attributes, with the declared
// types.
func TestNetworkxReadsExports(t *testing.T) {
	needNetworkx(t)
	_, g := selectAll(t)
	dir := t.TempDir()
	files := map[string]func(io.Writer, *Graph) error{
		"graph.graphml": WriteGraphML,
		"graph.gexf":    WriteGEXF,
	}
	for name, fn := range files {
		if err := os.WriteFile(filepath.Join(dir, name), write(t, fn, g), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := relationBetween(t, g, graph.ParticipatedIn, storetest.KhaledHaftar, storetest.SirteAgreement)
	clash, misrata := node(t, g, storetest.TripoliClash), node(t, g, storetest.Misrata)
	cmd := exec.Command("python3", "testdata/networkx_read.py",
		filepath.Join(dir, "graph.graphml"), filepath.Join(dir, "graph.gexf"), r.ID, clash.ID, misrata.ID)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("networkx_read.py: %v\n%s", err, stderr.Bytes())
	}
	var views map[string]networkxView
	if err := json.Unmarshal(out, &views); err != nil {
		t.Fatalf("networkx_read.py printed %s: %v", out, err)
	}

	str := func(s string) []any { return []any{"str", s} }
	num := func(typ string, f float64) []any { return []any{typ, f} }
	wantClash := map[string][]any{
		"kind": str(string(clash.Kind)), "name": str(clash.Name), "name_ar": str(clash.NameAr),
		"event_type": str(clash.EventType), "date": str(clash.Date), "date_precision": str(clash.DatePrecision),
		"cameo": str(clash.Cameo), "quad_class": num("int", float64(clash.QuadClass)),
		"goldstein": num("float", *clash.Goldstein), "fatalities": num("int", float64(*clash.Fatalities)),
		"first_seen": str(clash.FirstSeen), "last_seen": str(clash.LastSeen),
	}
	wantMisrata := map[string][]any{
		"kind": str(string(misrata.Kind)), "name": str(misrata.Name), "name_ar": str(misrata.NameAr),
		"subtype": str(misrata.Subtype), "aliases": str(misrata.Aliases[0]),
		"lat": num("float", *misrata.Lat), "lon": num("float", *misrata.Lon),
	}
	wantEdge := map[string][]any{
		"id": str(r.ID), "type": str(string(r.Type)), "role": str(r.Role), "date": str(r.Date),
		"confidence": num("float", r.Confidence), "evidence_count": num("int", float64(r.EvidenceCount)),
		"first_seen": str(r.FirstSeen), "last_seen": str(r.LastSeen),
	}
	for format, extra := range map[string]struct{ clash, misrata, edge map[string][]any }{
		"graphml": {},
		// GEXF adds its label and, being dynamic, the interval.
		"gexf": {
			clash:   map[string][]any{"label": str(clash.Name), "start": str(clash.Date), "end": str(clash.Date)},
			misrata: map[string][]any{"label": str(misrata.Name)},
			edge:    map[string][]any{"label": str(string(r.Type)), "start": str(r.Date), "end": str(r.Date)},
		},
	} {
		v, ok := views[format]
		if !ok {
			t.Errorf("networkx read no %s", format)
			continue
		}
		if v.Nodes != len(g.Nodes) || v.Edges != len(g.Relations) || !v.Directed {
			t.Errorf("%s: networkx read %d nodes and %d edges (directed %v); the graph has %d and %d, directed",
				format, v.Nodes, v.Edges, v.Directed, len(g.Nodes), len(g.Relations))
		}
		for _, c := range []struct {
			what      string
			got, want map[string][]any
		}{
			{"the clash", v.Node[clash.ID], merge(wantClash, extra.clash)},
			{"Misrata", v.Node[misrata.ID], merge(wantMisrata, extra.misrata)},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%s: networkx read %s as\n%v\nwant\n%v", format, c.what, c.got, c.want)
			}
		}
		if v.Edge == nil {
			t.Errorf("%s: networkx found no edge with id %s", format, r.ID)
			continue
		}
		if v.Edge.Source != r.From || v.Edge.Target != r.To || !reflect.DeepEqual(v.Edge.Attrs, merge(wantEdge, extra.edge)) {
			t.Errorf("%s: networkx read edge %s as %s → %s %v\nwant %s → %s %v", format, r.ID,
				v.Edge.Source, v.Edge.Target, v.Edge.Attrs, r.From, r.To, merge(wantEdge, extra.edge))
		}
	}
}

func merge(a, b map[string][]any) map[string][]any {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}
