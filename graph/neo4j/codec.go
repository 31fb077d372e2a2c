package neo4jstore

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// This file maps the domain types to Neo4j properties and back. The
// property names are the schema analysts query (SCHEMA.md): stored in the
// graph, do not rename. Decoding gives exactly the form graph.Canonical gives (nil
// and empty lists as JSON would leave them), so that an unchanged object
// read back compares equal to its upsert and the API shows the same JSON as
// memstore.

// entityKeys are the properties of an entity node. Document nodes also have
// docKeys; their "title" is the document's, as a document entity has no
// title of its own.
var entityKeys = []string{"id", "kind", "subtype", "name", "name_ar", "aliases", "key", "title", "title_ar",
	"lat", "lon", "geo_precision", "event_type", "date", "date_precision", "cameo", "quad_class", "goldstein", "fatalities", "revision", "topics", "summary",
	"first_seen", "last_seen", "merged_from"}

// entityProjection is a Cypher map projection of node v with the entity
// properties and its mentions (from its :Mentions nodes), so that reading
// a document's entity does not carry its text.
func entityProjection(v string) string {
	return v + " {." + strings.Join(entityKeys, ", .") + ", mentions: COLLECT { MATCH (m:" + labelMentions + " {entity: " + v + ".id}) RETURN m.spans }}"
}

// listedProjection is entityProjection without the mentions, for the
// answers that list entities (graph.Store): a hub is named in thousands
// of documents.
func listedProjection(v string) string {
	return v + " {." + strings.Join(entityKeys, ", .") + "}"
}

// evidenceOf is a Cypher expression for the evidence of relationship r:
// the items of its :Evidence nodes, a list of JSON lists, for
// decodeRelation.
func evidenceOf(r string) string {
	return "COLLECT { MATCH (ev:" + labelEvidence + " {relation: " + r + ".id}) RETURN ev.items }"
}

type props map[string]any

func (p props) str(k, v string) {
	if v != "" {
		p[k] = v
	}
}

func (p props) list(k string, v []string) {
	if len(v) > 0 {
		p[k] = v
	}
}

// nodeProps returns the properties of an entity's node; d is the document
// for a Document entity, nil otherwise. The mentions are not among them:
// they are :Mentions nodes (mentionWrites).
func nodeProps(e *graph.Entity, d *graph.Document) props {
	aliases := e.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	p := props{"id": e.ID, "kind": string(e.Kind), "aliases": aliases}
	p.str("subtype", e.Subtype)
	p.str("name", e.Name)
	p.str("name_ar", e.NameAr)
	p.str("key", e.Key)
	if e.Kind != graph.KindDocument {
		p.str("title", e.Title)
		p.str("title_ar", e.TitleAr)
	}
	if e.Lat != nil {
		p["lat"] = *e.Lat
	}
	if e.Lon != nil {
		p["lon"] = *e.Lon
	}
	p.str("geo_precision", e.GeoPrecision)
	p.str("event_type", e.EventType)
	p.str("date", e.Date)
	p.str("date_precision", e.DatePrecision)
	p.str("cameo", e.Cameo)
	if e.QuadClass != 0 {
		p["quad_class"] = int64(e.QuadClass)
	}
	if e.Goldstein != nil {
		p["goldstein"] = *e.Goldstein
	}
	if e.Fatalities != nil {
		p["fatalities"] = int64(*e.Fatalities)
	}
	if e.Revision != 0 {
		p["revision"] = e.Revision
	}
	p.list("topics", e.Topics)
	p.str("summary", e.Summary)
	p.str("first_seen", e.FirstSeen)
	p.str("last_seen", e.LastSeen)
	p.list("merged_from", e.MergedFrom)
	if d != nil {
		p.str("url", d.URL)
		p.str("outlet", d.Outlet)
		p.str("title", d.Title)
		p.str("language", d.Language)
		p.str("published", d.Published)
		p.str("sha256", d.SHA256)
		p.str("source", d.Source)
		p.str("text", d.Text)
		if d.Revision != 0 {
			p["document_revision"] = d.Revision
		}
	}
	return p
}

// reader reads typed values from a property map, remembering the first
// value of the wrong type.
type reader struct {
	m   map[string]any
	err error
}

func (r *reader) str(k string) string {
	switch v := r.m[k].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		r.fail(k, v)
		return ""
	}
}

// list reads a list of strings; absent or empty gives nil.
func (r *reader) list(k string) []string {
	switch v := r.m[k].(type) {
	case nil:
		return nil
	case []any:
		if len(v) == 0 {
			return nil
		}
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				r.fail(k, v)
				return nil
			}
			out[i] = s
		}
		return out
	case []string:
		if len(v) == 0 {
			return nil
		}
		return v
	default:
		r.fail(k, v)
		return nil
	}
}

func (r *reader) float(k string) *float64 {
	switch v := r.m[k].(type) {
	case nil:
		return nil
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	default:
		r.fail(k, v)
		return nil
	}
}

func (r *reader) int(k string) int64 {
	switch v := r.m[k].(type) {
	case nil:
		return 0
	case int64:
		return v
	default:
		r.fail(k, v)
		return 0
	}
}

func (r *reader) time(k string) time.Time {
	switch v := r.m[k].(type) {
	case time.Time:
		return v.UTC()
	default:
		r.fail(k, v)
		return time.Time{}
	}
}

// jsonList reads a list of JSON texts (what evidenceOf and
// entityProjection collect); absent gives none.
func (r *reader) jsonList(k string) []string {
	switch v := r.m[k].(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				r.fail(k, x)
				return nil
			}
			out[i] = s
		}
		return out
	default:
		r.fail(k, v)
		return nil
	}
}

func (r *reader) fail(k string, v any) {
	if r.err == nil {
		r.err = errorf("property %s has unexpected value %T", k, v)
	}
}

// decodeEntity reads an entity from a node's properties (or a projection
// of them).
func decodeEntity(m map[string]any) (graph.Entity, error) {
	r := &reader{m: m}
	e := graph.Entity{
		ID: r.str("id"), Kind: graph.Kind(r.str("kind")), Subtype: r.str("subtype"),
		Name: r.str("name"), NameAr: r.str("name_ar"), Aliases: r.list("aliases"), Key: r.str("key"),
		Lat: r.float("lat"), Lon: r.float("lon"), GeoPrecision: r.str("geo_precision"),
		EventType: r.str("event_type"), Date: r.str("date"), DatePrecision: r.str("date_precision"),
		Cameo: r.str("cameo"), Topics: r.list("topics"), Summary: r.str("summary"),
		FirstSeen: r.str("first_seen"), LastSeen: r.str("last_seen"), MergedFrom: r.list("merged_from"),
	}
	if e.Kind != graph.KindDocument {
		e.Title, e.TitleAr = r.str("title"), r.str("title_ar")
	}
	e.QuadClass, e.Goldstein, e.Revision = int(r.int("quad_class")), r.float("goldstein"), r.int("revision")
	if m["fatalities"] != nil { // a projection gives absent properties as null
		n := int(r.int("fatalities"))
		e.Fatalities = &n
	}
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	ms, err := decodeMentions(m["mentions"])
	if err != nil && r.err == nil {
		r.err = errorf("mentions of %s: %v", e.ID, err)
	}
	e.Mentions = ms
	if r.err == nil && (e.ID == "" || !e.Kind.Valid()) {
		r.err = errorf("node has no id or an unknown kind %q", e.Kind)
	}
	return e, r.err
}

// decodeNodeEntity reads the entity of a record's node value.
func decodeNodeEntity(v any) (graph.Entity, error) {
	switch n := v.(type) {
	case neo4j.Node:
		return decodeEntity(n.Props)
	case map[string]any:
		return decodeEntity(n)
	}
	return graph.Entity{}, errorf("expected a node, got %T", v)
}

// decodeDocument reads a document from its node's properties.
func decodeDocument(m map[string]any) (graph.Document, error) {
	r := &reader{m: m}
	d := graph.Document{ID: r.str("id"), URL: r.str("url"), Outlet: r.str("outlet"), Title: r.str("title"),
		Language: r.str("language"), Published: r.str("published"), SHA256: r.str("sha256"),
		Source: r.str("source"), Text: r.str("text"), Revision: r.int("document_revision")}
	return d, r.err
}

// relProps returns the properties of a relation's relationship, whose
// derived fields (EvidenceCount, Confidence, FirstSeen, LastSeen) are t's.
// Its type and ends are the relationship's own; its evidence is :Evidence
// nodes (evidenceWrites). span_start and span_end are derived, for window
// filters in Cypher (graph.Relation.SpanBounds).
func relProps(rel *graph.Relation, t tally) props {
	values, counts := t.lists()
	p := props{"id": rel.ID, "confidence": rel.Confidence, "evidence_count": int64(rel.EvidenceCount),
		"confidence_values": values, "confidence_counts": counts}
	p.str("role", rel.Role)
	p.str("title", rel.Title)
	if rel.Count != 0 {
		p["count"] = int64(rel.Count)
	}
	p.str("date", rel.Date)
	p.str("first_seen", rel.FirstSeen)
	p.str("last_seen", rel.LastSeen)
	if start, end, ok := rel.SpanBounds(); ok {
		p["span_start"], p["span_end"] = start, end
	}
	return p
}

// relKeys are every property relProps may give; relPattern is the
// properties of row.p in a CREATE pattern. (A property that is null there
// is not written.)
var (
	relKeys = []string{"id", "confidence", "evidence_count", "confidence_values", "confidence_counts", "role", "title",
		"count", "date", "first_seen", "last_seen", "span_start", "span_end"}
	relPattern = func() string {
		parts := make([]string, len(relKeys))
		for i, k := range relKeys {
			parts[i] = k + ": row.p." + k
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}()
)

// decodeRelation reads a relation from a relationship, the ids of its
// start and end nodes and its evidence as evidenceOf gives it (all of it,
// or, for a write, what some documents hold).
func decodeRelation(v, from, to, evidence any) (graph.Relation, error) {
	rel, ok := v.(neo4j.Relationship)
	if !ok {
		return graph.Relation{}, errorf("expected a relationship, got %T", v)
	}
	f, _ := from.(string)
	t, _ := to.(string)
	r := &reader{m: rel.Props}
	out := graph.Relation{ID: r.str("id"), Type: graph.RelType(rel.Type), From: f, To: t,
		Role: r.str("role"), Title: r.str("title"), Count: int(r.int("count")), Date: r.str("date"),
		EvidenceCount: int(r.int("evidence_count")), FirstSeen: r.str("first_seen"), LastSeen: r.str("last_seen")}
	if c := r.float("confidence"); c != nil {
		out.Confidence = *c
	}
	ev, err := decodeEvidence(evidence)
	out.Evidence = ev
	if r.err == nil && err != nil {
		r.err = errorf("evidence of %s: %v", out.ID, err)
	}
	if r.err == nil && (out.ID == "" || f == "" || t == "" || !out.Type.Valid()) {
		r.err = errorf("relationship %s lacks an id or an end", rel.ElementId)
	}
	return out, r.err
}

// decodeMentions reads mentions as entityProjection gives them (the spans
// of :Mentions nodes, a list of JSON texts), in the order graph.Entity
// keeps; none gives nil.
func decodeMentions(groups any) ([]graph.Mention, error) {
	r := &reader{m: map[string]any{"spans": groups}}
	var out []graph.Mention
	for _, g := range r.jsonList("spans") {
		var ms []graph.Mention
		if err := json.Unmarshal([]byte(g), &ms); err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	if len(out) == 0 {
		out = nil
	}
	graph.SortMentions(out)
	return out, r.err
}

// decodeEvidence reads evidence as evidenceOf gives it, in the order
// graph.Derive keeps.
func decodeEvidence(groups any) ([]graph.Evidence, error) {
	r := &reader{m: map[string]any{"items": groups}}
	out := []graph.Evidence{}
	for _, g := range r.jsonList("items") {
		var ev []graph.Evidence
		if err := json.Unmarshal([]byte(g), &ev); err != nil {
			return nil, err
		}
		out = append(out, ev...)
	}
	graph.SortEvidence(out)
	return out, r.err
}

// changeProps and decodeChange map the change feed's nodes.
func changeProps(c graph.Change) props {
	p := props{"seq": int64(c.Seq), "op": string(c.Op), "object": c.Object, "id": c.ID, "at": c.At}
	p.str("into", c.Into)
	return p
}

func decodeChange(v any) (graph.Change, error) {
	n, ok := v.(neo4j.Node)
	if !ok {
		return graph.Change{}, errorf("expected a change node, got %T", v)
	}
	r := &reader{m: n.Props}
	c := graph.Change{Seq: uint64(r.int("seq")), Op: graph.Op(r.str("op")), Object: r.str("object"),
		ID: r.str("id"), Into: r.str("into"), At: r.time("at")}
	return c, r.err
}
