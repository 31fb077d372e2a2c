package memstore

import (
	"encoding/json"
	"reflect"
	"testing"
	"unsafe"

	"github.com/polgraph/polgraph/graph"
)

// decodeSeeds are relations as the store writes them and as it never does:
// escapes, other scripts, nulls, unknown fields, odd numbers and spacing.
func decodeSeeds(t testing.TB) [][]byte {
	from, to, doc := graph.EntityID(graph.KindPerson, "a"), graph.EntityID(graph.KindEvent, "b"), graph.DocumentID("d")
	r := graph.Relation{ID: graph.RelationID(graph.ParticipatedIn, from, to, "party"), Type: graph.ParticipatedIn,
		From: from, To: to, Role: "party", Title: "Lt. Gen.", Count: 3, Date: "2025-10", EvidenceCount: 2, Confidence: 0.91,
		FirstSeen: "2025-10-01", LastSeen: "2025-10-20"}
	r.Evidence = []graph.Evidence{
		{ID: graph.EvidenceID(r.ID, doc, 3, 9), Document: doc, Sentence: 2, Start: 3, End: 9, Text: "Khaled", Rule: "r1",
			Confidence: 0.7, SentenceStart: 0, SentenceText: `He said "Khaled & <co>" met` + "\u2028\t\x01", Date: "2025-10-01"},
		{ID: graph.EvidenceID(r.ID, doc, 20, 24), Document: doc, Start: 20, End: 24, Text: "خالد حفتر", Rule: "r2",
			Confidence: 1e-7, SentenceText: "قال خالد حفتر 😀", Date: "2025-10-20"},
	}
	var seeds [][]byte
	add := func(r graph.Relation) {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	add(r)
	add(graph.Relation{ID: r.ID, Type: r.Type, From: from, To: to})                               // evidence null
	add(graph.Relation{ID: r.ID, Type: r.Type, From: from, To: to, Evidence: []graph.Evidence{}}) // evidence []
	add(graph.Relation{ID: r.ID, Other: &graph.Entity{ID: from, Name: "x"}})
	for _, s := range []string{
		`{}`, ` { "id" : "x" , "evidence" : [ { } ] } `, `{"id":"a\u00e9\ud800b"}`, `{"id":"a` + "\xff" + `b"}`,
		`{"ID":"x"}`, `{"id":null}`, `{"count":1.0}`, `{"count":-0}`, `{"count":01}`, `{"count":1e2}`,
		`{"count":123456789012345678901}`, `{"confidence":-0}`, `{"confidence":.5}`, `{"confidence":+1}`,
		`{"confidence":1e400}`, `{"confidence":1.5E-3}`, `{"evidence":[null]}`, `{"evidence":[{"id":"x"},]}`,
		`{"id":"x",}`, `{"id":"x"} x`, `{"id":"x"`, `{"id":"x\"}`, `{"id":"\"x\\"}`, `{"id":"x","id":"y"}`,
		`{"evidence":[{"id":"x"}],"evidence":[]}`, `{"from":"` + from + `","to":"` + to + `"}`, `[]`, `null`, ``,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// checkDecode fails unless the decoder gives what json.Unmarshal gives:
// the same relation, or an error for both.
func checkDecode(t *testing.T, data []byte) {
	t.Helper()
	st := newState()
	// Entities and documents loaded before, whose ids relations share.
	for _, id := range []string{graph.EntityID(graph.KindPerson, "a"), graph.EntityID(graph.KindEvent, "b")} {
		st.entities[id] = &graph.Entity{ID: id}
	}
	id := graph.DocumentID("d")
	st.documents[id] = &graph.Document{ID: id}
	var want graph.Relation
	wantErr := json.Unmarshal(data, &want)
	got, err := newDecoder(st).relation(data)
	switch {
	case (err != nil) != (wantErr != nil):
		t.Fatalf("%s: decoder error %v, json.Unmarshal error %v", data, err, wantErr)
	case err == nil && !reflect.DeepEqual(*got, want):
		t.Fatalf("%s:\ndecoded %#v\nwant    %#v", data, *got, want)
	}
}

func TestDecodeRelation(t *testing.T) {
	for _, s := range decodeSeeds(t) {
		checkDecode(t, s)
	}
	// The fast path takes what the store writes and shares the ids.
	st := newState()
	from := graph.EntityID(graph.KindPerson, "a")
	st.entities[from] = &graph.Entity{ID: from}
	seed := decodeSeeds(t)[0]
	d := newDecoder(st)
	var r graph.Relation
	if !d.fastRelation(seed, &r) {
		t.Fatalf("the fast path refused %s", seed)
	}
	if r.From != from || unsafeData(r.From) != unsafeData(st.entities[from].ID) {
		t.Errorf("from %q does not share the entity's id", r.From)
	}
}

func FuzzDecodeRelation(f *testing.F) {
	for _, s := range decodeSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkDecode)
}

func unsafeData(s string) *byte { return unsafe.StringData(s) }
