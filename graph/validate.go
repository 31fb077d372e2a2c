package graph

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validate checks a batch before any backend stores it: ids well formed,
// kinds and relation types in the vocabulary, evidence present on asserted
// relations and its offsets sane, relation ends of the right kinds where both
// ends are in the batch. known reports the kind of an entity already stored,
// for relations that point outside the batch; it may be nil.
func (b *Batch) Validate(known func(id string) (Kind, bool)) error {
	if n := len(b.Documents) + len(b.Entities) + len(b.Relations); n > MaxBatchItems {
		return Errorf(TooLarge, "batch has %d items; at most %d are allowed", n, MaxBatchItems)
	}
	kinds := make(map[string]Kind, len(b.Documents)+len(b.Entities))
	for i, d := range b.Documents {
		if !ValidID(d.ID) {
			return Errorf(Invalid, "documents[%d]: id %q is not a UUID", i, d.ID)
		}
		if !utf8.ValidString(d.Text) {
			return Errorf(Invalid, "documents[%d]: text is not valid UTF-8", i)
		}
		kinds[d.ID] = KindDocument
	}
	for i, e := range b.Entities {
		if msg := checkEntity(&e); msg != "" {
			return Errorf(Invalid, "entities[%d]: %s", i, msg)
		}
		if k, ok := kinds[e.ID]; ok && k != e.Kind {
			return Errorf(Invalid, "entities[%d]: id %s is used with kinds %s and %s", i, e.ID, k, e.Kind)
		}
		kinds[e.ID] = e.Kind
	}
	kindOf := func(id string) (Kind, bool) {
		if k, ok := kinds[id]; ok {
			return k, true
		}
		if known != nil {
			return known(id)
		}
		return "", false
	}
	for i, r := range b.Relations {
		where := fmt.Sprintf("relations[%d]", i)
		if !r.Type.Valid() {
			return Errorf(Invalid, "%s: relation type %q is not in the vocabulary", where, r.Type)
		}
		if !ValidID(r.ID) || !ValidID(r.From) || !ValidID(r.To) {
			return Errorf(Invalid, "%s: id, from and to must be UUIDs", where)
		}
		if r.ID != RelationID(r.Type, r.From, r.To, r.Qualifier()) {
			return Errorf(Invalid, "%s: id does not derive from type, ends and qualifier (use graph.RelationID)", where)
		}
		if r.From == r.To {
			return Errorf(Invalid, "%s: a relation cannot join an entity to itself", where)
		}
		fromKinds, toKinds := r.Type.Ends()
		for _, end := range []struct {
			id      string
			allowed []Kind
			side    string
		}{{r.From, fromKinds, "from"}, {r.To, toKinds, "to"}} {
			k, ok := kindOf(end.id)
			if !ok {
				return Errorf(Invalid, "%s: %s entity %s is neither in the batch nor stored", where, end.side, end.id)
			}
			if end.allowed != nil && !kindIn(k, end.allowed) {
				return Errorf(Invalid, "%s: %s cannot start or end at a %s (%s end)", where, r.Type, k, end.side)
			}
		}
		if r.Type.Asserted() && len(r.Evidence) == 0 {
			return Errorf(Invalid, "%s: %s is asserted and needs evidence", where, r.Type)
		}
		for j, ev := range r.Evidence {
			if !ValidID(ev.Document) {
				return Errorf(Invalid, "%s.evidence[%d]: document must be a UUID", where, j)
			}
			if ev.Start < 0 || ev.End < ev.Start || ev.Sentence < 0 {
				return Errorf(Invalid, "%s.evidence[%d]: bad offsets", where, j)
			}
			if ev.Confidence < 0 || ev.Confidence > 1 || math.IsNaN(ev.Confidence) {
				return Errorf(Invalid, "%s.evidence[%d]: confidence must be in [0, 1]", where, j)
			}
			if ev.ID != EvidenceID(r.ID, ev.Document, ev.Start, ev.End) {
				return Errorf(Invalid, "%s.evidence[%d]: id does not derive from relation, document and span", where, j)
			}
		}
	}
	return nil
}

// checkEntity returns what is wrong with an entity that is not a document's
// node, or "" if nothing is: the checks of Validate and of analysts' edits.
func checkEntity(e *Entity) string {
	if !ValidID(e.ID) {
		return fmt.Sprintf("id %q is not a UUID", e.ID)
	}
	if !e.Kind.Valid() || e.Kind == KindDocument {
		return fmt.Sprintf("kind %q is not an entity kind", e.Kind)
	}
	if e.Name == "" && e.NameAr == "" {
		return "entity has no name"
	}
	if msg := checkEntityText(e); msg != "" {
		return msg
	}
	if e.Lat != nil && (math.IsNaN(*e.Lat) || *e.Lat < -90 || *e.Lat > 90) ||
		e.Lon != nil && (math.IsNaN(*e.Lon) || *e.Lon < -180 || *e.Lon > 180) {
		return "coordinates out of range"
	}
	if e.Date != "" && !ValidDate(e.Date) {
		return fmt.Sprintf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", e.Date)
	}
	// Event data's scales: the API documents them, and an analyst's
	// edit must not store a value outside them.
	if e.QuadClass < 0 || e.QuadClass > 4 {
		return fmt.Sprintf("quad_class %d is not 1 to 4", e.QuadClass)
	}
	if e.Goldstein != nil && (math.IsNaN(*e.Goldstein) || *e.Goldstein < -10 || *e.Goldstein > 10) {
		return "goldstein is not between -10 and 10"
	}
	if e.Fatalities != nil && *e.Fatalities < 0 {
		return "fatalities is negative"
	}
	if !ValidCameo(e.Cameo) {
		return fmt.Sprintf("cameo %q is not a CAMEO code (2 to 4 digits)", e.Cameo)
	}
	for j, m := range e.Mentions {
		if m.Start < 0 || m.End < m.Start || !ValidID(m.Document) {
			return fmt.Sprintf("mentions[%d]: bad document or offsets", j)
		}
	}
	return ""
}

// checkEntityText refuses text no name has and no reader wants to meet:
// invalid UTF-8, and the C0 control characters (and DEL), which show as
// nothing, break lines in lists, and cannot be written to XML (GraphML,
// GEXF) at all. A summary may have line breaks and tabs. (C1 controls are
// let through: event data's notes carry them where Windows-1252 quotes
// were read as Latin-1, and XML takes them.)
func checkEntityText(e *Entity) string {
	names := map[string]string{"name": e.Name, "name_ar": e.NameAr, "key": e.Key, "subtype": e.Subtype,
		"title": e.Title, "title_ar": e.TitleAr, "event_type": e.EventType}
	for i, a := range e.Aliases {
		names[fmt.Sprintf("aliases[%d]", i)] = a
	}
	for i, tp := range e.Topics {
		names[fmt.Sprintf("topics[%d]", i)] = tp
	}
	for field, v := range names {
		if !utf8.ValidString(v) || strings.IndexFunc(v, isC0) >= 0 {
			return field + " has invalid UTF-8 or a control character"
		}
	}
	if !utf8.ValidString(e.Summary) || strings.IndexFunc(e.Summary, func(r rune) bool {
		return isC0(r) && r != '\n' && r != '\t' && r != '\r'
	}) >= 0 {
		return "summary has invalid UTF-8 or a control character other than a line break or tab"
	}
	return ""
}

func isC0(r rune) bool { return r < 0x20 || r == 0x7f }

// OneLine puts a name written across lines (a hard-wrapped report, a
// form feed between pages, a line break in a spreadsheet cell) on one
// line, as Validate wants names: each run of white space becomes a space
// and other C0 control characters go. A name without them is returned as
// it is.
func OneLine(s string) string {
	if strings.IndexFunc(s, isC0) < 0 {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
		case isC0(r):
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func kindIn(k Kind, ks []Kind) bool {
	for _, v := range ks {
		if v == k {
			return true
		}
	}
	return false
}

// ValidCameo accepts "" or a CAMEO event code: 2–4 digits, leading zeros
// kept ("057").
func ValidCameo(c string) bool {
	if c == "" {
		return true
	}
	if len(c) < 2 || len(c) > 4 {
		return false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
