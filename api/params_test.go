package api_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
)

// TestParameterCaps: a value that parses but asks for more than a cap is
// 422 limit_exceeded naming the parameter and the cap; a malformed value
// or one below the minimum is 400 invalid.
func TestParameterCaps(t *testing.T) {
	srv, _ := newServer(t)
	haftar := searchOne(t, srv.URL, "Khaled Haftar").ID
	misrata := searchOne(t, srv.URL, "Misrata").ID
	network := "/v1/entities/" + haftar + "/network?"
	paths := "/v1/paths?from=" + haftar + "&to=" + misrata + "&"
	cases := []struct {
		path   string
		status int
		param  string
		cap    string // in the detail, for 422
	}{
		{network + "depth=5", 422, "depth", "4"},
		{network + "depth=0", 400, "depth", ""},
		{network + "depth=two", 400, "depth", ""},
		{network + "depth=4", 200, "", ""},
		{network + "limit=2001", 422, "limit", "2000"},
		{network + "limit=99999999999999999999999", 422, "limit", "2000"},
		{network + "limit=-99999999999999999999999", 400, "limit", ""},
		{network + "limit=-1", 400, "limit", ""},
		{network + "limit=1.5", 400, "limit", ""},
		{paths + "k=21", 422, "k", "20"},
		{paths + "k=20", 200, "", ""},
		{paths + "max_depth=9", 422, "max_depth", "8"},
		{paths + "max_depth=0", 400, "max_depth", ""},
		{"/v1/entities/" + haftar + "/relations?limit=501", 422, "limit", "500"},
		{"/v1/entities/" + haftar + "/relations?limit=500", 200, "", ""},
		{"/v1/events?limit=501", 422, "limit", "500"},
		{"/v1/entities?q=Haftar&limit=501", 422, "limit", "500"},
		{"/v1/entities/" + haftar + "/common?with=" + misrata + "&limit=501", 422, "limit", "500"},
		{"/v1/changes?limit=501", 422, "limit", "500"},
	}
	for _, c := range cases {
		var p api.Problem
		status := get(t, srv.URL+c.path, &p)
		if status != c.status || p.Param != c.param {
			t.Errorf("%s: status %d param %q, want %d %q", c.path, status, p.Param, c.status, c.param)
			continue
		}
		switch status {
		case 422:
			if p.Code != "limit_exceeded" || !strings.Contains(p.Detail, c.param) || !strings.Contains(p.Detail, c.cap) {
				t.Errorf("%s: %+v, want limit_exceeded naming %s and %s", c.path, p, c.param, c.cap)
			}
		case 400:
			if p.Code != "invalid" {
				t.Errorf("%s: code %q, want invalid", c.path, p.Code)
			}
		}
	}
}

// FuzzNetworkParams sends arbitrary depth and limit values: the answer is
// a network within the budget, or a problem naming one of the two, never
// anything else.
func FuzzNetworkParams(f *testing.F) {
	for _, seed := range [][2]string{{"1", "100"}, {"4", "2000"}, {"5", "1"}, {"0", "0"}, {"-1", "x"},
		{"2", "99999999999999999999"}, {" 2", "+3"}, {"0x10", "1e3"}, {"", ""}} {
		f.Add(seed[0], seed[1])
	}
	srv, st := newServer(f)
	hits, err := st.Search(context.Background(), graph.SearchQuery{Text: "Khaled Haftar", Limit: 1})
	if err != nil || len(hits) == 0 {
		f.Fatalf("Khaled Haftar: %v, %v", hits, err)
	}
	haftar := hits[0].Entity.ID
	f.Fuzz(func(t *testing.T, depth, limit string) {
		u := srv.URL + "/v1/entities/" + haftar + "/network?depth=" + url.QueryEscape(depth) + "&limit=" + url.QueryEscape(limit)
		var n struct {
			graph.Network
			api.Problem
		}
		status := get(t, u, &n)
		switch status {
		case 200:
			budget := 100
			if limit != "" {
				budget, _ = strconv.Atoi(limit)
			}
			if len(n.Nodes) == 0 || len(n.Nodes) > budget {
				t.Errorf("depth %q limit %q: %d nodes", depth, limit, len(n.Nodes))
			}
		case 400, 422:
			if n.Param != "depth" && n.Param != "limit" {
				t.Errorf("depth %q limit %q: %d naming %q", depth, limit, status, n.Param)
			}
		default:
			t.Errorf("depth %q limit %q: status %d", depth, limit, status)
		}
	})
}
