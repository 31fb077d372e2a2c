package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// TestMergePatchRFC7396 runs the examples of RFC 7396, appendix A.
func TestMergePatchRFC7396(t *testing.T) {
	for _, c := range []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`["a","b"]`, `["c","d"]`, `["c","d"]`},
		{`{"a":"b"}`, `["c"]`, `["c"]`},
		{`{"a":"foo"}`, `null`, `null`},
		{`{"a":"foo"}`, `"bar"`, `"bar"`},
		{`{"e":null}`, `{"a":1}`, `{"a":1,"e":null}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
	} {
		got := mergePatch(json.RawMessage(c.target), json.RawMessage(c.patch))
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s + %s gave %s: %v", c.target, c.patch, got, err)
		}
		json.Unmarshal([]byte(c.want), &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s + %s = %s, want %s", c.target, c.patch, got, c.want)
		}
	}
}

// TestEditableFieldsAreTheStores checks the API's list of editable fields
// against graph.EditableFields: a field the API lets a patch name must be
// one the store takes from an edit, and the other way round.
func TestEditableFieldsAreTheStores(t *testing.T) {
	lat, one := 12.5, 1
	gold := 2.0
	in := graph.Entity{ID: "x", Kind: graph.KindGroup, Key: "k", Subtype: "militia", Name: "N", NameAr: "ن",
		Aliases: []string{"A"}, Title: "T", TitleAr: "ت", Lat: &lat, Lon: &lat, GeoPrecision: "city",
		EventType: "clash", Date: "2025-01-02", DatePrecision: "day", Cameo: "190", QuadClass: 4, Goldstein: &gold,
		Fatalities: &one, Revision: 7, Topics: []string{"security"}, Summary: "S",
		Mentions: []graph.Mention{{Document: "d", Start: 0, End: 1, Text: "N"}}, FirstSeen: "2025-01-01",
		LastSeen: "2025-01-03", MergedFrom: []string{"m"}}
	out := graph.EditableFields(graph.Entity{}, in)
	var copied []string
	rv, ro := reflect.ValueOf(in), reflect.ValueOf(out)
	for i := range rv.NumField() {
		if !ro.Field(i).IsZero() {
			name := jsonName(rv.Type().Field(i))
			copied = append(copied, name)
		}
	}
	slices.Sort(copied)
	want := slices.Clone(editableFields)
	slices.Sort(want)
	if !slices.Equal(copied, want) {
		t.Errorf("graph.EditableFields copies %v;\nthe API lets a patch set %v", copied, want)
	}
}

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	for i := range len(tag) {
		if tag[i] == ',' {
			return tag[:i]
		}
	}
	return tag
}

// FuzzMergePatch: on any JSON target and patch, the result is JSON, and a
// merge patch is idempotent (applying it twice is applying it once).
func FuzzMergePatch(f *testing.F) {
	f.Add(`{"a":"b","c":{"d":1}}`, `{"a":null,"c":{"e":[1]}}`)
	f.Add(`[1]`, `{"x":{"y":null}}`)
	f.Add(`{"name":"N","aliases":["A"]}`, `{"aliases":null,"title":"T"}`)
	f.Fuzz(func(t *testing.T, target, patch string) {
		if !json.Valid([]byte(target)) || !json.Valid([]byte(patch)) {
			t.Skip()
		}
		once := mergePatch(json.RawMessage(target), json.RawMessage(patch))
		if !json.Valid(once) {
			t.Fatalf("%s + %s = %s: not JSON", target, patch, once)
		}
		twice := mergePatch(once, json.RawMessage(patch))
		var a, b any
		json.Unmarshal(once, &a)
		json.Unmarshal(twice, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s + %s = %s, and again %s", target, patch, once, twice)
		}
	})
}
