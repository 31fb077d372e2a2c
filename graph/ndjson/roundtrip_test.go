package ndjson_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/ndjson"
	"github.com/polgraph/polgraph/graph/storetest"
)

var ctx = context.Background()

func openMemory(t *testing.T) graph.Store {
	t.Helper()
	st := memstore.OpenMemory()
	t.Cleanup(func() { st.Close() })
	return st
}

// loadFixture fills an empty store with the conformance fixture and the
// object of everyField, and then merges storetest.Duplicate into Khaled
// Haftar, so that the export has what only a merge makes: merged_from,
// aliases from the dropped names, relations moved and evidence combined.
func loadFixture(t *testing.T, st graph.Store) {
	t.Helper()
	for _, b := range []*graph.Batch{storetest.Fixture(), everyField(), storetest.DuplicateBatch()} {
		if _, err := st.Apply(ctx, b); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	}
	if _, err := st.Merge(ctx, storetest.KhaledHaftar, storetest.Duplicate); err != nil {
		t.Fatalf("Merge: %v", err)
	}
}

// Ids of everyField's objects.
var (
	revisedDoc   = graph.DocumentID("https://example.org/records/harbour-row-7")
	revisedEvent = graph.EntityID(graph.KindEvent, "2025-03-05 harbour protest")
)

// everyField is a document and an event with every field the graph types
// have set, which the fixture leaves some of unset (title_ar, summary, a
// document's revision): TestRoundTripMemory checks that the export has
// every field of every type somewhere, so a field added to graph is only
// covered once it is set here or in the fixture, and the round trips on
// Neo4j then show whether that backend keeps it. The text is ours.
func everyField() *graph.Batch {
	text := "About forty fishermen protested at the harbour on 5 March."
	lat, lon, goldstein, fatalities := 32.1167, 20.0667, -6.5, 0
	return &graph.Batch{
		Documents: []graph.Document{{ID: revisedDoc, URL: "https://example.org/records/harbour-row-7",
			Outlet: "Example Records", Title: "Row 7: harbour protest <draft> & nets", Language: "en", Published: "2025-03-06",
			SHA256: "5d1be7e9dda1ee8896be5b7e34a85ee16452a7b1b5b1f2bbd4e4d7d5d0c7f0a1", Source: "event-data",
			Text: text, Revision: 1741219200}},
		Entities: []graph.Entity{{ID: revisedEvent, Kind: graph.KindEvent, Subtype: "peaceful", Name: "Harbour protest",
			NameAr: "احتجاج الميناء", Aliases: []string{"Fishermen's protest"}, Key: "2025-03-05 harbour protest",
			Title: "Day of the nets", TitleAr: "يوم الشباك", Lat: &lat, Lon: &lon, GeoPrecision: "town",
			EventType: "protest", Date: "2025-03-05", DatePrecision: "day", Cameo: "141", QuadClass: 3,
			Goldstein: &goldstein, Fatalities: &fatalities, Revision: 1741219200, Topics: []string{"fisheries"},
			Summary: "Fishermen protested quotas.", Mentions: []graph.Mention{{Document: revisedDoc, Start: 27, End: 41, Text: "at the harbour"}},
			FirstSeen: "2025-03-06", LastSeen: "2025-03-06", MergedFrom: []string{graph.EntityID(graph.KindEvent, "harbour demo")}}},
	}
}

// checkEveryField fails unless every field of the graph types (but a
// relation's other) is set in some object of the export.
func checkEveryField(t *testing.T, data []byte) {
	t.Helper()
	set := map[string]bool{}
	note := func(typ string, v reflect.Value) {
		for i := range v.NumField() {
			if !v.Field(i).IsZero() {
				set[typ+"."+v.Type().Field(i).Name] = true
			}
		}
	}
	dec := ndjson.NewDecoder(bytes.NewReader(data))
	for {
		it, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case it.Document != nil:
			note("Document", reflect.ValueOf(*it.Document))
		case it.Entity != nil:
			note("Entity", reflect.ValueOf(*it.Entity))
			for _, m := range it.Entity.Mentions {
				note("Mention", reflect.ValueOf(m))
			}
		default:
			note("Relation", reflect.ValueOf(*it.Relation))
			for _, e := range it.Relation.Evidence {
				note("Evidence", reflect.ValueOf(e))
			}
		}
	}
	for _, v := range []any{graph.Document{}, graph.Entity{}, graph.Mention{}, graph.Relation{}, graph.Evidence{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			if f := typ.Name() + "." + typ.Field(i).Name; !set[f] && f != "Relation.Other" {
				t.Errorf("no object of the export sets %s: set it in everyField so the round trips cover it", f)
			}
		}
	}
}

// export writes st and checks that the counts add up to the lines.
func export(t *testing.T, st graph.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := ndjson.Write(ctx, st, &buf)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if lines := bytes.Count(buf.Bytes(), []byte("\n")); lines != 1+n.Objects() {
		t.Fatalf("Write counted %+v objects but wrote %d lines", n, lines)
	}
	return buf.Bytes()
}

// importAll reads data into st and requires every line to be imported.
func importAll(t *testing.T, st graph.Store, data []byte, opts ...loader.Option) loader.Summary {
	t.Helper()
	sum, err := ndjson.Read(ctx, st, bytes.NewReader(data), opts...)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	objects := bytes.Count(data, []byte("\n")) - 1 // the header
	if len(sum.Skipped) != 0 || sum.Read != objects || sum.Imported != objects {
		t.Fatalf("Read: %d read, %d imported, skipped %+v; want all %d objects imported", sum.Read, sum.Imported, sum.Skipped, objects)
	}
	return sum
}

// answer is one query's answer as JSON, or its error code.
type answer struct{ query, json string }

// answers asks st the questions a round trip must not change the answers
// to, over the fixture: the counts (without the change counter, which
// counts writes, not content), every entity and its relations, every
// document, a path, a network, the events and two searches.
func answers(t *testing.T, st graph.Store) []answer {
	t.Helper()
	var out []answer
	add := func(query string, v any, err error) {
		if err != nil {
			out = append(out, answer{query, "error " + string(graph.ErrorCode(err))})
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, answer{query, string(b)})
	}
	stats, err := st.Stats(ctx)
	stats.Changes = 0
	add("Stats", stats, err)

	fix := storetest.Fixture()
	var ids []string
	fix.Documents = append(fix.Documents, everyField().Documents...)
	fix.Entities = append(fix.Entities, everyField().Entities...)
	for _, d := range fix.Documents {
		doc, err := st.Document(ctx, d.ID)
		add("Document "+d.ID, doc, err)
		ids = append(ids, d.ID) // its node is an entity too
	}
	for _, e := range fix.Entities {
		ids = append(ids, e.ID)
	}
	for _, id := range ids {
		e, err := st.Entity(ctx, id)
		add("Entity "+id, e, err)
		var rels []graph.Relation
		q := graph.RelationQuery{Entity: id, Limit: graph.MaxPageSize}
		for {
			page, err := st.Relations(ctx, q)
			if err != nil {
				add("Relations "+id, nil, err)
				break
			}
			rels = append(rels, page.Items...)
			if page.Next == "" {
				add("Relations "+id, rels, nil)
				break
			}
			q.Cursor = page.Next
		}
	}
	paths, err := st.Paths(ctx, graph.PathQuery{From: storetest.KhaledHaftar, To: storetest.Misrata})
	add("Paths Khaled Haftar → Misrata", paths, err)
	net, err := st.Network(ctx, graph.NetworkQuery{Entity: storetest.KhaledHaftar, Depth: 2})
	add("Network of Khaled Haftar, depth 2", net, err)
	var events []graph.Entity
	eq := graph.EventQuery{Limit: graph.MaxPageSize}
	for {
		page, err := st.Events(ctx, eq)
		if err != nil {
			add("Events", nil, err)
			break
		}
		events = append(events, page.Items...)
		if page.Next == "" {
			add("Events", events, nil)
			break
		}
		eq.Cursor = page.Next
	}
	for _, text := range []string{"حفتر", "Haftar"} {
		hits, err := st.Search(ctx, graph.SearchQuery{Text: text})
		add("Search "+text, hits, err)
	}
	return out
}

// sameAnswers compares the answers of two stores query by query.
func sameAnswers(t *testing.T, what string, got, want []answer) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d answers, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: %s:\n got  %s\n want %s", what, want[i].query, got[i].json, want[i].json)
		}
	}
}

// next is a store a round trip imports into: opened, empty, when the one
// before it has been exported and queried.
type next struct {
	name string
	open func(*testing.T) graph.Store
}

// chain exports first, which holds the loaded fixture, imports that into
// the first of then, exports that into the second, and so on: every
// export must be the first byte for byte, and every store must answer the
// queries as the first does. It returns the export.
func chain(t *testing.T, name string, first graph.Store, then ...next) []byte {
	t.Helper()
	want := export(t, first)
	answered := answers(t, first)
	prev, prevName := want, name
	for _, n := range then {
		st := n.open(t)
		importAll(t, st, prev)
		out := export(t, st)
		if !bytes.Equal(out, want) {
			t.Errorf("the export of %s after importing %s's differs:\n%s", n.name, prevName, lineDiff(want, out))
		}
		sameAnswers(t, n.name+" vs "+name, answers(t, st), answered)
		prev, prevName = out, n.name
	}
	return want
}

// lineDiff shows the first lines where two exports differ.
func lineDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 3; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n want %s\n got  %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// TestRoundTripMemory: export, import into an empty embedded store, export
// again: the same bytes and the same answers. The export is the format:
// a header, lines of each kind, readable Arabic and "<>&", the merge's
// merged_from.
func TestRoundTripMemory(t *testing.T) {
	src := openMemory(t)
	loadFixture(t, src)
	var dst graph.Store
	out := chain(t, "memstore", src, next{"memstore", func(t *testing.T) graph.Store { dst = openMemory(t); return dst }})

	checkEveryField(t, out)

	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if lines[0] != `{"kind":"header","format":"polgraph","version":1}` {
		t.Errorf("first line = %s, want the version 1 header", lines[0])
	}
	fix := storetest.Fixture()
	fix.Documents = append(fix.Documents, everyField().Documents...)
	fix.Entities = append(fix.Entities, everyField().Entities...)
	kinds := map[string]int{}
	for _, l := range lines[1:] {
		rest, ok := strings.CutPrefix(l, `{"kind":"`)
		if !ok {
			t.Errorf("a line does not start with its kind: %.200s", l)
		}
		kind, _, _ := strings.Cut(rest, `"`)
		kinds[kind]++
		if strings.Contains(l, `"other"`) {
			t.Errorf("a line carries the other end of a relation: %.200s", l)
		}
		if strings.Contains(l, `\u`) {
			t.Errorf("a line escapes characters (HTML escaping or non-ASCII): %.300s", l)
		}
	}
	events := 0
	for _, e := range fix.Entities {
		if e.Kind == graph.KindEvent {
			events++
		}
	}
	stats, err := src.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rels := 0
	for _, n := range stats.Relations {
		rels += n
	}
	want := map[string]int{"document": len(fix.Documents), "entity": len(fix.Entities) - events, "event": events, "relation": rels}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("lines by kind = %v, want %v (the fixture after the merge)", kinds, want)
	}
	for _, s := range []string{`"name_ar":"خالد خليفة حفتر"`, `"title":"Row 7: harbour protest <draft> & nets"`, `"merged_from":["` + storetest.Duplicate + `"]`, `"K. Haftar"`} {
		if !strings.Contains(string(out), s) {
			t.Errorf("the export lacks %s", s)
		}
	}

	// The format carries objects, not merge records: the dropped id
	// still finds the kept entity in the store merged in, not in the
	// store imported into, where merged_from is what is left of it.
	if e, err := src.Entity(ctx, storetest.Duplicate); err != nil || e.ID != storetest.KhaledHaftar {
		t.Errorf("source: Entity(dropped id) = %s, %v; want the kept entity", e.ID, err)
	}
	if _, err := dst.Entity(ctx, storetest.Duplicate); !graph.Is(err, graph.NotFound) {
		t.Errorf("import: Entity(dropped id) = %v; want not_found (docs/NDJSON.md says redirects are not exported)", err)
	}
}

// backends are the stores an import is tested into.
var backends = []next{{"memstore", openMemory}, {"neo4j", openNeo4j}}

// TestImportTwice: importing the same file again changes nothing and
// records no change.
func TestImportTwice(t *testing.T) {
	src := openMemory(t)
	loadFixture(t, src)
	data := export(t, src)
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testImportTwice(t, b.open(t), data) })
	}
}

func testImportTwice(t *testing.T, dst graph.Store, data []byte) {
	first := importAll(t, dst, data)
	if first.Applied.Created == 0 {
		t.Fatalf("the first import created nothing: %+v", first.Applied)
	}
	before, err := dst.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second := importAll(t, dst, data)
	after, err := dst.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.Applied.Created != 0 || second.Applied.Updated != 0 || second.Applied.Evidence != 0 {
		t.Errorf("the second import applied %+v; want nothing created, updated or added", second.Applied)
	}
	if after.Changes != before.Changes {
		t.Errorf("the second import moved the change counter from %d to %d", before.Changes, after.Changes)
	}
	if out := export(t, dst); !bytes.Equal(out, data) {
		t.Errorf("the export after two imports differs:\n%s", lineDiff(data, out))
	}
}

// TestImportBadLines: a malformed line and a relation to an entity that
// exists nowhere, in the middle of a file imported in small chunks (so the
// loader splits the chunk the store rejects), are reported by line;
// everything else is imported, so the store exports exactly the file
// without them.
func TestImportBadLines(t *testing.T) {
	src := openMemory(t)
	loadFixture(t, src)
	good := export(t, src)
	lines := strings.SplitAfter(string(good), "\n")
	lines = lines[:len(lines)-1] // "" after the last "\n"

	nowhere := graph.EntityID(graph.KindPlace, "nowhere at all")
	orphan := graph.Relation{Type: graph.LocatedIn, From: storetest.Sirte, To: nowhere}
	orphan.ID = graph.RelationID(orphan.Type, orphan.From, orphan.To, "")
	orphan.Evidence = []graph.Evidence{{ID: graph.EvidenceID(orphan.ID, storetest.DocGazetteer, 0, 6),
		Document: storetest.DocGazetteer, Start: 0, End: 6, Text: "Sirte ", Rule: "test", Confidence: 0.5}}
	orphanLine, err := json.Marshal(map[string]any{"kind": "relation", "relation": orphan})
	if err != nil {
		t.Fatal(err)
	}
	// The malformed line among the entities, the orphan among the
	// relations: lines are numbered from 1, after insertion.
	firstRel := 0
	for i, l := range lines {
		if strings.HasPrefix(l, `{"kind":"relation"`) {
			firstRel = i
			break
		}
	}
	malformedAt, orphanAt := 8, firstRel+4 // indexes into the final list
	var bad []string
	bad = append(bad, lines[:malformedAt]...)
	bad = append(bad, `{"kind":"entity","entity":{"id":`+"\n")
	bad = append(bad, lines[malformedAt:orphanAt-1]...)
	bad = append(bad, string(orphanLine)+"\n")
	bad = append(bad, lines[orphanAt-1:]...)

	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			testImportBadLines(t, b.open(t), strings.Join(bad, ""), good, malformedAt+1, orphanAt+1)
		})
	}
}

func testImportBadLines(t *testing.T, dst graph.Store, file string, good []byte, malformedLine, orphanLine int) {
	lines := bytes.Count(good, []byte("\n"))
	sum, err := ndjson.Read(ctx, dst, strings.NewReader(file), loader.WithSize(7))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	objects := lines - 1
	if sum.Read != objects+2 || sum.Imported != objects || len(sum.Skipped) != 2 {
		t.Fatalf("summary: %d read, %d imported, skipped %+v; want %d read, %d imported, 2 skipped",
			sum.Read, sum.Imported, sum.Skipped, objects+2, objects)
	}
	if s := sum.Skipped[0]; s.Line != malformedLine || !strings.Contains(s.Reason, "not JSON") {
		t.Errorf("skipped[0] = %+v, want line %d, not JSON", s, malformedLine)
	}
	if s := sum.Skipped[1]; s.Line != orphanLine || !strings.Contains(s.Reason, "neither in the batch nor stored") {
		t.Errorf("skipped[1] = %+v, want line %d, the unknown entity", s, orphanLine)
	}
	if out := export(t, dst); !bytes.Equal(out, good) {
		t.Errorf("the import without the bad lines exports differently:\n%s", lineDiff(good, out))
	}
}

// TestReadVersion: a file of another version imports nothing and says why.
func TestReadVersion(t *testing.T) {
	st := openMemory(t)
	sum, err := ndjson.Read(ctx, st, strings.NewReader(lines(v2Hdr, docL)))
	if err == nil || err.Error() != "line 1: the file is polgraph NDJSON version 2; this build reads version 1 only" {
		t.Fatalf("Read of a version 2 file: %v", err)
	}
	if sum.Read != 0 || sum.Imported != 0 {
		t.Errorf("summary = %+v, want nothing read", sum)
	}
}

// TestReadCancelled: a cancelled import stops with unavailable.
func TestReadCancelled(t *testing.T) {
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := ndjson.Read(c, openMemory(t), strings.NewReader(lines(hdr, docL)))
	if !graph.Is(err, graph.Unavailable) {
		t.Errorf("Read with a cancelled context: %v, want unavailable", err)
	}
}
