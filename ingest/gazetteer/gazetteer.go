// Package gazetteer is polgraph's knowledge base of known actors and places:
// a YAML file shipped in the binary (libya.yaml), optionally extended by the
// user's own YAML files, and a matcher that finds its names in segmented
// text.
//
// File format (one document per file):
//
//	version: 1
//	entries:
//	  - id: place/misrata          # stable key; the entity id derives from kind + id
//	    kind: Place                # Person, Organization, Group or Place
//	    subtype: city              # see graph: military, government, city, country…
//	    name: Misrata              # display name, Latin script
//	    name_ar: مصراتة
//	    aliases: [Misurata, Misratah]   # other spellings, either script
//	    title: Maj. Gen.           # rank or honorific (people)
//	    title_ar: اللواء
//	    head_title: speaker        # what the head of this organisation is called
//	    located_in: place/libya    # places: the parent place
//	    capital: true              # places: a capital city ("the capital" refers back to it)
//	    member_of: [org/general-command]
//	    family: [{relation: son, of: person/khalifa-haftar}]
//	    lat: 32.3773               # places: WGS84 degrees
//	    lon: 15.0910
//	    codes: [cameo:LBY, fips:LY, iso:434, "acled:Misratah Communal Militia (Libya)", gdelt:HAFTAR]
//	                               # names in event data (ACLED, GDELT): see Entry.Codes
//	    source: https://…          # where the facts come from, "corpus seed" or "corpus article 012"
//
// A user file may add entries or replace a built-in entry by reusing its id;
// so may entries added through the API (the same format, in JSON or YAML),
// which the server keeps as the text of one document (APIDocumentURL).
// What does not belong here: rules, patterns, or anything about one article.
package gazetteer

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polgraph/polgraph/graph"
)

//go:embed libya.yaml
var builtin []byte

// Entry is one known actor or place. Its JSON form (the API's) has the
// field names of the YAML file.
type Entry struct {
	ID        string   `yaml:"id" json:"id"`
	Kind      string   `yaml:"kind" json:"kind"`
	Subtype   string   `yaml:"subtype,omitempty" json:"subtype,omitempty"`
	Name      string   `yaml:"name" json:"name"`
	NameAr    string   `yaml:"name_ar,omitempty" json:"name_ar,omitempty"`
	Aliases   []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Title     string   `yaml:"title,omitempty" json:"title,omitempty"`
	TitleAr   string   `yaml:"title_ar,omitempty" json:"title_ar,omitempty"`
	HeadTitle string   `yaml:"head_title,omitempty" json:"head_title,omitempty"`
	LocatedIn string   `yaml:"located_in,omitempty" json:"located_in,omitempty"`
	// Capital marks a country's capital city: "the capital", «العاصمة»
	// in a report that named it refer back to it.
	Capital  bool     `yaml:"capital,omitempty" json:"capital,omitempty"`
	MemberOf []string `yaml:"member_of,omitempty" json:"member_of,omitempty"`
	Family   []Family `yaml:"family,omitempty" json:"family,omitempty"`
	Lat      *float64 `yaml:"lat,omitempty" json:"lat,omitempty"`
	Lon      *float64 `yaml:"lon,omitempty" json:"lon,omitempty"`
	// Codes name the entry in event data, as "scheme:value": cameo (a
	// CAMEO actor code, "LBY"), fips (a FIPS 10-4 country code in GDELT's
	// geo fields, "LY"), iso (ISO 3166 numeric, ACLED's iso column, "434"),
	// acled (an ACLED actor name, matched whole or as the prefix before a
	// unit: "Military Forces of Libya (2014-)"), gdelt (a GDELT actor
	// name, "HAFTAR"). Names are matched without regard to case.
	Codes  []string `yaml:"codes,omitempty" json:"codes,omitempty"`
	Source string   `yaml:"source" json:"source"`

	file   string // where it was read, for error messages
	pos    int    // 1 + its index in that file's entries; 0 if not read from a file
	origin string // OriginBuiltin, OriginFile or OriginAPI
}

// Origins of entries: where an entry was read. Exposed by the API (GET
// /v1/gazetteer): do not rename.
const (
	OriginBuiltin = "builtin" // libya.yaml, shipped in the binary
	OriginFile    = "file"    // a user file (--gazetteer)
	OriginAPI     = "api"     // added through the API (POST /v1/gazetteer)
)

// Origin says where the entry was read: OriginBuiltin, OriginFile or
// OriginAPI. Entries built in Go count as OriginFile.
func (e *Entry) Origin() string {
	if e.origin == "" {
		return OriginFile
	}
	return e.origin
}

// param names the field of the entry in its file, "entries[3].name", for
// the problem documents of the API; "" if the entry was not read from one.
func (e *Entry) param(field string) string {
	if e.pos == 0 {
		return ""
	}
	return fmt.Sprintf("entries[%d].%s", e.pos-1, field)
}

// Family links a person to a relative: Relation is what this person is to
// the other ("son" of Of).
type Family struct {
	Relation string `yaml:"relation" json:"relation"`
	Of       string `yaml:"of" json:"of"`
}

// EntityKind is the graph kind of the entry.
func (e *Entry) EntityKind() graph.Kind { return graph.Kind(e.Kind) }

// EntityID is the graph id of the entry: uuid5 of kind and gazetteer id.
func (e *Entry) EntityID() string { return graph.EntityID(e.EntityKind(), e.ID) }

// Names lists every name of the entry: name, Arabic name, aliases.
func (e *Entry) Names() []string {
	out := []string{e.Name}
	if e.NameAr != "" {
		out = append(out, e.NameAr)
	}
	return append(out, e.Aliases...)
}

// Entity returns the entry as a graph entity without mentions.
func (e *Entry) Entity() graph.Entity {
	ent := graph.Entity{
		ID: e.EntityID(), Kind: e.EntityKind(), Subtype: e.Subtype, Name: e.Name, NameAr: e.NameAr,
		Aliases: append([]string{}, e.Aliases...), Key: e.ID, Title: e.Title, TitleAr: e.TitleAr,
	}
	if e.Lat != nil && e.Lon != nil {
		lat, lon := *e.Lat, *e.Lon
		ent.Lat, ent.Lon = &lat, &lon
		ent.GeoPrecision = geoPrecision(e.Subtype)
	}
	return graph.NormalizeEntity(ent)
}

func geoPrecision(subtype string) string {
	switch subtype {
	case "country", "region", "city", "site":
		return subtype
	}
	return "approximate"
}

// Statement is one fact the gazetteer asserts between two entries, written
// as a line of the gazetteer document so that evidence can point at it.
type Statement struct {
	Type      graph.RelType
	From, To  *Entry
	Role      string // FAMILY_OF relation
	Line      int    // index of the line in Text
	Start     int    // rune offset of the line in Text
	End       int    // rune offset after the line (without the newline)
	Sentence  string // the line
	sortField string
	rank      int // statements of built-in entries first, then files', then the API's
	seq       int // the API's: position of the subject among the entries given to New
}

// Gazetteer is a loaded, validated knowledge base. It is immutable and safe
// for concurrent use.
type Gazetteer struct {
	entries    []*Entry // ordered by id
	input      []*Entry // as given to New, for With
	byID       map[string]*Entry
	byCode     map[string]*Entry // codeKey(scheme, value) → entry
	statements []Statement
	bySubject  map[string][]int // entry id → statement indexes
	text       string
	matcher    *Matcher
	entities   map[*Entry]graph.Entity // Entry.Entity, computed once: extraction asks for it per article
	nameKeys   map[*Entry][][]string   // NameKeys
	about      map[string][]Statement  // StatementsAbout, by entry id
	doc        graph.Document          // Document
}

// EntityOf is e.Entity(), computed once per gazetteer. The copy is the
// caller's to change.
func (g *Gazetteer) EntityOf(e *Entry) graph.Entity {
	ent, ok := g.entities[e]
	if !ok {
		return e.Entity()
	}
	ent.Aliases = append([]string(nil), ent.Aliases...)
	ent.Topics = append([]string(nil), ent.Topics...)
	return ent
}

// EntityView is EntityOf for a caller that neither changes its lists nor
// keeps them: they are the gazetteer's own.
func (g *Gazetteer) EntityView(e *Entry) graph.Entity {
	if ent, ok := g.entities[e]; ok {
		return ent
	}
	return e.Entity()
}

// NameKeys returns the match keys of each of e.Names(), computed once per
// gazetteer; the slices are shared and must not be changed.
func (g *Gazetteer) NameKeys(e *Entry) [][]string {
	if ks, ok := g.nameKeys[e]; ok {
		return ks
	}
	var ks [][]string
	for _, n := range e.Names() {
		ks = append(ks, keys(n))
	}
	return ks
}

// IDOf is e.EntityID(), computed once per gazetteer.
func (g *Gazetteer) IDOf(e *Entry) string {
	if ent, ok := g.entities[e]; ok {
		return ent.ID
	}
	return e.EntityID()
}

// DocumentURL names the gazetteer as a source; its Document id derives from
// it. Stored in the graph: do not rename.
const DocumentURL = "polgraph:gazetteer"

// APIDocumentURL names the document whose text holds the entries added
// through the API, in the file format, so that a restarted server (or
// another replica) gets them back. Stored in the graph: do not rename.
const APIDocumentURL = "polgraph:gazetteer:api"

// Load reads the built-in gazetteer and then each user file in order.
func Load(files ...string) (*Gazetteer, error) {
	entries, err := ParseOrigin(builtin, "gazetteer/libya.yaml", OriginBuiltin)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, &graph.Error{Code: graph.Invalid, Message: fmt.Sprintf("gazetteer %s: cannot read the file", f), Err: err}
		}
		more, err := Parse(data, f)
		if err != nil {
			return nil, err
		}
		entries = override(entries, more)
	}
	return New(entries)
}

// With returns a gazetteer of g's entries and more, which add entries or
// replace those with the same id, validated as a whole as New does. g is
// unchanged. Statements of entries already in g keep their lines in the
// document unless more replaces a built-in or file entry, so evidence read
// before still points at its sentence.
func (g *Gazetteer) With(more []*Entry) (*Gazetteer, error) {
	return New(override(append([]*Entry(nil), g.input...), more))
}

// Override returns base with each entry of more replacing the entry of base
// with its id, in place, or appended; base is not modified.
func Override(base, more []*Entry) []*Entry {
	return override(append([]*Entry(nil), base...), more)
}

// override replaces entries with the same id and appends new ones.
func override(base, more []*Entry) []*Entry {
	idx := map[string]int{}
	for i, e := range base {
		idx[e.ID] = i
	}
	for _, e := range more {
		if i, ok := idx[e.ID]; ok {
			base[i] = e
			continue
		}
		idx[e.ID] = len(base)
		base = append(base, e)
	}
	return base
}

type file struct {
	Version int      `yaml:"version"`
	Entries []*Entry `yaml:"entries"`
}

// Parse reads one gazetteer YAML (or JSON) document of a user file. Unknown
// fields are errors, so a misspelt key does not silently drop a fact; so is
// an id used twice. The entries are validated by New.
func Parse(data []byte, name string) ([]*Entry, error) {
	return ParseOrigin(data, name, OriginFile)
}

// ParseOrigin is Parse for entries of the given origin: OriginBuiltin,
// OriginFile or OriginAPI.
func ParseOrigin(data []byte, name, origin string) ([]*Entry, error) {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, graph.Errorf(graph.Invalid, "gazetteer %s: %v", name, err)
	}
	if f.Version != 1 {
		e := graph.Errorf(graph.Invalid, "gazetteer %s: version must be 1", name)
		e.Param = "version"
		return nil, e
	}
	seen := map[string]bool{}
	for i, e := range f.Entries {
		if e == nil {
			err := graph.Errorf(graph.Invalid, "gazetteer %s: entry %d is empty", name, i)
			err.Param = fmt.Sprintf("entries[%d]", i)
			return nil, err
		}
		e.file, e.pos, e.origin = name, i+1, origin
		if seen[e.ID] {
			err := graph.Errorf(graph.Invalid, "gazetteer %s: entry %q: id is used twice", name, e.ID)
			err.Param = e.param("id")
			return nil, err
		}
		seen[e.ID] = true
	}
	return f.Entries, nil
}

// Marshal writes entries as a gazetteer document in the file format, in
// their order; Parse reads it back.
func Marshal(entries []*Entry) ([]byte, error) {
	if entries == nil {
		entries = []*Entry{}
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(file{Version: 1, Entries: entries}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

var idPattern = regexp.MustCompile(`^[a-z]+/[a-z0-9][a-z0-9.+-]*$`)

// New validates entries and builds a gazetteer from them.
func New(entries []*Entry) (*Gazetteer, error) {
	g := &Gazetteer{byID: map[string]*Entry{}, byCode: map[string]*Entry{}, bySubject: map[string][]int{}, input: entries}
	seq := map[string]int{}
	for i, e := range entries {
		bad := func(field, format string, args ...any) error {
			err := graph.Errorf(graph.Invalid, "gazetteer %s: entry %q: %s", e.file, e.ID, fmt.Sprintf(format, args...))
			err.Param = e.param(field)
			return err
		}
		if !idPattern.MatchString(e.ID) {
			return nil, bad("id", "id must look like kind/name-in-lower-case")
		}
		if _, dup := g.byID[e.ID]; dup {
			return nil, bad("id", "id is used twice")
		}
		switch k := e.EntityKind(); k {
		case graph.KindPerson, graph.KindOrganization, graph.KindGroup, graph.KindPlace:
		default:
			return nil, bad("kind", "kind %q is not Person, Organization, Group or Place", e.Kind)
		}
		if strings.TrimSpace(e.Name) == "" {
			return nil, bad("name", "name is empty")
		}
		if strings.TrimSpace(e.Source) == "" {
			return nil, bad("source", "source is empty (give a public URL, \"corpus seed\" or \"corpus article NNN\")")
		}
		if (e.Lat == nil) != (e.Lon == nil) {
			return nil, bad("lat", "lat and lon go together")
		}
		if e.Lat != nil && (math.IsNaN(*e.Lat) || *e.Lat < -90 || *e.Lat > 90 || math.IsNaN(*e.Lon) || *e.Lon < -180 || *e.Lon > 180) {
			return nil, bad("lat", "coordinates out of range")
		}
		if e.Lat != nil && e.EntityKind() != graph.KindPlace {
			return nil, bad("lat", "only places have coordinates")
		}
		for _, c := range e.Codes {
			scheme, value, ok := strings.Cut(c, ":")
			if !ok || !slices.Contains(CodeSchemes, scheme) || strings.TrimSpace(value) == "" {
				return nil, bad("codes", "code %q is not scheme:value with a scheme of %s", c, strings.Join(CodeSchemes, ", "))
			}
			k := codeKey(scheme, value)
			if other, dup := g.byCode[k]; dup {
				return nil, bad("codes", "code %q is also %q's", c, other.ID)
			}
			g.byCode[k] = e
		}
		if e.Capital && e.EntityKind() != graph.KindPlace {
			return nil, bad("capital", "only places are capitals")
		}
		for _, n := range e.Names() {
			if len(keys(n)) == 0 {
				return nil, bad("name", "name %q has no letters or digits", n)
			}
		}
		g.byID[e.ID] = e
		g.entries = append(g.entries, e)
		seq[e.ID] = i
	}
	sort.Slice(g.entries, func(i, j int) bool { return g.entries[i].ID < g.entries[j].ID })
	for _, e := range g.entries {
		bad := func(field, format string, args ...any) error {
			err := graph.Errorf(graph.Invalid, "gazetteer %s: entry %q: %s", e.file, e.ID, fmt.Sprintf(format, args...))
			err.Param = e.param(field)
			return err
		}
		ref := func(id, field string, kinds ...graph.Kind) (*Entry, error) {
			t, ok := g.byID[id]
			if !ok {
				return nil, bad(field, "%s %q is not in the gazetteer", field, id)
			}
			for _, k := range kinds {
				if t.EntityKind() == k {
					return t, nil
				}
			}
			return nil, bad(field, "%s %q is a %s", field, id, t.Kind)
		}
		add := func(s Statement) {
			s.seq = seq[e.ID]
			g.add(s)
		}
		if e.LocatedIn != "" {
			if e.EntityKind() != graph.KindPlace {
				return nil, bad("located_in", "only places are located_in")
			}
			p, err := ref(e.LocatedIn, "located_in", graph.KindPlace)
			if err != nil {
				return nil, err
			}
			add(Statement{Type: graph.LocatedIn, From: e, To: p})
		}
		for _, m := range e.MemberOf {
			if e.EntityKind() == graph.KindPlace {
				return nil, bad("member_of", "places are not member_of anything")
			}
			o, err := ref(m, "member_of", graph.KindOrganization, graph.KindGroup)
			if err != nil {
				return nil, err
			}
			add(Statement{Type: graph.MemberOf, From: e, To: o})
		}
		for _, f := range e.Family {
			if e.EntityKind() != graph.KindPerson {
				return nil, bad("family", "only people have family")
			}
			if f.Relation == "" {
				return nil, bad("family", "family link without relation")
			}
			o, err := ref(f.Of, "family", graph.KindPerson)
			if err != nil {
				return nil, err
			}
			add(Statement{Type: graph.FamilyOf, From: e, To: o, Role: f.Relation})
		}
	}
	if err := g.checkCycles(); err != nil {
		return nil, err
	}
	g.writeText()
	g.matcher = newMatcher(g.entries)
	g.doc = graph.Document{
		ID: graph.DocumentID(DocumentURL), URL: DocumentURL, Title: "polgraph gazetteer",
		Language: "en", Source: "gazetteer", Text: g.text,
	}
	g.about = map[string][]Statement{}
	for id, is := range g.bySubject {
		for _, i := range is {
			g.about[id] = append(g.about[id], g.statements[i])
		}
	}
	g.entities = make(map[*Entry]graph.Entity, len(g.entries))
	g.nameKeys = make(map[*Entry][][]string, len(g.entries))
	for _, e := range g.entries {
		g.entities[e] = e.Entity()
		for _, n := range e.Names() {
			g.nameKeys[e] = append(g.nameKeys[e], keys(n))
		}
	}
	return g, nil
}

func (g *Gazetteer) add(s Statement) {
	s.sortField = s.From.ID + "\x00" + string(s.Type) + "\x00" + s.To.ID
	switch s.From.Origin() {
	case OriginBuiltin:
		s.rank, s.seq = 0, 0
	case OriginFile:
		s.rank, s.seq = 1, 0
	default:
		s.rank = 2
	}
	g.statements = append(g.statements, s)
}

func (g *Gazetteer) checkCycles() error {
	for _, e := range g.entries {
		seen := map[string]bool{e.ID: true}
		for p := e.LocatedIn; p != ""; p = g.byID[p].LocatedIn {
			if seen[p] {
				err := graph.Errorf(graph.Invalid, "gazetteer %s: entry %q: located_in goes round in a circle", e.file, e.ID)
				err.Param = e.param("located_in")
				return err
			}
			seen[p] = true
		}
	}
	return nil
}

// writeText renders the statements as the gazetteer document, one sentence a
// line, in a stable order: those of built-in entries sorted, then those of
// user files sorted, then those of API entries in the order the entries
// were added, so that adding entries through the API appends lines and
// leaves the offsets that stored evidence cites in place.
func (g *Gazetteer) writeText() {
	sort.SliceStable(g.statements, func(i, j int) bool {
		a, b := &g.statements[i], &g.statements[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.seq != b.seq {
			return a.seq < b.seq
		}
		return a.sortField < b.sortField
	})
	var b strings.Builder
	off := 0
	for i := range g.statements {
		s := &g.statements[i]
		var line string
		switch s.Type {
		case graph.LocatedIn:
			line = fmt.Sprintf("%s is located in %s.", s.From.Name, s.To.Name)
		case graph.MemberOf:
			if s.From.EntityKind() == graph.KindPerson {
				line = fmt.Sprintf("%s is a member of %s.", s.From.Name, s.To.Name)
			} else {
				line = fmt.Sprintf("%s is part of %s.", s.From.Name, s.To.Name)
			}
		case graph.FamilyOf:
			line = fmt.Sprintf("%s is a %s of %s.", s.From.Name, s.Role, s.To.Name)
		}
		s.Line, s.Start, s.Sentence = i, off, line
		s.End = off + len([]rune(line))
		b.WriteString(line)
		b.WriteString("\n")
		off = s.End + 1
		g.bySubject[s.From.ID] = append(g.bySubject[s.From.ID], i)
	}
	g.text = b.String()
}

// Entries lists every entry, ordered by id.
func (g *Gazetteer) Entries() []*Entry { return g.entries }

// EntriesFrom lists the entries of one origin in the order they were given,
// e.g. those added through the API, for Marshal.
func (g *Gazetteer) EntriesFrom(origin string) []*Entry {
	var out []*Entry
	for _, e := range g.input {
		if e.Origin() == origin {
			out = append(out, e)
		}
	}
	return out
}

// CodeSchemes are the schemes of Entry.Codes.
var CodeSchemes = []string{"cameo", "fips", "iso", "acled", "gdelt"}

func codeKey(scheme, value string) string {
	return scheme + ":" + strings.ToLower(strings.Join(strings.Fields(value), " "))
}

// ByCode returns the entry event data names with value in scheme
// (see Entry.Codes).
func (g *Gazetteer) ByCode(scheme, value string) (*Entry, bool) {
	e, ok := g.byCode[codeKey(scheme, value)]
	return e, ok
}

// Entry returns the entry with the id.
func (g *Gazetteer) Entry(id string) (*Entry, bool) { e, ok := g.byID[id]; return e, ok }

// Statements lists the facts the gazetteer asserts, in document order.
func (g *Gazetteer) Statements() []Statement { return g.statements }

// StatementsAbout lists the statements whose subject is the entry.
func (g *Gazetteer) StatementsAbout(id string) []Statement {
	s := g.about[id]
	return s[:len(s):len(s)]
}

// Document is the gazetteer as a source document: its text lists every
// statement, one a line, so evidence offsets point at real text.
func (g *Gazetteer) Document() graph.Document { return g.doc }

// APIDocument is the document that keeps the entries added through the API:
// its text is those entries in the file format, in the order they were
// added (ParseOrigin with OriginAPI reads it back).
func (g *Gazetteer) APIDocument() (graph.Document, error) {
	text, err := Marshal(g.EntriesFrom(OriginAPI))
	if err != nil {
		return graph.Document{}, graph.Errorf(graph.Internal, "gazetteer: cannot write the API entries: %v", err)
	}
	return graph.Document{
		ID: graph.DocumentID(APIDocumentURL), URL: APIDocumentURL, Title: "polgraph gazetteer: entries added through the API",
		Language: "en", Source: "gazetteer", Text: string(text),
	}, nil
}

// Within reports whether the place id lies inside the place ancestor by
// the located_in chain (not itself). Loading rejects cycles, so the walk
// ends.
func (g *Gazetteer) Within(id, ancestor string) bool {
	e, ok := g.byID[id]
	for ok && e.LocatedIn != "" {
		if e.LocatedIn == ancestor {
			return true
		}
		e, ok = g.byID[e.LocatedIn]
	}
	return false
}

// Matcher returns the name matcher over all entries.
func (g *Gazetteer) Matcher() *Matcher { return g.matcher }
