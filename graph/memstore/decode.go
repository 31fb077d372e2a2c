package memstore

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
)

// decoder reads the relations of the data file while Open loads it. Most of
// a large graph is relations, and encoding/json's reflection and the
// garbage it makes were most of the time Open took. decoder reads the JSON
// that encoding/json writes for a graph.Relation directly, and hands
// anything else (an unknown field, a null, a number it does not take) to
// json.Unmarshal, so what it returns is what json.Unmarshal would.
//
// It also shares strings: the ends of a relation and the document of its
// evidence become the id strings of the entity and document already loaded,
// and the few distinct types, roles, rules and dates are held once. A
// relation then costs less memory, and the garbage collector has fewer
// objects to trace.
type decoder struct {
	st      *state
	strs    map[string]string // strings with few distinct values, held once
	scratch []graph.Evidence
}

func newDecoder(st *state) *decoder {
	return &decoder{st: st, strs: map[string]string{}}
}

// relation decodes one value of the relations bucket.
func (d *decoder) relation(data []byte) (*graph.Relation, error) {
	r := new(graph.Relation)
	if d.fastRelation(data, r) {
		return r, nil
	}
	*r = graph.Relation{}
	if err := json.Unmarshal(data, r); err != nil {
		return nil, err
	}
	d.share(r)
	return r, nil
}

// share makes r use the strings the store already holds.
func (d *decoder) share(r *graph.Relation) {
	r.Type = graph.RelType(d.intern(string(r.Type)))
	r.From, r.To = d.entityID(r.From), d.entityID(r.To)
	r.Role, r.Title, r.Date = d.intern(r.Role), d.intern(r.Title), d.intern(r.Date)
	r.FirstSeen, r.LastSeen = d.intern(r.FirstSeen), d.intern(r.LastSeen)
	for i := range r.Evidence {
		e := &r.Evidence[i]
		e.Document, e.Rule, e.Date = d.documentID(e.Document), d.intern(e.Rule), d.intern(e.Date)
	}
}

func (d *decoder) intern(s string) string {
	if v, ok := d.strs[s]; ok {
		return v
	}
	d.strs[s] = s
	return s
}

func (d *decoder) entityID(id string) string {
	if e := d.st.entities[id]; e != nil {
		return e.ID
	}
	return id
}

func (d *decoder) documentID(id string) string {
	if doc := d.st.documents[id]; doc != nil {
		return doc.ID
	}
	return id
}

// The ways decoder turns a string's bytes into a string; the lookups
// convert without allocating.
func (d *decoder) internBytes(b []byte) string {
	if v, ok := d.strs[string(b)]; ok {
		return v
	}
	s := string(b)
	d.strs[s] = s
	return s
}

func (d *decoder) entityBytes(b []byte) string {
	if e := d.st.entities[string(b)]; e != nil {
		return e.ID
	}
	return string(b)
}

func (d *decoder) documentBytes(b []byte) string {
	if doc := d.st.documents[string(b)]; doc != nil {
		return doc.ID
	}
	return string(b)
}

func plainBytes(b []byte) string { return string(b) }

// fastRelation decodes data into r, the zero Relation, and reports whether
// it could; when it could not, r holds part of the relation.
func (d *decoder) fastRelation(data []byte, r *graph.Relation) bool {
	s := scanner{b: data}
	if !s.byte('{') {
		return false
	}
	if s.byte('}') {
		return s.end()
	}
	for {
		key, ok := s.key()
		if !ok {
			return false
		}
		switch string(key) {
		case "id":
			r.ID, ok = s.str(plainBytes)
		case "type":
			var t string
			t, ok = s.str(d.internBytes)
			r.Type = graph.RelType(t)
		case "from":
			r.From, ok = s.str(d.entityBytes)
		case "to":
			r.To, ok = s.str(d.entityBytes)
		case "role":
			r.Role, ok = s.str(d.internBytes)
		case "title":
			r.Title, ok = s.str(d.internBytes)
		case "count":
			r.Count, ok = s.int()
		case "date":
			r.Date, ok = s.str(d.internBytes)
		case "evidence":
			r.Evidence, ok = d.evidence(&s)
		case "evidence_count":
			r.EvidenceCount, ok = s.int()
		case "confidence":
			r.Confidence, ok = s.float()
		case "first_seen":
			r.FirstSeen, ok = s.str(d.internBytes)
		case "last_seen":
			r.LastSeen, ok = s.str(d.internBytes)
		default:
			return false
		}
		if !ok {
			return false
		}
		if !s.byte(',') {
			return s.byte('}') && s.end()
		}
	}
}

// evidence decodes a list of evidence, null or [...].
func (d *decoder) evidence(s *scanner) ([]graph.Evidence, bool) {
	if s.null() {
		return nil, true
	}
	if !s.byte('[') {
		return nil, false
	}
	if s.byte(']') {
		return []graph.Evidence{}, true
	}
	list := d.scratch[:0]
	for {
		var e graph.Evidence
		if !d.oneEvidence(s, &e) {
			return nil, false
		}
		list = append(list, e)
		if !s.byte(',') {
			break
		}
	}
	d.scratch = list
	if !s.byte(']') {
		return nil, false
	}
	out := make([]graph.Evidence, len(list)) // the exact size: relations stay in memory
	copy(out, list)
	return out, true
}

func (d *decoder) oneEvidence(s *scanner, e *graph.Evidence) bool {
	if !s.byte('{') {
		return false
	}
	if s.byte('}') {
		return true
	}
	for {
		key, ok := s.key()
		if !ok {
			return false
		}
		switch string(key) {
		case "id":
			e.ID, ok = s.str(plainBytes)
		case "document":
			e.Document, ok = s.str(d.documentBytes)
		case "sentence":
			e.Sentence, ok = s.int()
		case "start":
			e.Start, ok = s.int()
		case "end":
			e.End, ok = s.int()
		case "text":
			e.Text, ok = s.str(plainBytes)
		case "rule":
			e.Rule, ok = s.str(d.internBytes)
		case "confidence":
			e.Confidence, ok = s.float()
		case "sentence_start":
			e.SentenceStart, ok = s.int()
		case "sentence_text":
			e.SentenceText, ok = s.str(plainBytes)
		case "date":
			e.Date, ok = s.str(d.internBytes)
		default:
			return false
		}
		if !ok {
			return false
		}
		if !s.byte(',') {
			return s.byte('}')
		}
	}
}

// scanner reads JSON values from b. Each method skips the white space
// before its value and reports false for anything it does not take.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) byte(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) end() bool {
	s.ws()
	return s.i == len(s.b)
}

func (s *scanner) null() bool {
	s.ws()
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// key reads an object key and its colon. Keys are field names: no
// escapes. A switch on string(key) does not allocate.
func (s *scanner) key() ([]byte, bool) {
	b, ok := s.raw()
	return b, ok && s.byte(':')
}

// raw returns the bytes of a string without escapes, in valid UTF-8.
func (s *scanner) raw() ([]byte, bool) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start, ascii := s.i+1, true
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			v := s.b[start:j]
			if !ascii && !utf8.Valid(v) {
				return nil, false // encoding/json would replace the bad bytes
			}
			s.i = j + 1
			return v, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// str reads a string and makes it with conv. A string with escapes is
// unquoted by encoding/json, which knows every rule.
func (s *scanner) str(conv func([]byte) string) (string, bool) {
	if b, ok := s.raw(); ok {
		return conv(b), true
	}
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return "", false
	}
	j := s.i + 1
	for j < len(s.b) && s.b[j] != '"' {
		if s.b[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(s.b) {
		return "", false
	}
	var v string
	if err := json.Unmarshal(s.b[s.i:j+1], &v); err != nil {
		return "", false
	}
	s.i = j + 1
	return conv([]byte(v)), true
}

// number returns the bytes of a number as JSON writes it: -?int(.frac)?(e[+-]?exp)?
// with no leading zero; nil if there is none.
func (s *scanner) number() []byte {
	s.ws()
	start := s.i
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	if s.i < len(s.b) && s.b[s.i] == '0' {
		s.i++
	} else if digits() == 0 {
		return nil
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if digits() == 0 {
			return nil
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			return nil
		}
	}
	return s.b[start:s.i]
}

// int reads an integer of at most 18 digits, which cannot overflow.
func (s *scanner) int() (int, bool) {
	b := s.number()
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func (s *scanner) float() (float64, bool) {
	b := s.number()
	if len(b) == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	return f, err == nil
}
