package ndjson_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/ndjson"
)

// benchGraph is a synthetic graph of about 20,000 objects: one document,
// 50 places, 2,000 events each in a place, 4,000 persons each in three
// events, every asserted relation with one piece of evidence.
func benchGraph() *graph.Batch {
	doc := graph.Document{ID: graph.DocumentID("https://example.org/bench"), Title: "bench", Text: "0123456789"}
	b := &graph.Batch{Documents: []graph.Document{doc}}
	id := func(k graph.Kind, i int) string { return graph.EntityID(k, fmt.Sprintf("bench %s %d", k, i)) }
	rel := func(t graph.RelType, from, to, role string) graph.Relation {
		r := graph.Relation{ID: graph.RelationID(t, from, to, role), Type: t, From: from, To: to, Role: role}
		r.Evidence = []graph.Evidence{{ID: graph.EvidenceID(r.ID, doc.ID, 0, 10), Document: doc.ID, End: 10,
			Text: "0123456789", Rule: "bench", Confidence: 0.7, Date: "2025-10-20"}}
		return r
	}
	const places, events, persons = 50, 2000, 4000
	for i := range places {
		b.Entities = append(b.Entities, graph.Entity{ID: id(graph.KindPlace, i), Kind: graph.KindPlace,
			Name: fmt.Sprintf("Place %d", i), NameAr: fmt.Sprintf("مكان %d", i)})
	}
	for i := range events {
		e := id(graph.KindEvent, i)
		b.Entities = append(b.Entities, graph.Entity{ID: e, Kind: graph.KindEvent, Name: fmt.Sprintf("Meeting %d", i),
			EventType: "meeting", Date: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)})
		b.Relations = append(b.Relations, rel(graph.OccurredIn, e, id(graph.KindPlace, i%places), ""))
	}
	for i := range persons {
		p := id(graph.KindPerson, i)
		b.Entities = append(b.Entities, graph.Entity{ID: p, Kind: graph.KindPerson, Name: fmt.Sprintf("Person %d", i),
			NameAr: fmt.Sprintf("شخص %d", i)})
		for j := range 3 {
			b.Relations = append(b.Relations, rel(graph.ParticipatedIn, p, id(graph.KindEvent, (i*7+j*13)%events), "party"))
		}
	}
	return b
}

// BenchmarkWriteRead measures export and import on the embedded store, in
// objects a second: Write (Scan and encoding), Decode (the decoder alone)
// and Read (decoding and applying through the loader into an empty store).
func BenchmarkWriteRead(b *testing.B) {
	src := memstore.OpenMemory()
	defer src.Close()
	g := benchGraph()
	if _, err := src.Apply(ctx, g); err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	n, err := ndjson.Write(ctx, src, &file)
	if err != nil {
		b.Fatal(err)
	}
	objects := float64(n.Objects())
	data := file.Bytes()
	perSecond := func(b *testing.B) {
		b.ReportMetric(objects*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
		b.SetBytes(int64(len(data)))
	}

	b.Run("Write", func(b *testing.B) {
		for b.Loop() {
			if _, err := ndjson.Write(ctx, src, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
		perSecond(b)
	})
	b.Run("Decode", func(b *testing.B) {
		for b.Loop() {
			dec := ndjson.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.Next(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
		perSecond(b)
	})
	b.Run("Read", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			dst := memstore.OpenMemory()
			b.StartTimer()
			sum, err := ndjson.Read(ctx, dst, bytes.NewReader(data))
			if err != nil || sum.Imported != n.Objects() {
				b.Fatalf("Read: %v, %d of %d imported", err, sum.Imported, n.Objects())
			}
			b.StopTimer()
			dst.Close()
			b.StartTimer()
		}
		perSecond(b)
	})
}
