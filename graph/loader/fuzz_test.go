package loader_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/ndjson"
)

// The fuzz test drives the loader through ndjson.Read, the import that
// feeds it lines, from an external test package: ndjson imports loader.

// importSeed is the export of an invented graph: a report, a person, a
// place and a meeting there, one line each after the header.
func importSeed() []string {
	doc := graph.Document{ID: graph.DocumentID("fuzz:report-1"), URL: "https://example.org/fuzz", Title: "An invented report",
		Language: "en", Text: "Salem Fituri met the council in Sirte."}
	person := graph.Entity{ID: graph.EntityID(graph.KindPerson, "Salem Fituri"), Kind: graph.KindPerson,
		Name: "Salem Fituri", NameAr: "سالم الفيتوري", Aliases: []string{}}
	place := graph.Entity{ID: graph.EntityID(graph.KindPlace, "Sirte"), Kind: graph.KindPlace, Name: "Sirte",
		NameAr: "سرت", Aliases: []string{}}
	event := graph.Entity{ID: graph.EntityID(graph.KindEvent, "Meeting in Sirte"), Kind: graph.KindEvent,
		Name: "Meeting in Sirte", Aliases: []string{}, Date: "2025-03-03"}
	rel := graph.Relation{Type: graph.OccurredIn, From: event.ID, To: place.ID}
	rel.ID = graph.RelationID(rel.Type, rel.From, rel.To, "")
	rel.Evidence = []graph.Evidence{{ID: graph.EvidenceID(rel.ID, doc.ID, 32, 37), Document: doc.ID,
		Start: 32, End: 37, Text: "Sirte", Rule: "fuzz", Confidence: 0.8}}
	rel = graph.Derive(rel)
	out := []string{`{"kind":"header","format":"polgraph","version":1}`}
	for _, l := range []struct {
		kind string
		obj  any
	}{{"document", doc}, {"entity", person}, {"entity", place}, {"event", event}, {"relation", rel}} {
		b, err := json.Marshal(l.obj)
		if err != nil {
			panic(err)
		}
		out = append(out, `{"kind":"`+l.kind+`","`+l.kind+`":`+string(b)+"}")
	}
	return out
}

func importLines(lines ...string) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// FuzzImport imports fuzzed NDJSON into an empty embedded store, in
// chunks of a fuzzed size (1 to 8 objects, so that chunks are split and
// bisected as a large import's are), and holds the result to ndjson.Read's
// contract:
//   - the only error is a header of another format or version, naming a
//     line of the input; every skipped record names a line before it, once,
//     with a reason; every record read is imported or skipped;
//   - what precedes a fatal line is imported as if the file ended there:
//     the same summary and the same graph;
//   - records before the first skipped one are kept: importing just them
//     skips nothing, and whatever that stores, the whole import stores too;
//   - what was imported exports to a file that, imported again, changes
//     nothing, and imported into an empty store exports the same bytes.
func FuzzImport(f *testing.F) {
	seed := importSeed()
	header, doc, person, place, event, rel := seed[0], seed[1], seed[2], seed[3], seed[4], seed[5]
	f.Add(importLines(seed...), uint8(0))
	f.Add(importLines(seed...), uint8(2))
	f.Add(importLines(header, place, `{"kind":"entity"`, event, rel), uint8(1))
	f.Add(importLines(doc, rel, event, place), uint8(3))
	f.Add(importLines(place, `{"kind":"header","format":"polgraph","version":2}`, event), uint8(0))
	f.Add(importLines(place, place, "", "\r", person), uint8(7))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		size := loader.WithSize(int(chunk%8) + 1)
		lines := bytes.Count(data, []byte("\n")) + 1
		full := memstore.OpenMemory()
		defer full.Close()
		sum, err := ndjson.Read(ctx, full, bytes.NewReader(data), size)

		fatal := lines + 1 // the line the import stopped at, or past the end
		if err != nil {
			var ferr *ndjson.FormatError
			if !errors.As(err, &ferr) || ferr.Line < 1 || ferr.Line > lines {
				t.Fatalf("error %v is not a header error naming one of %d lines", err, lines)
			}
			fatal = ferr.Line
		}
		if sum.Read != sum.Imported+len(sum.Skipped) {
			t.Fatalf("%d records read, but %d imported and %d skipped", sum.Read, sum.Imported, len(sum.Skipped))
		}
		for i, s := range sum.Skipped {
			if s.Line < 1 || s.Line >= fatal || i > 0 && s.Line <= sum.Skipped[i-1].Line || s.Reason == "" {
				t.Fatalf("skipped %+v: not a line before %d, in order, once, with a reason (all: %+v)", s, fatal, sum.Skipped)
			}
		}

		if fatal <= lines {
			pre := memstore.OpenMemory()
			defer pre.Close()
			preSum, err := ndjson.Read(ctx, pre, bytes.NewReader(linesBefore(data, fatal)), size)
			if err != nil {
				t.Fatalf("the lines before fatal line %d fail on their own: %v", fatal, err)
			}
			if !reflect.DeepEqual(preSum, sum) {
				t.Fatalf("the lines before fatal line %d import as %+v, the whole file as %+v", fatal, preSum, sum)
			}
			if a, b := export(t, pre), export(t, full); !bytes.Equal(a, b) {
				t.Fatalf("the lines before fatal line %d give another graph than the whole file:\n%s\nvs\n%s", fatal, a, b)
			}
		}

		if len(sum.Skipped) > 0 {
			first := sum.Skipped[0].Line
			pre := memstore.OpenMemory()
			defer pre.Close()
			preSum, err := ndjson.Read(ctx, pre, bytes.NewReader(linesBefore(data, first)), size)
			if err != nil || len(preSum.Skipped) > 0 {
				t.Fatalf("the lines before the first skipped one (%d) import with %v, skipping %+v", first, err, preSum.Skipped)
			}
			kept := ids(t, full)
			for id := range ids(t, pre) {
				if !kept[id] {
					t.Fatalf("%s, imported from the lines before line %d, is not in the whole file's import", id, first)
				}
			}
		}

		// What was imported exports to a file that imports without a
		// skip, changes nothing in the store it came from, and gives the
		// same file again from an empty store.
		exported := export(t, full)
		was, _ := full.Stats(ctx)
		again, err := ndjson.Read(ctx, full, bytes.NewReader(exported), size)
		now, _ := full.Stats(ctx)
		if err != nil || len(again.Skipped) > 0 || again.Applied.Created+again.Applied.Updated > 0 || !reflect.DeepEqual(was, now) {
			t.Fatalf("importing the export again (err %v, skipped %+v) applied %+v: stats %+v, were %+v\n%s",
				err, again.Skipped, again.Applied, now, was, exported)
		}
		fresh := memstore.OpenMemory()
		defer fresh.Close()
		if _, err := ndjson.Read(ctx, fresh, bytes.NewReader(exported), size); err != nil {
			t.Fatal(err)
		}
		if roundTrip := export(t, fresh); !bytes.Equal(roundTrip, exported) {
			t.Fatalf("the export, imported into an empty store, exports as\n%s\nnot\n%s", roundTrip, exported)
		}
	})
}

// linesBefore is data up to the start of line n (counted from 1).
func linesBefore(data []byte, n int) []byte {
	end := 0
	for range n - 1 {
		i := bytes.IndexByte(data[end:], '\n')
		if i < 0 {
			return data
		}
		end += i + 1
	}
	return data[:end]
}

func export(t *testing.T, st graph.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := ndjson.Write(context.Background(), st, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ids are the ids of everything st holds.
func ids(t *testing.T, st graph.Store) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := st.Scan(context.Background(), func(o graph.Object) error {
		switch {
		case o.Document != nil:
			out[o.Document.ID] = true
		case o.Entity != nil:
			out[o.Entity.ID] = true
		case o.Relation != nil:
			out[o.Relation.ID] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
