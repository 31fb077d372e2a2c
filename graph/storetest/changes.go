package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func (s *suite) changesTests() []subtest {
	return []subtest{
		{"Changes/Fixture", s.testChangesFixture},
		{"Changes/Paging", s.testChangesPaging},
		{"Changes/Updates", s.testChangesUpdates},
	}
}

func (s *suite) testChangesFixture(t *testing.T) {
	st := s.open(t)
	page, err := st.Changes(ctx(), 0, 10)
	if err != nil || len(page.Items) != 0 || page.Next != 0 {
		t.Fatalf("empty store: Changes = %+v, %v; want nothing, Next 0", page, err)
	}
	mustApply(t, st, Fixture())
	changes := allChanges(t, st)
	b := Fixture()
	want := map[string]string{}
	for _, d := range b.Documents {
		want[d.ID] = "document"
	}
	for _, e := range b.Entities {
		want[e.ID] = "entity"
	}
	for _, r := range b.Relations {
		want[r.ID] = "relation"
	}
	if len(changes) != len(want) {
		t.Fatalf("%d changes, want one per object: %d", len(changes), len(want))
	}
	var last uint64
	for _, c := range changes {
		if c.Seq <= last {
			t.Fatalf("sequence numbers do not grow: %d after %d", c.Seq, last)
		}
		last = c.Seq
		if c.Op != graph.Created || want[c.ID] != c.Object || c.At.IsZero() {
			t.Errorf("change %+v: want created %s with a time", c, want[c.ID])
		}
		delete(want, c.ID)
	}
	if st := mustStats(t, st); st.Changes != last {
		t.Errorf("Stats.Changes = %d, want the last sequence number %d", st.Changes, last)
	}
}

func (s *suite) testChangesPaging(t *testing.T) {
	st := s.fixtureStore(t)
	all := allChanges(t, st)
	for _, limit := range []int{1, 7, 100} {
		var got []graph.Change
		var since uint64
		for {
			page, err := st.Changes(ctx(), since, limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) > limit {
				t.Fatalf("limit %d: %d items", limit, len(page.Items))
			}
			if len(page.Items) == 0 {
				if page.Next != since {
					t.Fatalf("Next = %d with nothing new, want since %d", page.Next, since)
				}
				break
			}
			if page.Next != page.Items[len(page.Items)-1].Seq {
				t.Fatalf("Next = %d, want the last seq %d", page.Next, page.Items[len(page.Items)-1].Seq)
			}
			for _, c := range page.Items {
				if c.Seq <= since {
					t.Fatalf("Changes(%d) returned seq %d", since, c.Seq)
				}
			}
			got = append(got, page.Items...)
			since = page.Next
		}
		sameJSON(t, "changes paged", got, all)
	}
	// A cursor in the middle starts after it.
	mid := all[len(all)/2].Seq
	page, err := st.Changes(ctx(), mid, 3)
	if err != nil || len(page.Items) != 3 || page.Items[0].Seq <= mid {
		t.Errorf("Changes(%d, 3) = %+v, %v", mid, page, err)
	}
}

func (s *suite) testChangesUpdates(t *testing.T) {
	st := s.fixtureStore(t)
	last := mustStats(t, st).Changes
	d2 := docStatement()
	r := rel(graph.FamilyOf, KhaledHaftar, KhalifaHaftar, "son", "", d2.ev(0, "خالد خليفة حفتر", 0.5))
	e := graph.Entity{ID: Sirte, Kind: graph.KindPlace, Name: "Sirte", Aliases: []string{"Surt"}}
	mustApply(t, st, &graph.Batch{Entities: []graph.Entity{e}, Relations: []graph.Relation{r}})
	page, err := st.Changes(ctx(), last, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]graph.Change{}
	for _, c := range page.Items {
		got[c.ID] = c
	}
	if len(page.Items) != 2 || got[Sirte].Op != graph.Updated || got[Sirte].Object != "entity" ||
		got[r.ID].Op != graph.Updated || got[r.ID].Object != "relation" {
		t.Errorf("changes after an update = %+v, want the entity and relation updated", page.Items)
	}
	// Applying it again records nothing.
	mustApply(t, st, &graph.Batch{Entities: []graph.Entity{e}, Relations: []graph.Relation{r}})
	if n := mustStats(t, st).Changes; n != page.Next {
		t.Errorf("re-applying recorded changes: %d, want still %d", n, page.Next)
	}
}

func (s *suite) contextTests() []subtest {
	return []subtest{{"Context/Cancelled", s.testCancelled}}
}

// testCancelled calls every method with a cancelled context: each fails with
// an error that wraps context.Canceled, and nothing is written.
func (s *suite) testCancelled(t *testing.T) {
	st := s.fixtureStore(t)
	before := takeSnapshot(t, st, Duplicate)
	c, cancel := context.WithCancel(context.Background())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"Apply", func() error { _, err := st.Apply(c, DuplicateBatch()); return err }},
		{"Merge", func() error { _, err := st.Merge(c, KhaledHaftar, KhalifaHaftar); return err }},
		{"Search", func() error { _, err := st.Search(c, graph.SearchQuery{Text: "Haftar"}); return err }},
		{"Relations", func() error { _, err := st.Relations(c, graph.RelationQuery{Entity: KhaledHaftar}); return err }},
		{"Paths", func() error { _, err := st.Paths(c, graph.PathQuery{From: KhaledHaftar, To: Misrata}); return err }},
		{"Network", func() error { _, err := st.Network(c, graph.NetworkQuery{Entity: KhaledHaftar, Depth: 2}); return err }},
		{"Events", func() error { _, err := st.Events(c, graph.EventQuery{}); return err }},
		{"Scan", func() error { return st.Scan(c, func(graph.Object) error { return nil }) }},
	}
	for _, call := range calls {
		t.Run(call.name, func(t *testing.T) {
			err := call.call()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s with a cancelled context: %v, want an error wrapping context.Canceled", call.name, err)
			}
			var e *graph.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: error %T is not a *graph.Error", call.name, err)
			}
		})
	}
	sameJSON(t, "state after cancelled calls", takeSnapshot(t, st, Duplicate), before)
}
