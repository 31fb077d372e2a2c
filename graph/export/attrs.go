package export

import (
	"strconv"
	"strings"

	"github.com/polgraph/polgraph/graph"
)

// attrType is the declared type of an attribute; the formats spell the
// integer type differently.
type attrType int

const (
	typeString attrType = iota
	typeDouble
	typeInt
)

func (t attrType) graphml() string { return [...]string{"string", "double", "int"}[t] }
func (t attrType) gexf() string    { return [...]string{"string", "double", "integer"}[t] }

// attr is an attribute GraphML and GEXF both declare: its name (the column
// analysts see), its type, and how to read it off a node or an edge; ""
// means absent, and the writers leave it out rather than write an empty
// value, which readers would take for an empty string or fail to parse as
// a number.
type attr[T any] struct {
	name string
	typ  attrType
	get  func(*T) string
}

// nodeAttrs are the node attributes, in the order they are declared.
var nodeAttrs = []attr[graph.Entity]{
	{"kind", typeString, func(e *graph.Entity) string { return string(e.Kind) }},
	{"name", typeString, func(e *graph.Entity) string { return e.Name }},
	{"name_ar", typeString, func(e *graph.Entity) string { return e.NameAr }},
	{"subtype", typeString, func(e *graph.Entity) string { return e.Subtype }},
	{"aliases", typeString, func(e *graph.Entity) string { return strings.Join(e.Aliases, "; ") }},
	{"lat", typeDouble, func(e *graph.Entity) string { return floatPtr(e.Lat) }},
	{"lon", typeDouble, func(e *graph.Entity) string { return floatPtr(e.Lon) }},
	{"event_type", typeString, func(e *graph.Entity) string { return e.EventType }},
	{"date", typeString, func(e *graph.Entity) string { return e.Date }},
	{"date_precision", typeString, func(e *graph.Entity) string { return e.DatePrecision }},
	{"cameo", typeString, func(e *graph.Entity) string { return e.Cameo }},
	// 0 is no quad class (they run 1 to 4); a nil count of fatalities is
	// unknown, while 0 is none and is written.
	{"quad_class", typeInt, func(e *graph.Entity) string { return nonZero(e.QuadClass) }},
	{"goldstein", typeDouble, func(e *graph.Entity) string { return floatPtr(e.Goldstein) }},
	{"fatalities", typeInt, func(e *graph.Entity) string {
		if e.Fatalities == nil {
			return ""
		}
		return strconv.Itoa(*e.Fatalities)
	}},
	{"first_seen", typeString, func(e *graph.Entity) string { return e.FirstSeen }},
	{"last_seen", typeString, func(e *graph.Entity) string { return e.LastSeen }},
}

// edgeAttrs are the edge attributes, in the order they are declared.
// Confidence and evidence count are always written: 0 is a value there
// (MENTIONS and REPORTS carry no evidence).
var edgeAttrs = []attr[graph.Relation]{
	{"id", typeString, func(r *graph.Relation) string { return r.ID }},
	{"type", typeString, func(r *graph.Relation) string { return string(r.Type) }},
	{"role", typeString, func(r *graph.Relation) string { return r.Role }},
	{"title", typeString, func(r *graph.Relation) string { return r.Title }},
	// count is how often a MENTIONS document names the entity, the one
	// property those edges have; tools can weight by it.
	{"count", typeInt, func(r *graph.Relation) string { return nonZero(r.Count) }},
	{"date", typeString, func(r *graph.Relation) string { return r.Date }},
	{"confidence", typeDouble, func(r *graph.Relation) string { return formatFloat(r.Confidence) }},
	{"evidence_count", typeInt, func(r *graph.Relation) string { return strconv.Itoa(r.EvidenceCount) }},
	{"first_seen", typeString, func(r *graph.Relation) string { return r.FirstSeen }},
	{"last_seen", typeString, func(r *graph.Relation) string { return r.LastSeen }},
}

// formatFloat writes f in the shortest form that reads back as f, without
// an exponent, which every reader of these formats parses.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func floatPtr(f *float64) string {
	if f == nil {
		return ""
	}
	return formatFloat(*f)
}

func nonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// label is what a tool shows for a node: its Latin name, else its Arabic
// one.
func label(e *graph.Entity) string {
	if e.Name != "" {
		return e.Name
	}
	return e.NameAr
}
