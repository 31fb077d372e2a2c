// Package eventdata maps structured event data (ACLED CSV, GDELT TSV rows,
// read by ingest/acled and ingest/gdelt) into the same graph as the news:
// actors and places resolve to gazetteer entities where the data names
// them (by the entries' codes, then by name), events keep the data's
// own attributes (type, CAMEO code, QuadClass, Goldstein, fatalities, date
// precision), and every relation cites the record it came from as
// evidence. Each row becomes one loader.Record, so imports run in chunks
// and a bad row is reported by line and skipped.
package eventdata

import (
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/graph/names"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/ingest/gazetteer"
)

// Rules and confidences of the evidence event data gives. Stored on
// evidence: do not rename.
const (
	RuleACLED = "acled"
	RuleGDELT = "gdelt"
	// Facts of the datasets' coding, cited by their coding documents.
	RuleACLEDPlaces = "acled_admin_regions" // a locality in its admin1 region, the region in its country
	RuleACLEDNames  = "acled_actor_name"    // "X Communal Militia", "Forces of C (period) Unit"
	RuleGDELTCodes  = "gdelt_actor_code"    // LBYMIL is Libya's
	RuleGDELTPlaces = "gdelt_place_name"    // "Town, Region, Country" is in the country
	// ACLED events are coded by analysts; GDELT's by machine from one
	// article, often wrongly.
	confidenceACLED = 0.9
	confidenceGDELT = 0.5
)

// Mapper turns rows into records. It is safe for concurrent use.
type Mapper struct {
	p      *ingest.Pipeline
	g      *gazetteer.Gazetteer
	byName map[string][]*gazetteer.Entry // names.Key of every name → entries
}

// NewMapper resolves against the pipeline's gazetteer, the one the news
// is read with.
func NewMapper(p *ingest.Pipeline) *Mapper {
	m := &Mapper{p: p, g: p.Gazetteer(), byName: map[string][]*gazetteer.Entry{}}
	for _, e := range m.g.Entries() {
		seen := map[string]bool{}
		for _, n := range e.Names() {
			if k := names.Key(n); k != "" && !seen[k] {
				seen[k] = true
				m.byName[k] = append(m.byName[k], e)
			}
		}
	}
	return m
}

// named returns the one gazetteer entry of one of kinds with the name;
// a name two entries share picks neither.
func (m *Mapper) named(name string, kinds ...graph.Kind) (*gazetteer.Entry, bool) {
	var found *gazetteer.Entry
	for _, e := range m.byName[names.Key(name)] {
		for _, k := range kinds {
			if e.EntityKind() == k {
				if found != nil && found != e {
					return nil, false
				}
				found = e
			}
		}
	}
	return found, found != nil
}

// place returns the gazetteer place with the name inside country (an entry
// id; "" for anywhere).
func (m *Mapper) place(name, country string) (*gazetteer.Entry, bool) {
	var found *gazetteer.Entry
	for _, e := range m.byName[names.Key(name)] {
		if e.EntityKind() != graph.KindPlace || country != "" && e.ID != country && !m.g.Within(e.ID, country) {
			continue
		}
		if found != nil && found != e {
			return nil, false
		}
		found = e
	}
	return found, found != nil
}

// builder collects what one row says.
type builder struct {
	m        *Mapper
	b        graph.Batch
	entries  []string // gazetteer ids named, for their entities and facts
	ids      map[string]bool
	doc      graph.Document
	evidence graph.Evidence // the row's citation, without relation or id
	dataset  graph.Document // the dataset's coding conventions, cited by facts every row repeats
}

// datasetDocument stands for what a dataset says through its coding
// conventions rather than in any one row: that a locality lies in its
// admin region, that "Misratah Communal Militia" is based in Misrata, that
// LBYMIL is Libya's. Citing each row for those would give a region's
// LOCATED_IN one piece of evidence per event in it.
func datasetDocument(name string) graph.Document {
	return graph.Document{ID: graph.DocumentID(name + ":coding"), URL: name + ":coding", Source: name, Language: "en",
		Title: strings.ToUpper(name) + " coding: actor names, actor codes and place hierarchy"}
}

func (m *Mapper) newBuilder(doc graph.Document, ev graph.Evidence, dataset graph.Document) *builder {
	ev.Document = doc.ID
	return &builder{m: m, doc: doc, evidence: ev, dataset: dataset, ids: map[string]bool{},
		b: graph.Batch{Documents: []graph.Document{doc}}}
}

// entry adds a gazetteer entry and returns its entity id.
func (b *builder) entry(e *gazetteer.Entry) string {
	b.entries = append(b.entries, e.ID)
	return b.m.g.IDOf(e)
}

// entity adds an entity of the row's own making and returns its id.
func (b *builder) entity(e graph.Entity) string {
	// A cell may break a name over lines; Validate wants it on one.
	e.Key, e.Name, e.NameAr, e.Title = graph.OneLine(e.Key), graph.OneLine(e.Name), graph.OneLine(e.NameAr), graph.OneLine(e.Title)
	e.ID = graph.EntityID(e.Kind, e.Key)
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	for i, a := range e.Aliases {
		e.Aliases[i] = graph.OneLine(a)
	}
	if !b.ids[e.ID] {
		b.ids[e.ID] = true
		b.b.Entities = append(b.b.Entities, e)
	}
	return e.ID
}

// relate adds a relation cited by the row.
func (b *builder) relate(typ graph.RelType, from, to, role, date string) {
	b.add(typ, from, to, role, date, b.evidence)
}

// relateByCoding adds a relation the dataset's coding states, cited by the
// dataset's document once, whichever rows repeat it.
func (b *builder) relateByCoding(typ graph.RelType, from, to, rule string) {
	if from == "" || to == "" || from == to {
		return
	}
	if len(b.b.Documents) < 2 {
		b.b.Documents = append(b.b.Documents, b.dataset)
	}
	b.add(typ, from, to, "", "", graph.Evidence{Document: b.dataset.ID, Rule: rule, Confidence: b.evidence.Confidence})
}

func (b *builder) add(typ graph.RelType, from, to, role, date string, ev graph.Evidence) {
	if from == "" || to == "" || from == to {
		return
	}
	r := graph.Relation{Type: typ, From: from, To: to, Role: role, Date: date}
	r.ID = graph.RelationID(typ, from, to, r.Qualifier())
	if b.ids[r.ID] {
		return
	}
	b.ids[r.ID] = true
	ev.ID = graph.EvidenceID(r.ID, ev.Document, ev.Start, ev.End)
	r.Evidence = []graph.Evidence{ev}
	b.b.Relations = append(b.b.Relations, r)
}

// reports links the row's document to the event it reports.
func (b *builder) reports(event string) {
	r := graph.Relation{Type: graph.Reports, From: b.doc.ID, To: event}
	r.ID = graph.RelationID(r.Type, r.From, r.To, "")
	b.b.Relations = append(b.b.Relations, r)
}

// record finishes the row: the gazetteer entities it named come with
// their own facts (a city's place in the hierarchy, a commander's
// membership), as when the news names them.
func (b *builder) record(line int) loader.Record {
	if len(b.entries) > 0 {
		g := b.m.p.GazetteerBatchOf(b.entries)
		b.b.Documents = append(b.b.Documents, g.Documents...)
		b.b.Entities = append(b.b.Entities, g.Entities...)
		b.b.Relations = append(b.b.Relations, g.Relations...)
	}
	return loader.Record{Line: line, Batch: b.b}
}

// titleCase writes an upper-case name the usual way: "ARAB LEAGUE" →
// "Arab League".
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if w == "" {
			continue
		}
		r := []rune(w)
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
