package memstore

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
)

// appendRelation appends to b the JSON encoding of r, byte for byte what
// json.Marshal writes (TestAppendRelation compares the two), and reports
// false for a relation it does not write: one with Other set or a number
// JSON cannot hold. A large Apply writes a relation per item, and
// json.Marshal's reflection was most of the cost of encoding it.
func appendRelation(b []byte, r *graph.Relation) ([]byte, bool) {
	if r.Other != nil || !finite(r.Confidence) {
		return b, false
	}
	for i := range r.Evidence {
		if !finite(r.Evidence[i].Confidence) {
			return b, false
		}
	}
	b = appendField(b, `{"id":`, r.ID)
	b = appendField(b, `,"type":`, string(r.Type))
	b = appendField(b, `,"from":`, r.From)
	b = appendField(b, `,"to":`, r.To)
	b = appendOmit(b, `,"role":`, r.Role)
	b = appendOmit(b, `,"title":`, r.Title)
	if r.Count != 0 {
		b = strconv.AppendInt(append(b, `,"count":`...), int64(r.Count), 10)
	}
	b = appendOmit(b, `,"date":`, r.Date)
	b = append(b, `,"evidence":`...)
	if r.Evidence == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Evidence {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendEvidence(b, &r.Evidence[i])
		}
		b = append(b, ']')
	}
	b = strconv.AppendInt(append(b, `,"evidence_count":`...), int64(r.EvidenceCount), 10)
	b = appendFloat(append(b, `,"confidence":`...), r.Confidence)
	b = appendOmit(b, `,"first_seen":`, r.FirstSeen)
	b = appendOmit(b, `,"last_seen":`, r.LastSeen)
	return append(b, '}'), true
}

func appendEvidence(b []byte, e *graph.Evidence) []byte {
	b = appendField(b, `{"id":`, e.ID)
	b = appendField(b, `,"document":`, e.Document)
	b = strconv.AppendInt(append(b, `,"sentence":`...), int64(e.Sentence), 10)
	b = strconv.AppendInt(append(b, `,"start":`...), int64(e.Start), 10)
	b = strconv.AppendInt(append(b, `,"end":`...), int64(e.End), 10)
	b = appendField(b, `,"text":`, e.Text)
	b = appendField(b, `,"rule":`, e.Rule)
	b = appendFloat(append(b, `,"confidence":`...), e.Confidence)
	b = strconv.AppendInt(append(b, `,"sentence_start":`...), int64(e.SentenceStart), 10)
	b = appendOmit(b, `,"sentence_text":`, e.SentenceText)
	b = appendOmit(b, `,"date":`, e.Date)
	return append(b, '}')
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func appendField(b []byte, name, s string) []byte { return appendString(append(b, name...), s) }

// appendOmit is appendField for a field tagged omitempty.
func appendOmit(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return appendField(b, name, s)
}

// appendFloat writes f as encoding/json does: the shortest decimal that
// reads back as f, in exponent form only for very large or small values.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// invalidUTF8 is what encoding/json writes for a byte that is not UTF-8:
// the escape \ufffd up to Go 1.26, the replacement character itself from
// Go 1.27. Asked once, so that appendString writes what json.Marshal does
// under either toolchain (both read back the same).
var invalidUTF8 = func() string {
	b, _ := json.Marshal("\xff")
	return string(b[1 : len(b)-1])
}()

// appendString writes s as a JSON string with encoding/json's escapes:
// quotes, backslashes, control characters, <, > and & (HTML-safe), U+2028
// and U+2029, and U+FFFD for bytes that are not UTF-8.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), invalidUTF8...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
