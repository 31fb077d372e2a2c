package ndjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
)

// Item is one object read from a file, and the line it is on.
type Item struct {
	Line int
	graph.Object
}

// Decoder reads the objects of a file one by one. It checks the shape of
// each line (JSON, a known kind, the payload that kind names, no unknown
// fields) but not the objects themselves: that is graph's validation, which
// the store applies on import.
type Decoder struct {
	r    *bufio.Reader
	line int    // the number of the last line read
	buf  []byte // the line being read, when it spans reads
	err  error  // sticky: io.EOF, a read error or a *FormatError
}

// NewDecoder returns a decoder of r. A file without a header is read as
// version 1, so that hand-written files need none.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: bufio.NewReaderSize(r, 256<<10)}
}

// bom is the UTF-8 byte order mark some editors put at the start of a file.
var bom = []byte("\uFEFF")

// Next returns the next object. At the end of the input it returns io.EOF.
// A line that cannot be read gives a *LineError, and the next call goes on
// with the line after it. A header of another format or version gives a
// *FormatError, and a failing reader its error (with the line it was
// reading); both are final: every later call returns them again. Blank
// lines are skipped; a header may appear again later in the file (files
// joined with cat), and is checked like the first.
func (d *Decoder) Next() (Item, error) {
	for d.err == nil {
		raw, tooLong, err := d.readLine()
		switch {
		case err == io.EOF:
			d.err = err // after this line, if there is one
			if len(raw) == 0 && !tooLong {
				return Item{}, d.err
			}
		case err != nil:
			// Not the partial line: it would be reported as malformed
			// when the fault is the reader's.
			d.err = fmt.Errorf("line %d: reading: %w", d.line+1, err)
			return Item{}, d.err
		}
		d.line++
		if d.line == 1 {
			raw = bytes.TrimPrefix(raw, bom)
		}
		if tooLong {
			return Item{}, &LineError{Line: d.line, Err: fmt.Errorf("longer than %d MiB, the most a line may hold", MaxLine>>20)}
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		it, err := d.decode(raw)
		if _, fatal := err.(*FormatError); fatal {
			d.err = err
		}
		if err != nil {
			return Item{}, err
		}
		if it.Line == 0 { // a header of this version: nothing to return
			continue
		}
		return it, nil
	}
	return Item{}, d.err
}

// readLine returns the next line without its "\n", or, past MaxLine,
// tooLong and no bytes: the rest of that line is read and dropped. The
// error is the reader's (io.EOF after the last line, which comes with the
// line's bytes when the file does not end in "\n").
func (d *Decoder) readLine() (raw []byte, tooLong bool, err error) {
	if cap(d.buf) > 1<<20 {
		d.buf = nil // one long line should not pin its memory for the rest of the file
	}
	d.buf = d.buf[:0]
	for {
		chunk, err := d.r.ReadSlice('\n')
		done := err != bufio.ErrBufferFull
		if done && len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
			chunk = chunk[:len(chunk)-1]
		}
		switch {
		case tooLong:
		case len(d.buf)+len(chunk) > MaxLine:
			tooLong, raw, d.buf = true, nil, nil
		case done && len(d.buf) == 0:
			// The whole line is in the reader's buffer: no copy. It
			// stays valid until the next read, after it is decoded.
			raw = chunk
		default:
			if need := len(d.buf) + len(chunk); need > cap(d.buf) {
				// Doubling, not append's gentler growth for large slices:
				// a line near MaxLine then costs about twice its size in
				// allocations, not five times.
				b := make([]byte, len(d.buf), min(max(need, 2*cap(d.buf)), MaxLine))
				copy(b, d.buf)
				d.buf = b
			}
			d.buf = append(d.buf, chunk...)
			raw = d.buf
		}
		if done {
			return raw, tooLong, err
		}
	}
}

// decode reads one non-blank line. A header gives an Item with Line 0.
func (d *Decoder) decode(raw []byte) (Item, error) {
	bad := func(format string, args ...any) (Item, error) {
		return Item{}, &LineError{Line: d.line, Err: fmt.Errorf(format, args...)}
	}
	if !utf8.Valid(raw) {
		// encoding/json would quietly turn the bytes into U+FFFD: a name
		// changed on import is worse than a line reported.
		return bad("not valid UTF-8 (at byte %d)", invalidAt(raw))
	}
	var l line
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // a misspelt field in a hand-written file is an error, not a silent omission
	if err := dec.Decode(&l); err != nil {
		if isHeader(raw) {
			return Item{}, &FormatError{Line: d.line, Err: jsonError(err)}
		}
		return bad("%v", jsonError(err))
	}
	if rest := bytes.TrimSpace(raw[dec.InputOffset():]); len(rest) > 0 {
		return bad("more than one JSON value on the line")
	}
	payloads := map[string]bool{kindDocument: l.Document != nil, kindEntity: l.Entity != nil,
		kindEvent: l.Event != nil, kindRelation: l.Relation != nil}
	var others []string
	for _, k := range []string{kindDocument, kindEntity, kindEvent, kindRelation} {
		if payloads[k] && k != l.Kind {
			others = append(others, fmt.Sprintf("%q", k))
		}
	}
	switch l.Kind {
	case kindHeader:
		if len(others) > 0 {
			return Item{}, &FormatError{Line: d.line, Format: l.Format, Version: l.Version,
				Err: fmt.Errorf("a header holds no object, and this one has %s", strings.Join(others, ", "))}
		}
		if l.Format != Format || l.Version != Version {
			return Item{}, &FormatError{Line: d.line, Format: l.Format, Version: l.Version}
		}
		return Item{}, nil
	case kindDocument, kindEntity, kindEvent, kindRelation:
	case "":
		return bad(`no "kind" (one of header, document, entity, event, relation)`)
	default:
		return bad("unknown kind %q (want header, document, entity, event or relation)", l.Kind)
	}
	if !payloads[l.Kind] {
		return bad("a line of kind %s needs its object in the field %q", l.Kind, l.Kind)
	}
	if len(others) > 0 {
		return bad("a line of kind %s holds one object, in %q; this one also has %s", l.Kind, l.Kind, strings.Join(others, ", "))
	}
	if l.Format != "" || l.Version != 0 {
		return bad(`"format" and "version" belong on the header line only`)
	}
	it := Item{Line: d.line}
	switch l.Kind {
	case kindDocument:
		it.Document = l.Document
	case kindEntity:
		switch l.Entity.Kind {
		case graph.KindEvent:
			return bad(`an entity of kind Event goes on a line of kind "event"`)
		case graph.KindDocument:
			return bad(`an entity of kind Document is not written: a "document" line makes its node`)
		}
		it.Entity = l.Entity
	case kindEvent:
		if l.Event.Kind != graph.KindEvent {
			return bad(`an "event" line holds an entity of kind Event, not %q`, l.Event.Kind)
		}
		it.Entity = l.Event
	case kindRelation:
		if l.Relation.Other != nil {
			return bad(`a relation has no "other" field here (it is a query's view of the far end)`)
		}
		it.Relation = l.Relation
	}
	return it, nil
}

// isHeader reports whether a line that could not be decoded says it is a
// header: its failure is then fatal, since what the file is cannot be
// known.
func isHeader(raw []byte) bool {
	var l struct{ Kind string }
	return json.Unmarshal(raw, &l) == nil && l.Kind == kindHeader
}

// jsonError makes encoding/json's message read as this package's: without
// its "json: " prefix.
func jsonError(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("not JSON: %s (at byte %d)", syn.Error(), syn.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("not JSON: the value ends early")
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return fmt.Errorf("field %q holds a JSON %s, which cannot be a %s", typ.Field, typ.Value, typ.Type)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// invalidAt returns the offset of the first byte of raw that is not UTF-8.
func invalidAt(raw []byte) int {
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(raw)
}
