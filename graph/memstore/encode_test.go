package memstore

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// checkEncode fails unless appendRelation writes what json.Marshal writes,
// or declines a relation json.Marshal refuses.
func checkEncode(t *testing.T, r graph.Relation) {
	t.Helper()
	want, wantErr := json.Marshal(r)
	got, ok := appendRelation([]byte("x"), &r)
	switch {
	case !ok && r.Other == nil && wantErr == nil:
		t.Errorf("%+v: declined, json.Marshal gives %s", r, want)
	case ok && wantErr != nil:
		t.Errorf("%+v: encoded, json.Marshal fails: %v", r, wantErr)
	case ok && string(got) != "x"+string(want):
		t.Errorf("got  %s\nwant x%s", got, want)
	}
}

func encodeSeed() graph.Relation {
	var r graph.Relation
	if err := json.Unmarshal(decodeSeeds(nil)[0], &r); err != nil {
		panic(err)
	}
	return r
}

func TestAppendRelation(t *testing.T) {
	for _, edit := range []func(*graph.Relation){
		func(*graph.Relation) {},
		func(r *graph.Relation) { r.Evidence = nil },
		func(r *graph.Relation) { r.Evidence = []graph.Evidence{} },
		func(r *graph.Relation) { *r = graph.Relation{} },
		func(r *graph.Relation) {
			r.Role, r.Title, r.Date, r.FirstSeen, r.LastSeen, r.Count = "", "", "", "", "", 0
		},
		func(r *graph.Relation) { r.Evidence[0].SentenceText = "a\xffb\xed\xa0\x80<>&\u2029\x7f\x1f\b\f\r" },
		func(r *graph.Relation) { r.Count, r.EvidenceCount = math.MinInt64, -3 },
		func(r *graph.Relation) { r.Evidence[0].Start = math.MaxInt64 },
		func(r *graph.Relation) { r.Confidence = math.Copysign(0, -1) },
		func(r *graph.Relation) { r.Confidence = 1e-7 },
		func(r *graph.Relation) { r.Confidence = 1e21 },
		func(r *graph.Relation) { r.Confidence = -1.5e-300 },
		func(r *graph.Relation) { r.Confidence = 123456789.125 },
		func(r *graph.Relation) { r.Confidence = math.NaN() },
		func(r *graph.Relation) { r.Evidence[1].Confidence = math.Inf(-1) },
		func(r *graph.Relation) { r.Other = &graph.Entity{ID: r.From} },
	} {
		r := encodeSeed()
		edit(&r)
		checkEncode(t, r)
	}
}

func FuzzAppendRelation(f *testing.F) {
	f.Add("Khaled", "party", "قال \"خالد\" <&>\u2028", 0.7, 3)
	f.Add("\xff\x00", "", "", 1e-9, -1)
	f.Fuzz(func(t *testing.T, text, role, sentence string, conf float64, n int) {
		r := encodeSeed()
		r.Role, r.Count, r.Confidence = role, n, conf
		r.Evidence[0].Text, r.Evidence[0].SentenceText, r.Evidence[0].Start = text, sentence, n
		checkEncode(t, r)
	})
}
