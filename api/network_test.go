package api_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
)

// netView is a network as any format shows it: node ids, and relation ids
// with their ends.
type netView struct {
	nodes     map[string]bool
	edges     map[string][2]string
	truncated bool
}

// The GraphML and GEXF as a reader sees them, enough to compare ids.
type (
	xmlEdge struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
	}
	xmlNode struct {
		ID string `xml:"id,attr"`
	}
	graphmlFile struct {
		XMLName xml.Name  `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
		Nodes   []xmlNode `xml:"graph>node"`
		Edges   []xmlEdge `xml:"graph>edge"`
	}
	gexfFile struct {
		XMLName xml.Name  `xml:"http://gexf.net/1.3 gexf"`
		Nodes   []xmlNode `xml:"graph>nodes>node"`
		Edges   []xmlEdge `xml:"graph>edges>edge"`
	}
)

var networkContentTypes = map[string]string{
	"json": "application/json", "cytoscape": "application/json", "nvl": "application/json",
	"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
}

// fetchNetwork gets a network in a format and reads it into a netView,
// checking the content type and that no element comes twice.
func fetchNetwork(t *testing.T, u, format string) netView {
	t.Helper()
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	u += sep + "format=" + format
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, raw)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, networkContentTypes[format]) {
		t.Errorf("format %s: Content-Type %q", format, ct)
	}
	v := netView{nodes: map[string]bool{}, edges: map[string][2]string{}}
	node := func(id string) {
		if v.nodes[id] {
			t.Errorf("format %s: node %s twice", format, id)
		}
		v.nodes[id] = true
	}
	edge := func(id, from, to string) {
		if _, dup := v.edges[id]; dup {
			t.Errorf("format %s: edge %s twice", format, id)
		}
		v.edges[id] = [2]string{from, to}
	}
	unmarshal := func(out any) {
		t.Helper()
		var err error
		if strings.HasPrefix(networkContentTypes[format], "application/json") {
			err = json.Unmarshal(raw, out)
		} else {
			err = xml.Unmarshal(raw, out)
		}
		if err != nil {
			t.Fatalf("format %s: %v: %s", format, err, raw)
		}
	}
	switch format {
	case "json":
		var n graph.Network
		unmarshal(&n)
		for _, e := range n.Nodes {
			node(e.ID)
		}
		for _, r := range n.Relations {
			edge(r.ID, r.From, r.To)
		}
		v.truncated = n.Truncated
	case "cytoscape":
		var cy api.Cytoscape
		unmarshal(&cy)
		for _, e := range cy.Elements.Nodes {
			node(e.Data["id"].(string))
		}
		for _, e := range cy.Elements.Edges {
			edge(e.Data["id"].(string), e.Data["source"].(string), e.Data["target"].(string))
		}
		v.truncated = cy.Truncated
	case "nvl":
		var n api.NVL
		unmarshal(&n)
		for _, e := range n.Nodes {
			if e.Caption == "" {
				t.Errorf("nvl node %s without a caption", e.ID)
			}
			node(e.ID)
		}
		for _, r := range n.Relationships {
			if r.Caption == "" || r.Type == "" {
				t.Errorf("nvl relationship %s without caption or type", r.ID)
			}
			edge(r.ID, r.From, r.To)
		}
		v.truncated = n.Truncated
	case "graphml":
		var g graphmlFile
		unmarshal(&g)
		for _, e := range g.Nodes {
			node(e.ID)
		}
		for _, r := range g.Edges {
			edge(r.ID, r.Source, r.Target)
		}
	case "gexf":
		var g gexfFile
		unmarshal(&g)
		for _, e := range g.Nodes {
			node(e.ID)
		}
		for _, r := range g.Edges {
			edge(r.ID, r.Source, r.Target)
		}
	}
	return v
}

var networkFormats = []string{"json", "cytoscape", "nvl", "graphml", "gexf"}

// shownIDs is what a front end showing v would pass as exclude=.
func (v netView) shownIDs() []string {
	ids := slices.Collect(maps.Keys(v.nodes))
	return append(ids, slices.Collect(maps.Keys(v.edges))...)
}

func TestNetworkFormatsAgree(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *httptest.Server, _ graph.Store) {
		haftar := searchOne(t, srv.URL, "Khaled Haftar")
		u := srv.URL + "/v1/entities/" + haftar.ID + "/network?depth=2"
		want := fetchNetwork(t, u, "json")
		if len(want.nodes) < 3 || len(want.edges) < 2 || !want.nodes[haftar.ID] {
			t.Fatalf("the network is too small to test: %d nodes, %d edges", len(want.nodes), len(want.edges))
		}
		for _, f := range networkFormats[1:] {
			got := fetchNetwork(t, u, f)
			if !maps.Equal(got.nodes, want.nodes) || !maps.Equal(got.edges, want.edges) {
				t.Errorf("format %s: nodes %v edges %v, want those of json: %v %v", f, got.nodes, got.edges, want.nodes, want.edges)
			}
		}
		var p api.Problem
		if status := get(t, u+"&format=dot", &p); status != 400 || p.Param != "format" {
			t.Errorf("format=dot: status %d param %q", status, p.Param)
		}
	})
}

// TestNetworkExpandWithExclude plays a front end: it shows Khaled Haftar's
// network, then expands each node shown, passing everything shown as
// exclude=. Each answer holds only new elements, attaches every new node
// to what is shown, and together with what is shown makes up the whole
// network of the node expanded.
func TestNetworkExpandWithExclude(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *httptest.Server, _ graph.Store) {
		haftar := searchOne(t, srv.URL, "Khaled Haftar")
		shown := fetchNetwork(t, srv.URL+"/v1/entities/"+haftar.ID+"/network", "json")
		exclude := strings.Join(shown.shownIDs(), ",")
		expanded := 0
		for id := range shown.nodes {
			base := srv.URL + "/v1/entities/" + id + "/network"
			whole := fetchNetwork(t, base, "json")
			for _, f := range networkFormats {
				got := fetchNetwork(t, base+"?exclude="+exclude, f)
				for n := range got.nodes {
					if shown.nodes[n] || !whole.nodes[n] {
						t.Errorf("%s, format %s: node %s is shown already or not in the network", id, f, n)
					}
				}
				for r, ends := range got.edges {
					if _, dup := shown.edges[r]; dup || whole.edges[r] != ends {
						t.Errorf("%s, format %s: edge %s is shown already or not in the network", id, f, r)
					}
					for _, end := range ends {
						if !got.nodes[end] && !shown.nodes[end] {
							t.Errorf("%s, format %s: edge %s leads to %s, neither new nor shown", id, f, r, end)
						}
					}
				}
				// Shown plus new is the whole network of the node.
				for n := range whole.nodes {
					if !shown.nodes[n] && !got.nodes[n] {
						t.Errorf("%s, format %s: node %s is neither shown nor returned", id, f, n)
					}
				}
				for r := range whole.edges {
					_, old := shown.edges[r]
					if _, new := got.edges[r]; !old && !new {
						t.Errorf("%s, format %s: edge %s is neither shown nor returned", id, f, r)
					}
				}
				// Every new node is attached to the shown graph.
				for n := range got.nodes {
					attached := false
					for _, ends := range got.edges {
						attached = attached || ends[0] == n && shown.nodes[ends[1]] || ends[1] == n && shown.nodes[ends[0]]
					}
					if !attached {
						t.Errorf("%s, format %s: new node %s comes without an edge to the shown graph", id, f, n)
					}
				}
				if f == "json" && len(got.nodes) > 0 {
					expanded++
				}
			}
		}
		if expanded == 0 {
			t.Fatal("no node shown has a neighbour that is not shown: the test proves nothing")
		}
	})
}

// TestNetworkExcludeBudgetCountsNewNodes: limit is the number of new nodes
// a client asks for, whatever it already shows.
func TestNetworkExcludeBudgetCountsNewNodes(t *testing.T) {
	srv, _ := newServer(t)
	haftar := searchOne(t, srv.URL, "Khaled Haftar")
	base := srv.URL + "/v1/entities/" + haftar.ID + "/network?depth=2"
	whole := fetchNetwork(t, base, "json")
	shown := fetchNetwork(t, srv.URL+"/v1/entities/"+haftar.ID+"/network?depth=1", "json")
	newNodes := len(whole.nodes) - len(shown.nodes)
	if len(shown.nodes) < 2 || newNodes < 2 {
		t.Fatalf("want at least two shown and two new nodes: %d shown, %d new", len(shown.nodes), newNodes)
	}
	exclude := "&exclude=" + strings.Join(shown.shownIDs(), ",")
	one := fetchNetwork(t, base+"&limit=1"+exclude, "json")
	if len(one.nodes) != 1 || !one.truncated {
		t.Errorf("limit=1 with %d shown: %d new nodes (truncated %v), want 1 and truncated", len(shown.nodes), len(one.nodes), one.truncated)
	}
	all := fetchNetwork(t, base+"&limit="+strconv.Itoa(newNodes)+exclude, "json")
	if len(all.nodes) != newNodes || all.truncated {
		t.Errorf("limit=%d: %d new nodes (truncated %v), want all of them, not truncated", newNodes, len(all.nodes), all.truncated)
	}
	for r, ends := range one.edges {
		for _, end := range ends {
			if !one.nodes[end] && !shown.nodes[end] {
				t.Errorf("edge %s leads to %s, which the budget cut", r, end)
			}
		}
	}
}

func TestNetworkExcludeErrors(t *testing.T) {
	srv, _ := newServer(t)
	haftar := searchOne(t, srv.URL, "Khaled Haftar")
	base := srv.URL + "/v1/entities/" + haftar.ID + "/network"
	var p api.Problem
	if status := get(t, base+"?exclude=not-an-id", &p); status != 400 || p.Param != "exclude" || p.Code != "invalid" {
		t.Errorf("a malformed id: status %d %+v", status, p)
	}
	many := make([]string, 4001)
	for i := range many {
		many[i] = graph.EntityID(graph.KindPerson, "person "+strconv.Itoa(i))
	}
	if status := get(t, base+"?exclude="+strings.Join(many, ","), &p); status != 422 || p.Param != "exclude" || p.Code != "limit_exceeded" {
		t.Errorf("4,001 ids: status %d %+v", status, p)
	}
}
