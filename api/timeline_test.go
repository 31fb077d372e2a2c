package api_test

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
	"github.com/polgraph/polgraph/ingest"
)

// fixture loads storetest's fixture graph, whose events have days, a month
// and no date at all.
func fixture(*testing.T, *ingest.Pipeline) []*graph.Batch { return []*graph.Batch{storetest.Fixture()} }

type timelinePage struct {
	Entity graph.Entity
	Role   string
	Bucket string
	Items  []struct {
		Period string
		Count  int
		Events []string
	}
	Undated struct {
		Count  int
		Events []string
	}
	Total     int
	Next      string
	Truncated bool
}

// periods writes a timeline compactly: "2025-10-19:1 2025-10-20:1 undated:1".
func (p timelinePage) periods() string {
	var out []string
	for _, b := range p.Items {
		out = append(out, b.Period+":"+strconv.Itoa(b.Count))
	}
	return strings.Join(append(out, "undated:"+strconv.Itoa(p.Undated.Count)), " ")
}

func TestTimeline(t *testing.T) {
	eachStoreHolding(t, fixture, func(t *testing.T, srv *httptest.Server, _ graph.Store) {
		cases := []struct {
			entity, query, role, want string
		}{
			{storetest.MisrataLeaders, "?bucket=day", "actor", "2025-10-19:1 2025-10-20:1 undated:1"},
			{storetest.MisrataLeaders, "", "actor", "2025-10:2 undated:1"},
			{storetest.MisrataLeaders, "?bucket=year", "actor", "2025:2 undated:1"},
			{storetest.MisrataLeaders, "?bucket=day&from=2025-10-20", "actor", "2025-10-20:1 undated:0"},
			{storetest.MisrataLeaders, "?type=agreement", "actor", "2025-10:1 undated:0"},
			{storetest.KhaledHaftar, "?bucket=day", "actor", "2025-10-19:1 2025-10-20:1 undated:0"},
			// An event known to the month stays a month in a daily timeline.
			{storetest.OsamaHammad, "?bucket=day", "actor", "2025-03:1 undated:0"},
			{storetest.Sirte, "?bucket=day", "place", "2025-10-19:1 undated:0"},
			{storetest.Tripoli, "?bucket=year", "place", "2024:1 undated:0"},
			{storetest.Libya, "", "place", "undated:0"},
		}
		for _, c := range cases {
			var p timelinePage
			if status := get(t, srv.URL+"/v1/entities/"+c.entity+"/timeline"+c.query, &p); status != 200 {
				t.Errorf("%s%s: status %d", c.entity, c.query, status)
				continue
			}
			if got := p.periods(); got != c.want || p.Role != c.role || p.Entity.ID != c.entity {
				t.Errorf("%s%s: %s (%s of %s), want %s (%s)", p.Entity.Name, c.query, got, p.Role, p.Entity.ID, c.want, c.role)
			}
			if p.Truncated || p.Next != "" {
				t.Errorf("%s%s: truncated", p.Entity.Name, c.query)
			}
			// The same events as GET /v1/events gives, each counted once.
			param := map[string]string{"actor": "actor=", "place": "place="}[c.role]
			query := strings.TrimPrefix(c.query, "?") // GET /v1/events ignores bucket=
			var events struct{ Items []graph.Entity }
			get(t, srv.URL+"/v1/events?limit=500&"+param+c.entity+"&"+query, &events)
			var want, got []string
			for _, e := range events.Items {
				want = append(want, e.ID)
			}
			for _, b := range p.Items {
				if len(b.Events) != b.Count {
					t.Errorf("%s%s: period %s counts %d and lists %d", p.Entity.Name, c.query, b.Period, b.Count, len(b.Events))
				}
				got = append(got, b.Events...)
			}
			got = append(got, p.Undated.Events...)
			if !slices.Equal(got, want) || p.Total != len(want) {
				t.Errorf("%s%s: events %v (total %d), GET /v1/events has %v", p.Entity.Name, c.query, got, p.Total, want)
			}
		}
	})
}

func TestTimelineErrors(t *testing.T) {
	srv, _ := newServer(t)
	haftar := searchOne(t, srv.URL, "Khaled Haftar")
	var events struct{ Items []graph.Entity }
	get(t, srv.URL+"/v1/events?actor="+haftar.ID, &events)
	if len(events.Items) == 0 {
		t.Fatal("Khaled Haftar took part in no event")
	}
	cases := []struct {
		path   string
		status int
		param  string
	}{
		{"/v1/entities/" + haftar.ID + "/timeline?bucket=week", 400, "bucket"},
		{"/v1/entities/" + haftar.ID + "/timeline?from=yesterday", 400, "from"},
		{"/v1/entities/" + haftar.ID + "/timeline?cursor=%21", 400, "cursor"},
		{"/v1/entities/" + events.Items[0].ID + "/timeline", 400, "id"},
		{"/v1/entities/" + graph.EntityID(graph.KindPerson, "nobody") + "/timeline", 404, ""},
	}
	for _, c := range cases {
		var p api.Problem
		if status := get(t, srv.URL+c.path, &p); status != c.status || p.Param != c.param {
			t.Errorf("%s: status %d param %q, want %d %q", c.path, status, p.Param, c.status, c.param)
		}
	}
}
