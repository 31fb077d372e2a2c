package api_test

import (
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
)

// TestEventsInPlaceBetweenDates: "what happened in place P between two
// dates" is GET /v1/events?place=&from=&to=, the place given by id or by
// name. A place holds the events that occurred there, not those of the
// places within it: Libya's own list is empty though Sirte is in Libya.
func TestEventsInPlaceBetweenDates(t *testing.T) {
	eachStoreHolding(t, fixture, func(t *testing.T, srv *httptest.Server, _ graph.Store) {
		cases := []struct {
			query string
			want  []string
		}{
			{"place=" + storetest.Sirte + "&from=2025-10-01&to=2025-10-31", []string{storetest.SirteMeeting}},
			{"place=Sirte&from=2025-10-01&to=2025-10-31", []string{storetest.SirteMeeting}},
			{"place=Sirte&from=2025-10", []string{storetest.SirteMeeting}},
			{"place=Sirte&to=2025-10-18", nil},
			{"place=Tripoli&from=2024-01-01&to=2024-12-31", []string{storetest.TripoliClash}},
			{"place=Tripoli&from=2025-01-01", nil},
			{"place=Libya", nil},
		}
		for _, c := range cases {
			var page struct{ Items []graph.Entity }
			if status := get(t, srv.URL+"/v1/events?"+c.query, &page); status != 200 {
				t.Errorf("%s: status %d", c.query, status)
				continue
			}
			var got []string
			for _, e := range page.Items {
				got = append(got, e.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.query, got, c.want)
			}
		}
		var p struct{ Param string }
		if status := get(t, srv.URL+"/v1/events?place="+url.QueryEscape("Atlantis"), &p); status != 404 || p.Param != "place" {
			t.Errorf("an unknown place: status %d param %q", status, p.Param)
		}
	})
}
