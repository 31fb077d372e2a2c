package graph

import "strings"

// Kind is an entity's kind. Stored in the graph and used as a Neo4j label: do
// not rename.
type Kind string

// The entity kinds.
const (
	KindPerson       Kind = "Person"
	KindOrganization Kind = "Organization"
	KindGroup        Kind = "Group"
	KindPlace        Kind = "Place"
	KindEvent        Kind = "Event"
	KindDocument     Kind = "Document"
)

// Kinds lists every entity kind, in display order.
var Kinds = []Kind{KindPerson, KindOrganization, KindGroup, KindPlace, KindEvent, KindDocument}

// Valid reports whether k is one of the entity kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// IsActor reports whether entities of kind k can act: take part in events,
// hold positions, be based somewhere.
func (k Kind) IsActor() bool { return k == KindPerson || k == KindOrganization || k == KindGroup }

// RelType is a relation type from the closed vocabulary. Stored in the graph
// and used as a Neo4j relationship type: do not rename, and never build one
// from user input without checking Valid.
type RelType string

// The relation vocabulary (docs/ARCHITECTURE.md §3).
const (
	ParticipatedIn RelType = "PARTICIPATED_IN" // actor → event {role}
	OccurredIn     RelType = "OCCURRED_IN"     // event → place
	BasedIn        RelType = "BASED_IN"        // actor → place
	MemberOf       RelType = "MEMBER_OF"       // actor → organization
	HoldsPosition  RelType = "HOLDS_POSITION"  // actor → organization {title}
	FamilyOf       RelType = "FAMILY_OF"       // person → person {role: son, brother, …}
	Established    RelType = "ESTABLISHED"     // event → organization
	Disputes       RelType = "DISPUTES"        // event → event
	About          RelType = "ABOUT"           // statement/denial event → the event it speaks of
	AlliedWith     RelType = "ALLIED_WITH"     // actor ↔ actor
	OpposedTo      RelType = "OPPOSED_TO"      // actor ↔ actor
	LocatedIn      RelType = "LOCATED_IN"      // place → place
	Mentions       RelType = "MENTIONS"        // document → entity {count}
	Reports        RelType = "REPORTS"         // document → event
)

// RelTypes lists the vocabulary.
var RelTypes = []RelType{ParticipatedIn, OccurredIn, BasedIn, MemberOf, HoldsPosition, FamilyOf,
	Established, Disputes, About, AlliedWith, OpposedTo, LocatedIn, Mentions, Reports}

// Valid reports whether t is in the vocabulary.
func (t RelType) Valid() bool {
	for _, v := range RelTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Asserted reports whether relations of type t state a fact about the world
// and so must carry evidence. MENTIONS and REPORTS only record what a
// document contains.
func (t RelType) Asserted() bool { return t != Mentions && t != Reports }

// relationEnds says which entity kinds each relation type joins; nil means
// any kind. Validation enforces it so that neither backend stores, say, a
// place that participated in a person.
var relationEnds = map[RelType][2][]Kind{
	// States act: a country mediates an agreement or sends a delegation.
	ParticipatedIn: {{KindPerson, KindOrganization, KindGroup, KindPlace}, {KindEvent}},
	OccurredIn:     {{KindEvent}, {KindPlace}},
	BasedIn:        {{KindPerson, KindOrganization, KindGroup}, {KindPlace}},
	MemberOf:       {{KindPerson, KindOrganization, KindGroup}, {KindOrganization, KindGroup}},
	HoldsPosition:  {{KindPerson}, {KindOrganization, KindGroup}},
	FamilyOf:       {{KindPerson}, {KindPerson}},
	Established:    {{KindEvent}, {KindOrganization, KindGroup}},
	Disputes:       {{KindEvent}, {KindEvent}},
	About:          {{KindEvent}, nil},
	AlliedWith:     {{KindPerson, KindOrganization, KindGroup}, {KindPerson, KindOrganization, KindGroup}},
	OpposedTo:      {{KindPerson, KindOrganization, KindGroup}, {KindPerson, KindOrganization, KindGroup}},
	LocatedIn:      {{KindPlace}, {KindPlace}},
	Mentions:       {{KindDocument}, nil},
	Reports:        {{KindDocument}, {KindEvent}},
}

// Ends returns the kinds allowed at the start and end of a relation of type
// t; a nil slice allows any kind.
func (t RelType) Ends() (from, to []Kind) { e := relationEnds[t]; return e[0], e[1] }

// Entity is a node: an actor, place, event or document. It is also the
// entity object of the extraction JSON, so fields are only ever added.
type Entity struct {
	ID      string   `json:"id"`
	Kind    Kind     `json:"kind"`
	Subtype string   `json:"subtype,omitempty"`
	Name    string   `json:"name"` // display name in Latin script
	NameAr  string   `json:"name_ar,omitempty"`
	Aliases []string `json:"aliases"`
	// Key is the canonical key the ID derives from: a gazetteer id or a
	// normalised name.
	Key     string `json:"key,omitempty"`
	Title   string `json:"title,omitempty"` // rank or honorific, e.g. "Lt. Gen."
	TitleAr string `json:"title_ar,omitempty"`

	Lat          *float64 `json:"lat,omitempty"`
	Lon          *float64 `json:"lon,omitempty"`
	GeoPrecision string   `json:"geo_precision,omitempty"`

	EventType     string `json:"event_type,omitempty"`
	Date          string `json:"date,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD
	DatePrecision string `json:"date_precision,omitempty"`
	// Cameo is the CAMEO event code ("057"), where the event's type maps
	// to one clearly; GDELT rows carry their own.
	Cameo string `json:"cameo,omitempty"`
	// QuadClass and Goldstein are GDELT's coarse class of an event (1
	// verbal cooperation, 2 material cooperation, 3 verbal conflict, 4
	// material conflict) and its impact score (-10 … +10).
	QuadClass int      `json:"quad_class,omitempty"`
	Goldstein *float64 `json:"goldstein,omitempty"`
	// Fatalities is the number of deaths event data reports for an event
	// (ACLED); nil when unknown, which is not the same as none.
	Fatalities *int `json:"fatalities,omitempty"`
	// Revision orders versions of a record from event data (ACLED's
	// timestamp of the last edit): a higher revision replaces the
	// record's attributes, a lower one never does.
	Revision int64    `json:"revision,omitempty"`
	Topics   []string `json:"topics,omitempty"`
	Summary  string   `json:"summary,omitempty"`

	Mentions  []Mention `json:"mentions,omitempty"`
	FirstSeen string    `json:"first_seen,omitempty"`
	LastSeen  string    `json:"last_seen,omitempty"`
	// MergedFrom lists the ids of entities merged into this one.
	MergedFrom []string `json:"merged_from,omitempty"`
}

// Names returns every name the entity is known by: name, Arabic name and
// aliases, without duplicates or blanks.
func (e *Entity) Names() []string {
	out := make([]string, 0, 2+len(e.Aliases))
	seen := map[string]bool{}
	for _, n := range append([]string{e.Name, e.NameAr}, e.Aliases...) {
		n = strings.TrimSpace(n)
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Mention is one place in a document where an entity is named. Start and End
// are rune offsets into the document text; Text is exactly that slice.
type Mention struct {
	Document string `json:"document"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
}

// Evidence is one piece of support for a relation: where it was read and by
// which rule. Start and End are rune offsets into the document's text; Text is
// exactly that slice. Sentence is the index of the sentence holding the span,
// SentenceStart and SentenceText let a reader show the span in context.
type Evidence struct {
	ID            string  `json:"id"`
	Document      string  `json:"document"`
	Sentence      int     `json:"sentence"`
	Start         int     `json:"start"`
	End           int     `json:"end"`
	Text          string  `json:"text"`
	Rule          string  `json:"rule"`
	Confidence    float64 `json:"confidence"`
	SentenceStart int     `json:"sentence_start"`
	SentenceText  string  `json:"sentence_text,omitempty"`
	// Date is when the document said it (its publication date), if known.
	Date string `json:"date,omitempty"`
}

// Relation is a typed edge between two entities. For asserted types it
// carries the evidence for it; EvidenceCount, Confidence, FirstSeen and
// LastSeen are derived from that list by Derive.
type Relation struct {
	ID    string  `json:"id"`
	Type  RelType `json:"type"`
	From  string  `json:"from"`
	To    string  `json:"to"`
	Role  string  `json:"role,omitempty"`  // PARTICIPATED_IN role, FAMILY_OF kinship
	Title string  `json:"title,omitempty"` // HOLDS_POSITION title
	Count int     `json:"count,omitempty"` // MENTIONS: times named in the document
	// Date is when the fact holds, where known (an event's date); otherwise
	// the relation is dated by its evidence.
	Date string `json:"date,omitempty"`

	Evidence      []Evidence `json:"evidence"`
	EvidenceCount int        `json:"evidence_count"`
	Confidence    float64    `json:"confidence"`
	FirstSeen     string     `json:"first_seen,omitempty"`
	LastSeen      string     `json:"last_seen,omitempty"`

	// Other is the entity at the far end, filled by queries that start from
	// one entity.
	Other *Entity `json:"other,omitempty"`
}

// Document is a source: a news report, a gazetteer, an event-data row set.
type Document struct {
	ID        string `json:"id"`
	URL       string `json:"url,omitempty"`
	Outlet    string `json:"outlet,omitempty"`
	Title     string `json:"title,omitempty"`
	Language  string `json:"language,omitempty"`
	Published string `json:"published,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	Source    string `json:"source,omitempty"` // e.g. "article", "gazetteer"
	Text      string `json:"text,omitempty"`
	// Revision orders versions of an event-data record (ACLED's timestamp
	// of the last edit), as Entity.Revision does.
	Revision int64 `json:"revision,omitempty"`
}

// Batch is a set of upserts applied atomically: everything ingest extracts
// from one or more documents. Entities referenced by relations must be in the
// batch or already in the store.
type Batch struct {
	Documents []Document `json:"documents"`
	Entities  []Entity   `json:"entities"`
	Relations []Relation `json:"relations"`
}

// Empty reports whether the batch holds nothing.
func (b *Batch) Empty() bool {
	return len(b.Documents) == 0 && len(b.Entities) == 0 && len(b.Relations) == 0
}
