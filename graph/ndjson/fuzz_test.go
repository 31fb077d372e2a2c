package ndjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/ndjson"
)

// FuzzDecoder feeds the decoder arbitrary bytes. It must never panic;
// every error must be a bad line or the fatal header, with a line number
// inside the input; objects come in line order, each exactly one object;
// and what it accepts must read back the same once written in the
// format's own way (so that an import followed by an export loses nothing
// the decoder let in).
func FuzzDecoder(f *testing.F) {
	for _, tc := range decoderCases {
		f.Add([]byte(tc.input))
	}
	f.Add([]byte(lines(hdr, docL, entL, evtL, relL)))
	f.Fuzz(func(t *testing.T, data []byte) {
		maxLine := bytes.Count(data, []byte("\n")) + 1
		dec := ndjson.NewDecoder(bytes.NewReader(data))
		last := 0
		for range maxLine + 1 {
			it, err := dec.Next()
			var bad *ndjson.LineError
			var fatal *ndjson.FormatError
			switch {
			case err == io.EOF:
				return
			case errors.As(err, &bad):
				if bad.Line <= last || bad.Line > maxLine {
					t.Fatalf("error on line %d (after line %d, of %d): %v", bad.Line, last, maxLine, err)
				}
				last = bad.Line
			case errors.As(err, &fatal):
				if fatal.Line <= last || fatal.Line > maxLine {
					t.Fatalf("fatal error on line %d (after line %d, of %d): %v", fatal.Line, last, maxLine, err)
				}
				if _, again := dec.Next(); again != err {
					t.Fatalf("Next after a fatal error: %v, want it again", again)
				}
				return
			case err != nil:
				t.Fatalf("an error that is neither a bad line nor a fatal header: %v", err)
			default:
				if it.Line <= last || it.Line > maxLine {
					t.Fatalf("object on line %d (after line %d, of %d)", it.Line, last, maxLine)
				}
				last = it.Line
				rewritten(t, it)
			}
		}
		t.Fatalf("Next did not end after %d calls on %d lines", maxLine+1, maxLine)
	})
}

// rewritten writes it as the format writes its kind and reads it back: the
// same object, on line 1.
func rewritten(t *testing.T, it ndjson.Item) {
	t.Helper()
	kind := kindOf(t, it.Object)
	var obj any
	switch kind {
	case "document":
		obj = it.Document
	case "relation":
		obj = it.Relation
	default:
		if it.Entity.Kind == graph.KindDocument {
			t.Fatalf("line %d: an entity of kind Document was accepted", it.Line)
		}
		obj = it.Entity
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"kind": kind, kind: obj}); err != nil {
		t.Fatalf("line %d: the object does not encode: %v", it.Line, err)
	}
	again, err := ndjson.NewDecoder(&buf).Next()
	if err != nil {
		t.Fatalf("line %d: written as %s it reads back with %v", it.Line, buf.Bytes(), err)
	}
	a, _ := json.Marshal(it.Object)
	b, _ := json.Marshal(again.Object)
	if again.Line != 1 || !bytes.Equal(a, b) {
		t.Fatalf("line %d reads back as a different object:\n was   %s\n reads %s", it.Line, a, b)
	}
}
