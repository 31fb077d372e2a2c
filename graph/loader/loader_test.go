package loader

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
)

var ctx = context.Background()

// town is a record of one place in a region, LOCATED_IN it, on evidence
// from one document: the shape of an event-data row.
func town(line int, name string) Record {
	doc := graph.Document{ID: graph.DocumentID("record:" + name), Title: "record " + name, Source: "test"}
	region := graph.Entity{ID: graph.EntityID(graph.KindPlace, "region"), Kind: graph.KindPlace, Name: "Region"}
	t := graph.Entity{ID: graph.EntityID(graph.KindPlace, name), Kind: graph.KindPlace, Name: name}
	r := graph.Relation{Type: graph.LocatedIn, From: t.ID, To: region.ID}
	r.ID = graph.RelationID(r.Type, r.From, r.To, "")
	r.Evidence = []graph.Evidence{{ID: graph.EvidenceID(r.ID, doc.ID, 0, 0), Document: doc.ID, Rule: "test", Confidence: 0.9}}
	return Record{Line: line, Batch: graph.Batch{Documents: []graph.Document{doc}, Entities: []graph.Entity{region, t},
		Relations: []graph.Relation{r}}}
}

func TestChunksSkipBadRecordsAndKeepTheRest(t *testing.T) {
	st := memstore.OpenMemory()
	defer st.Close()
	var progress []Summary
	l := New(st, WithSize(80), WithProgress(func(s Summary) { progress = append(progress, s) }))
	bad := map[int]string{}
	for i := 1; i <= 40; i++ {
		rec := town(i, fmt.Sprintf("Town %02d", i))
		switch i {
		case 7: // a date that is no date
			rec.Batch.Entities[1].Date = "July"
			bad[i] = "date"
		case 23: // a relation to an entity that exists nowhere
			rec.Batch.Relations[0].To = graph.EntityID(graph.KindPlace, "nowhere")
			rec.Batch.Relations[0].ID = graph.RelationID(graph.LocatedIn, rec.Batch.Relations[0].From, rec.Batch.Relations[0].To, "")
			rec.Batch.Relations[0].Evidence[0].ID = graph.EvidenceID(rec.Batch.Relations[0].ID, rec.Batch.Documents[0].ID, 0, 0)
			bad[i] = "neither in the batch nor stored"
		}
		if err := l.Add(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	l.Skip(41, "line 41: not JSON")
	if err := l.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	sum := l.Summary()
	if sum.Read != 41 || sum.Imported != 38 || len(sum.Skipped) != 3 {
		t.Fatalf("summary = %+v; want 41 read, 38 imported, 3 skipped", sum)
	}
	for i, line := range []int{7, 23, 41} {
		if sum.Skipped[i].Line != line {
			t.Errorf("skipped[%d] = %+v, want line %d", i, sum.Skipped[i], line)
		}
	}
	for _, s := range sum.Skipped[:2] {
		if !strings.Contains(s.Reason, bad[s.Line]) {
			t.Errorf("line %d skipped for %q, want a reason naming %q", s.Line, s.Reason, bad[s.Line])
		}
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 38 towns and the region; 38 documents; the region was sent in every
	// record but stored once.
	if stats.Entities[graph.KindPlace] != 39 || stats.Documents != 38 || stats.Relations[graph.LocatedIn] != 38 {
		t.Errorf("stats = %+v; want 39 places, 38 documents, 38 LOCATED_IN", stats)
	}
	// Each chunk of 20 records (80 objects) reported progress.
	if len(progress) != 2 || progress[len(progress)-1].Imported != 38 {
		t.Errorf("progress reports = %d (last %+v); want 2 ending at 38 imported", len(progress), progress[len(progress)-1])
	}
}

func TestLoadingAgainChangesNothing(t *testing.T) {
	st := memstore.OpenMemory()
	defer st.Close()
	load := func() Summary {
		l := New(st, WithSize(7))
		for i := 1; i <= 30; i++ {
			if err := l.Add(ctx, town(i, fmt.Sprintf("Town %02d", i))); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		return l.Summary()
	}
	first := load()
	before, _ := st.Stats(ctx)
	second := load()
	after, _ := st.Stats(ctx)
	if first.Applied.Created == 0 || second.Applied.Created != 0 || second.Applied.Updated != 0 {
		t.Errorf("first load %+v, second %+v; want the second to create and update nothing", first.Applied, second.Applied)
	}
	if before.Changes != after.Changes {
		t.Errorf("the second load recorded %d changes", after.Changes-before.Changes)
	}
}

func TestStoreFailureStopsTheLoad(t *testing.T) {
	st := memstore.OpenMemory()
	l := New(st, WithSize(100))
	if err := l.Add(ctx, town(1, "Town 1")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	err := l.Flush(ctx)
	if err == nil || graph.Is(err, graph.Invalid) {
		t.Fatalf("Flush into a closed store = %v; want the store's error, not a skipped record", err)
	}
	if s := l.Summary(); len(s.Skipped) != 0 || s.Imported != 0 {
		t.Errorf("summary = %+v; a store failure is not a bad record", s)
	}
}

func TestCombineSendsEachObjectOnce(t *testing.T) {
	a, b := town(1, "Town A"), town(2, "Town A")
	b.Batch.Entities[1].Aliases = []string{"Town Alpha"}
	got := Combine([]Record{a, b, town(3, "Town B")})
	if len(got.Documents) != 2 || len(got.Entities) != 3 || len(got.Relations) != 2 {
		t.Fatalf("combined %d documents, %d entities, %d relations; want 2, 3, 2",
			len(got.Documents), len(got.Entities), len(got.Relations))
	}
	if e := got.Entities[1]; e.Name != "Town A" || len(e.Aliases) != 1 || e.Aliases[0] != "Town Alpha" {
		t.Errorf("combined entity = %+v; want Town A with the alias of its second record", e)
	}
}
