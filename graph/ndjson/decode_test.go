package ndjson_test

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/ndjson"
)

// Small lines of our own for the decoder: the decoder checks the shape of
// a line, not the object, so these need not be a consistent graph (the
// round-trip tests use a real one).
var (
	docID    = graph.DocumentID("https://example.org/notes/1")
	personID = graph.EntityID(graph.KindPerson, "amina fathi")
	eventID  = graph.EntityID(graph.KindEvent, "2025-03-03 harbour meeting")
	relID    = graph.RelationID(graph.ParticipatedIn, personID, eventID, "host")

	hdr     = `{"kind":"header","format":"polgraph","version":1}`
	docL    = `{"kind":"document","document":{"id":"` + docID + `","title":"Notes <1> & more","text":"Amina Fathi hosted a meeting."}}`
	entL    = `{"kind":"entity","entity":{"id":"` + personID + `","kind":"Person","name":"Amina Fathi","name_ar":"أمينة فتحي","aliases":[]}}`
	evtL    = `{"kind":"event","event":{"id":"` + eventID + `","kind":"Event","name":"Harbour meeting","aliases":[],"date":"2025-03-03"}}`
	relL    = `{"kind":"relation","relation":{"id":"` + relID + `","type":"PARTICIPATED_IN","from":"` + personID + `","to":"` + eventID + `","role":"host","evidence":[{"id":"` + relID + `","document":"` + docID + `","sentence":0,"start":0,"end":11,"text":"Amina Fathi","rule":"test","confidence":0.9,"sentence_start":0}],"evidence_count":1,"confidence":0.9}}`
	badUTF8 = strings.Replace(entL, "Amina Fathi", "Amina \xffathi", 1)
	v2Hdr   = `{"kind":"header","format":"polgraph","version":2}`
	entRaw  = `"entity":{"id":"` + personID + `","kind":"Person","name":"Amina Fathi","aliases":[]}`
)

// result is what one call of Next gave, as a test states it: an object
// ("document", "entity", "event", "relation" and the line), a bad line
// ("error", its line and a part of the message), or the fatal end ("fatal").
type result struct {
	line int
	kind string
	msg  string
}

func (r result) String() string { return fmt.Sprintf("%d %s %s", r.line, r.kind, r.msg) }

// decodeAll calls Next until io.EOF or a fatal error, and checks what every
// answer must be: objects with exactly one field set, errors with a line,
// a fatal error returned again on the next call.
func decodeAll(t testing.TB, r io.Reader) []result {
	t.Helper()
	dec := ndjson.NewDecoder(r)
	var out []result
	last := 0
	for range 1000 {
		it, err := dec.Next()
		var bad *ndjson.LineError
		var fatal *ndjson.FormatError
		switch {
		case err == io.EOF:
			if _, again := dec.Next(); again != io.EOF {
				t.Fatalf("Next after io.EOF = %v, want io.EOF again", again)
			}
			return out
		case errors.As(err, &bad):
			if bad.Line <= last {
				t.Fatalf("error on line %d after line %d: %v", bad.Line, last, err)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", bad.Line)) {
				t.Errorf("error %q does not start with its line", err)
			}
			last = bad.Line
			out = append(out, result{bad.Line, "error", bad.Err.Error()})
		case errors.As(err, &fatal):
			if _, again := dec.Next(); again != err {
				t.Fatalf("Next after a fatal error = %v, want the same error %v", again, err)
			}
			return append(out, result{fatal.Line, "fatal", err.Error()})
		case err != nil:
			t.Fatalf("Next: %v (neither a *LineError nor a *FormatError)", err)
		default:
			if it.Line <= last {
				t.Fatalf("object on line %d after line %d", it.Line, last)
			}
			last = it.Line
			out = append(out, result{it.Line, kindOf(t, it.Object), ""})
		}
	}
	t.Fatal("Next never ended")
	return nil
}

// kindOf names the line kind an object belongs on.
func kindOf(t testing.TB, o graph.Object) string {
	t.Helper()
	set, kind := 0, ""
	if o.Document != nil {
		set, kind = set+1, "document"
	}
	if o.Entity != nil {
		set, kind = set+1, "entity"
		if o.Entity.Kind == graph.KindEvent {
			kind = "event"
		}
	}
	if o.Relation != nil {
		set, kind = set+1, "relation"
	}
	if set != 1 {
		t.Fatalf("an item with %d objects set, want exactly one", set)
	}
	return kind
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// decoderCases are small inputs and what the decoder must make of them;
// FuzzDecoder starts from them too.
var decoderCases = []struct {
	name  string
	input string
	want  []result
}{
	{"a whole file", lines(hdr, docL, entL, evtL, relL),
		[]result{{2, "document", ""}, {3, "entity", ""}, {4, "event", ""}, {5, "relation", ""}}},
	{"no header: read as version 1", lines(entL, evtL),
		[]result{{1, "entity", ""}, {2, "event", ""}}},
	{"byte order mark before the header", "\uFEFF" + lines(hdr, entL),
		[]result{{2, "entity", ""}}},
	{"byte order mark before an object", "\uFEFF" + entL,
		[]result{{1, "entity", ""}}},
	{"blank lines, CRLF, no final newline", "\n  \t\n" + entL + "\r\n\r\n" + evtL,
		[]result{{3, "entity", ""}, {5, "event", ""}}},
	{"empty input", "", nil},
	{"the header again (files joined with cat)", lines(hdr, entL, hdr, evtL),
		[]result{{2, "entity", ""}, {4, "event", ""}}},

	{"not JSON, then going on", lines(`{"kind":"entity",`, entL, `kind: entity`, evtL),
		[]result{{1, "error", "not JSON: the value ends early"}, {2, "entity", ""},
			{3, "error", "not JSON: invalid character 'k'"}, {4, "event", ""}}},
	{"not an object", lines(`[1,2]`, `"entity"`, `null`, entL),
		[]result{{1, "error", "cannot unmarshal array"}, {2, "error", "cannot unmarshal string"},
			{3, "error", `no "kind"`}, {4, "entity", ""}}},
	{"unknown kind", lines(`{"kind":"person",`+entRaw+`}`, entL),
		[]result{{1, "error", `unknown kind "person"`}, {2, "entity", ""}}},
	{"no kind", lines(`{` + entRaw + `}`),
		[]result{{1, "error", `no "kind"`}}},
	{"payload missing", lines(`{"kind":"entity"}`, `{"kind":"relation","relation":null}`, `{"kind":"document","entity":{}}`),
		[]result{{1, "error", `needs its object in the field "entity"`}, {2, "error", `needs its object in the field "relation"`},
			{3, "error", `needs its object in the field "document"`}}},
	{"two payloads", lines(`{"kind":"entity",` + entRaw + `,"document":{"id":"` + docID + `"}}`),
		[]result{{1, "error", `also has "document"`}}},
	{"unknown field on the line", lines(`{"kind":"entity","entiy":{}}`, entL),
		[]result{{1, "error", `unknown field "entiy"`}, {2, "entity", ""}}},
	{"unknown field in the object", lines(`{"kind":"entity","entity":{"id":"` + personID + `","kind":"Person","nmae":"Amina"}}`),
		[]result{{1, "error", `unknown field "nmae"`}}},
	{"unknown field in evidence", lines(strings.Replace(relL, `"rule"`, `"rulez"`, 1)),
		[]result{{1, "error", `unknown field "rulez"`}}},
	{"a value of the wrong type", lines(`{"kind":"entity","entity":{"id":"` + personID + `","kind":"Place","name":"Sirte","lat":"north"}}`),
		[]result{{1, "error", `field "entity.lat" holds a JSON string, which cannot be a float64`}}},
	{"an event on an entity line", lines(strings.Replace(evtL, `{"kind":"event","event"`, `{"kind":"entity","entity"`, 1)),
		[]result{{1, "error", `an entity of kind Event goes on a line of kind "event"`}}},
	{"a person on an event line", lines(strings.Replace(entL, `{"kind":"entity","entity"`, `{"kind":"event","event"`, 1)),
		[]result{{1, "error", `holds an entity of kind Event, not "Person"`}}},
	{"a document's node on an entity line", lines(`{"kind":"entity","entity":{"id":"` + docID + `","kind":"Document","name":"Notes"}}`),
		[]result{{1, "error", `a "document" line makes its node`}}},
	{"a relation with other", lines(strings.Replace(relL, `"evidence_count"`, `"other":{"id":"`+eventID+`"},"evidence_count"`, 1), relL),
		[]result{{1, "error", `no "other" field`}, {2, "relation", ""}}},
	{"invalid UTF-8", lines(badUTF8, entL),
		[]result{{1, "error", fmt.Sprintf("not valid UTF-8 (at byte %d)", strings.IndexByte(badUTF8, 0xff))}, {2, "entity", ""}}},
	{"two values on a line", lines(entL+" "+evtL, evtL),
		[]result{{1, "error", "more than one JSON value"}, {2, "event", ""}}},
	{"header fields on an object", lines(`{"kind":"entity","version":1,` + entRaw + `}`),
		[]result{{1, "error", "belong on the header line only"}}},

	{"a newer version", lines(v2Hdr, entL),
		[]result{{1, "fatal", "line 1: the file is polgraph NDJSON version 2; this build reads version 1 only"}}},
	{"another format", lines(`{"kind":"header","format":"gdelt","version":1}`, entL),
		[]result{{1, "fatal", `line 1: the file's header names format "gdelt", version 1; this build reads polgraph NDJSON version 1`}}},
	{"a header without a version", lines(`{"kind":"header","format":"polgraph"}`, entL),
		[]result{{1, "fatal", "version 0; this build reads version 1 only"}}},
	{"a header that cannot be decoded", lines(`{"kind":"header","format":"polgraph","version":"2"}`, entL),
		[]result{{1, "fatal", `line 1: a header this build cannot read (field "version" holds a JSON string`}}},
	{"a header with unknown fields", lines(`{"kind":"header","format":"polgraph","version":1,"zip":true}`, entL),
		[]result{{1, "fatal", `unknown field "zip"`}}},
	{"a header with an object", lines(`{"kind":"header","format":"polgraph","version":1,`+entRaw+`}`, entL),
		[]result{{1, "fatal", `a header holds no object, and this one has "entity"`}}},
	{"a newer version joined on", lines(hdr, entL, v2Hdr, evtL),
		[]result{{2, "entity", ""}, {3, "fatal", "line 3: the file is polgraph NDJSON version 2"}}},
}

func TestDecoder(t *testing.T) {
	for _, tc := range decoderCases {
		t.Run(tc.name, func(t *testing.T) {
			sameResults(t, decodeAll(t, strings.NewReader(tc.input)), tc.want)
		})
	}
}

// sameResults compares results; a wanted message need only be part of the
// one given.
func sameResults(t *testing.T, got, want []result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d results %v, want %v", len(got), got, want)
	}
	for i, g := range got {
		w := want[i]
		if g.line != w.line || g.kind != w.kind || !strings.Contains(g.msg, w.msg) {
			t.Errorf("result %d = %v, want %v", i, g, w)
		}
	}
}

// TestDecoderObjects: the objects are the lines' objects, whole.
func TestDecoderObjects(t *testing.T) {
	dec := ndjson.NewDecoder(strings.NewReader(lines(hdr, docL, entL, evtL, relL)))
	var items []ndjson.Item
	for {
		it, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	if len(items) != 4 {
		t.Fatalf("%d items, want 4", len(items))
	}
	if d := items[0].Document; d.ID != docID || d.Title != "Notes <1> & more" {
		t.Errorf("document = %+v", d)
	}
	if e := items[1].Entity; e.ID != personID || e.NameAr != "أمينة فتحي" || e.Kind != graph.KindPerson {
		t.Errorf("entity = %+v", e)
	}
	if e := items[2].Entity; e.ID != eventID || e.Kind != graph.KindEvent || e.Date != "2025-03-03" {
		t.Errorf("event = %+v", e)
	}
	r := items[3].Relation
	if r.ID != relID || r.Role != "host" || len(r.Evidence) != 1 || r.Evidence[0].Text != "Amina Fathi" || r.Evidence[0].Confidence != 0.9 {
		t.Errorf("relation = %+v", r)
	}
}

// repeat reads n bytes 'a', without holding them.
type repeat struct{ n int }

var as = []byte(strings.Repeat("a", 64<<10))

func (r *repeat) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], as)
	r.n -= n
	return n, nil
}

// TestDecoderLongLine: a line over MaxLine is reported and skipped, the
// next line is read, and the long line is never held whole: reading one
// eight times the limit allocates far less than the line.
func TestDecoderLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 512 MiB")
	}
	const long = 8 * ndjson.MaxLine
	in := io.MultiReader(strings.NewReader(lines(hdr, entL)+`{"kind":"entity","entity":{"id":"`+personID+`","name":"`),
		&repeat{long}, strings.NewReader(`"}}`+"\n"+evtL+"\n"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := decodeAll(t, in)
	runtime.ReadMemStats(&after)
	sameResults(t, got, []result{{2, "entity", ""}, {3, "error", "longer than 64 MiB"}, {4, "event", ""}})
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > long/2 {
		t.Errorf("reading a %d MiB line allocated %d MiB: the line was held in memory", long>>20, alloc>>20)
	}

	// Exactly MaxLine is allowed (here it is not JSON, but it is read).
	sameResults(t, decodeAll(t, io.MultiReader(&repeat{ndjson.MaxLine}, strings.NewReader("\n"+entL))),
		[]result{{1, "error", "not JSON"}, {2, "entity", ""}})
	sameResults(t, decodeAll(t, io.MultiReader(&repeat{ndjson.MaxLine + 1}, strings.NewReader("\n"+entL))),
		[]result{{1, "error", "longer than 64 MiB"}, {2, "entity", ""}})
}

// failing reads its data, then fails.
type failing struct{ r io.Reader }

func (f failing) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

// TestDecoderReadError: a reader's failure ends decoding with an error that
// names the line being read; the partial line is not reported as malformed.
func TestDecoderReadError(t *testing.T) {
	dec := ndjson.NewDecoder(failing{strings.NewReader(lines(hdr, entL) + `{"kind":"ev`)})
	if it, err := dec.Next(); err != nil || it.Line != 2 {
		t.Fatalf("first Next = %+v, %v", it, err)
	}
	_, err := dec.Next()
	var bad *ndjson.LineError
	if err == nil || errors.As(err, &bad) || err.Error() != "line 3: reading: disk on fire" {
		t.Fatalf("Next at the failure = %v, want the reader's error on line 3, not a *LineError", err)
	}
	if _, again := dec.Next(); again != err {
		t.Errorf("Next after the failure = %v, want the same error", again)
	}
}
