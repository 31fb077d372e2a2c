package api_test

import (
	"maps"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
)

type commonPage struct {
	Entity, With graph.Entity
	Items        []struct {
		Entity          graph.Entity
		Score           float64
		EntityRelations []graph.Relation `json:"entity_relations"`
		WithRelations   []graph.Relation `json:"with_relations"`
	}
	Next      string
	Truncated bool
}

// neighbourIDs reads an entity's asserted relations through the API: the
// ids of the entities at their other ends.
func neighbourIDs(t *testing.T, base, id string) map[string]bool {
	t.Helper()
	var page struct{ Items []graph.Relation }
	get(t, base+"/v1/entities/"+id+"/relations?limit=500", &page)
	out := map[string]bool{}
	for _, r := range page.Items {
		if r.Type.Asserted() {
			out[r.Other.ID] = true
		}
	}
	return out
}

func TestCommonNeighbours(t *testing.T) {
	eachStore(t, func(t *testing.T, srv *httptest.Server, _ graph.Store) {
		// A meeting of the two, so that they have more than the General
		// Command in common.
		meeting := `{"url": "https://example.org/api-common", "language": "en", "published": "2025-11-05",
			"text": "Khaled Haftar met Khaled al-Mahjoub in Sirte on Tuesday."}`
		if status := post(t, srv.URL+"/v1/documents", "application/json", meeting, nil); status != 201 {
			t.Fatalf("POST: status %d", status)
		}
		haftar := searchOne(t, srv.URL, "Khaled Haftar")
		mahjoub := searchOne(t, srv.URL, "Khaled al-Mahjoub")
		want := map[string]bool{}
		theirs := neighbourIDs(t, srv.URL, mahjoub.ID)
		for n := range neighbourIDs(t, srv.URL, haftar.ID) {
			if theirs[n] {
				want[n] = true
			}
		}
		if len(want) < 2 {
			t.Fatalf("the two have %d neighbours in common; the test needs two", len(want))
		}
		base := srv.URL + "/v1/entities/" + haftar.ID + "/common?with="
		var page commonPage
		if status := get(t, base+url.QueryEscape("Khaled al-Mahjoub"), &page); status != 200 {
			t.Fatalf("status %d", status)
		}
		if page.Entity.ID != haftar.ID || page.With.ID != mahjoub.ID || page.Next != "" || page.Truncated {
			t.Errorf("entity %s with %s next %q truncated %v", page.Entity.Name, page.With.Name, page.Next, page.Truncated)
		}
		got := map[string]bool{}
		for i, it := range page.Items {
			got[it.Entity.ID] = true
			if i > 0 && it.Score > page.Items[i-1].Score {
				t.Errorf("%s (score %g) comes after %s (score %g)", it.Entity.Name, it.Score, page.Items[i-1].Entity.Name, page.Items[i-1].Score)
			}
			if it.Score <= 0 || it.Score > 1 || len(it.Entity.Mentions) > 0 {
				t.Errorf("%s: score %g, %d mentions", it.Entity.Name, it.Score, len(it.Entity.Mentions))
			}
			for side, rels := range map[string][]graph.Relation{haftar.ID: it.EntityRelations, mahjoub.ID: it.WithRelations} {
				if len(rels) == 0 {
					t.Errorf("%s: no relation to %s", it.Entity.Name, side)
				}
				for _, r := range rels {
					joins := r.From == side && r.To == it.Entity.ID || r.To == side && r.From == it.Entity.ID
					if !joins || !r.Type.Asserted() || len(r.Evidence) == 0 {
						t.Errorf("%s: relation %s %s→%s does not join it to %s with evidence", it.Entity.Name, r.Type, r.From, r.To, side)
					}
				}
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("common neighbours %v, want %v (from each one's relations)", got, want)
		}

		// One at a time, with the cursor, in the same order; the other
		// way round, the same neighbours.
		var paged []string
		cursor := ""
		for range 10 {
			var p commonPage
			get(t, base+mahjoub.ID+"&limit=1&cursor="+url.QueryEscape(cursor), &p)
			for _, it := range p.Items {
				paged = append(paged, it.Entity.ID)
			}
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		var ids []string
		for _, it := range page.Items {
			ids = append(ids, it.Entity.ID)
		}
		if !slices.Equal(paged, ids) {
			t.Errorf("paged %v, one page %v", paged, ids)
		}
		var back commonPage
		get(t, srv.URL+"/v1/entities/"+mahjoub.ID+"/common?with="+haftar.ID, &back)
		if len(back.Items) != len(page.Items) {
			t.Errorf("the other way round: %d neighbours, want %d", len(back.Items), len(page.Items))
		}

		// Documents are common neighbours only when asked for.
		var docs commonPage
		get(t, base+mahjoub.ID+"&type=MENTIONS", &docs)
		if len(docs.Items) == 0 {
			t.Error("type=MENTIONS: no document names both")
		}
		for _, it := range docs.Items {
			if it.Entity.Kind != graph.KindDocument {
				t.Errorf("type=MENTIONS gave a %s", it.Entity.Kind)
			}
		}
		var none commonPage
		if get(t, base+mahjoub.ID+"&to=2020-01-01", &none); len(none.Items) != 0 {
			t.Errorf("before any report: %d common neighbours", len(none.Items))
		}
	})
}

func TestCommonNeighboursErrors(t *testing.T) {
	srv, _ := newServer(t)
	haftar := searchOne(t, srv.URL, "Khaled Haftar")
	base := srv.URL + "/v1/entities/" + haftar.ID + "/common"
	cases := []struct {
		query  string
		status int
		param  string
	}{
		{"", 400, "with"},
		{"?with=" + haftar.ID, 400, "with"},
		{"?with=Haftar", 409, "with"},
		{"?with=Nowhereville", 404, "with"},
		{"?with=" + graph.EntityID(graph.KindPerson, "nobody"), 404, "with"},
		{"?with=Misrata&limit=501", 422, "limit"},
		{"?with=Misrata&limit=0", 400, "limit"},
		{"?with=Misrata&type=KNOWS", 400, "type"},
		{"?with=Misrata&cursor=%21", 400, "cursor"},
	}
	for _, c := range cases {
		var p api.Problem
		if status := get(t, base+c.query, &p); status != c.status || p.Param != c.param {
			t.Errorf("%q: status %d param %q, want %d %q", c.query, status, p.Param, c.status, c.param)
		}
	}
}
