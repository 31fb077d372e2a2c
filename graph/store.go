package graph

import (
	"context"
	"time"
)

// Store is a graph backend. Every method takes a context first and returns
// *Error values; the codes each may return are listed on it. Exact semantics
// are pinned down by graph/storetest, which every backend runs.
//
// Entities inside the answers of Search, Relations (Other), Paths, Network
// and Events carry no Mentions: a much-reported actor's list runs to tens
// of thousands, and copying it into every answer that touches the actor
// made those answers slow. Entity and Scan carry them, and
// RelationQuery.WithMentions asks for them on Other.
type Store interface {
	// Apply upserts a batch atomically and durably: when it returns nil the
	// batch survives a crash. Applying the same batch again changes nothing
	// and records no change. Entities are combined with UpsertEntity,
	// relations with UpsertRelation. Ids of merged-away entities are
	// rewritten to the entity they were merged into.
	// Errors: Invalid (batch fails Validate, or a relation names an entity
	// that exists nowhere), TooLarge, Unavailable.
	Apply(ctx context.Context, b *Batch) (ApplyResult, error)

	// Entity returns the entity with the id, or the entity it was merged
	// into. Errors: NotFound, Invalid (malformed id).
	Entity(ctx context.Context, id string) (Entity, error)

	// Search finds entities whose names match the query in Arabic or Latin
	// script, best first (score, then name, then id). Errors: Invalid
	// (empty query).
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)

	// Relations lists an entity's relations, filtered, ordered by relation
	// id, paginated by an opaque cursor. Each carries its evidence and the
	// entity at the other end. Errors: NotFound (unknown entity), Invalid.
	Relations(ctx context.Context, q RelationQuery) (RelationPage, error)

	// Relation returns one relation with all its evidence. Errors: NotFound.
	Relation(ctx context.Context, id string) (Relation, error)

	// Paths returns up to K shortest simple paths between two entities,
	// ignoring direction, of at most MaxDepth relations, shortest first.
	// No path gives an empty slice. Errors: NotFound (either end unknown),
	// Invalid.
	Paths(ctx context.Context, q PathQuery) ([]Path, error)

	// Network returns the ego network of an entity: nodes within Depth hops,
	// nearest first, at most Limit of them, and only the relations among
	// the returned nodes. Errors: NotFound, Invalid.
	Network(ctx context.Context, q NetworkQuery) (Network, error)

	// Events lists events ordered by date then id (undated last), filtered,
	// paginated. Errors: Invalid.
	Events(ctx context.Context, q EventQuery) (EventPage, error)

	// Document returns a source document with its text. Errors: NotFound.
	Document(ctx context.Context, id string) (Document, error)

	// Merge folds entity drop into entity keep: drop's names become keep's
	// aliases, its relations move to keep (combining evidence where keep
	// already has the same fact), and later references to drop resolve to
	// keep. Errors: NotFound, Invalid (same id, different kinds).
	Merge(ctx context.Context, keep, drop string) (MergeRecord, error)

	// Scan calls fn with everything the store holds, in a fixed order: every
	// document, then every entity but documents' own nodes, by kind (in the
	// order of Kinds) then id, then every relation with all its evidence,
	// by type (in the order of RelTypes) then id. Writes made while it runs
	// may or may not be seen. It stops at fn's first error and returns it.
	// Errors: Unavailable, or fn's.
	Scan(ctx context.Context, fn func(Object) error) error

	// Edit makes an analyst's edit (create, update, delete, merge or
	// unmerge of one entity) and records it in the audit log and the change
	// feed, atomically. Edits name entities exactly: an id merged away is
	// NotFound (saying where it went), not the entity it resolves to. An
	// edit that changes nothing records nothing and returns a record with
	// Seq 0 (and After as stored). Create derives the id from kind and key
	// (EditKey); update replaces the editable fields (EditableFields);
	// delete removes the entity, every relation at it and the redirects of
	// ids merged into it (they name nothing from then on, and their merges
	// cannot be undone); documents are neither created, updated nor deleted
	// this way. Merge does what Merge
	// does. Unmerge undoes a merge (made by Edit or Merge) from its merge
	// record: the dropped entity comes back as it was, with the relations
	// it brought, and the kept entity loses the names and evidence the
	// merge gave it; what reached the kept entity since stays. IfMatch
	// applies to update, delete and merge (the entity ID names).
	// Errors: Invalid, NotFound, Conflict (create of an existing or merged
	// id; unmerge of an entity that is not merged away, whose kept entity
	// was itself merged since, or merged before merge records held what
	// undoing needs), Precondition (IfMatch is stale),
	// Unavailable, Timeout.
	Edit(ctx context.Context, e Edit) (AuditRecord, error)

	// Audit lists the audit log, oldest first, filtered and paginated.
	// Errors: Invalid (see AuditQuery.Check).
	Audit(ctx context.Context, q AuditQuery) (AuditPage, error)

	// Stats counts what the store holds.
	Stats(ctx context.Context) (Stats, error)

	// Changes returns changes with a sequence number above since, oldest
	// first, at most limit. Sequence numbers only grow.
	Changes(ctx context.Context, since uint64, limit int) (ChangePage, error)

	// Close releases the store. It is safe to call once.
	Close() error
}

// Object is one thing a store holds, as Scan gives it: exactly one field
// is set.
type Object struct {
	Document *Document
	Entity   *Entity
	Relation *Relation
}

// ScanPage is how many objects a backend reads at a time while scanning.
const ScanPage = 1000

// ApplyResult counts what an Apply created and changed.
type ApplyResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Evidence  int `json:"evidence_added"`
}

// Window is a closed date interval; "" on either side leaves it open. Dates
// are YYYY-MM-DD, or shorter (YYYY, YYYY-MM) for coarse dates.
type Window struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Open reports whether the window filters nothing.
func (w Window) Open() bool { return w.From == "" && w.To == "" }

// Direction filters relations by which end the entity is.
type Direction string

// Directions.
const (
	Both     Direction = ""
	Outgoing Direction = "out"
	Incoming Direction = "in"
)

// SearchQuery asks for entities by name.
type SearchQuery struct {
	Text  string
	Kinds []Kind // nil: all kinds but Document
	Limit int    // 0: 20
	// Script restricts matching to names in one script: ScriptArabic or
	// ScriptLatin; "" matches names in either.
	Script string
	// Exact turns fuzzy matching off: a name matches only when it is the
	// query once both are normalised (no spelling variants by consonant
	// skeleton, no prefixes).
	Exact bool
}

// Scripts a search may be restricted to (SearchQuery.Script).
const (
	ScriptArabic = "arabic"
	ScriptLatin  = "latin"
)

// SearchHit is one search result.
type SearchHit struct {
	Entity  Entity  `json:"entity"`
	Score   float64 `json:"score"`
	Matched string  `json:"matched"` // the name that matched best
}

// RelationQuery filters an entity's relations. Zero values filter nothing.
type RelationQuery struct {
	Entity        string
	Types         []RelType
	Direction     Direction
	Window        Window
	MinConfidence float64
	Limit         int    // 0: 50
	Cursor        string // from a previous page's Next
	// WithMentions keeps Other's mentions, for the callers that read
	// them (a document's annotations, an export); costly at hubs.
	WithMentions bool
}

// RelationPage is one page of relations.
type RelationPage struct {
	Items []Relation `json:"items"`
	Next  string     `json:"next"`
}

// PathQuery asks for paths between two entities.
type PathQuery struct {
	From, To string
	K        int // 0: 3
	MaxDepth int // 0: 4; at most MaxPathDepth
	Types    []RelType
	Window   Window
}

// Path is a walk from one entity to another: Nodes has one more element
// than Relations, and Relations[i] joins Nodes[i] and Nodes[i+1] in either
// direction.
type Path struct {
	Nodes     []Entity   `json:"nodes"`
	Relations []Relation `json:"relations"`
}

// NetworkQuery asks for an ego network.
type NetworkQuery struct {
	Entity string
	Depth  int // 0: 1; at most MaxNetworkDepth
	Limit  int // node budget; 0: 100; at most MaxNetworkNodes
	Kinds  []Kind
	Types  []RelType
	Window Window
}

// Network is a subgraph.
type Network struct {
	Nodes     []Entity   `json:"nodes"`
	Relations []Relation `json:"relations"`
	// Truncated is true when the node budget cut the network short.
	Truncated bool `json:"truncated"`
}

// EventQuery filters events. Zero values filter nothing.
type EventQuery struct {
	Actor  string // participant id
	Place  string // place id (the event occurred there)
	Types  []string
	Window Window
	Limit  int // 0: 50
	Cursor string
}

// EventPage is one page of events.
type EventPage struct {
	Items []Entity `json:"items"`
	Next  string   `json:"next"`
}

// MergeRecord records a merge so it can be shown and undone.
type MergeRecord struct {
	Keep      string    `json:"keep"`
	Drop      string    `json:"drop"`
	Dropped   Entity    `json:"dropped"`   // the entity as it was before the merge
	Relations []string  `json:"relations"` // the ids of the dropped entity's relations
	At        time.Time `json:"at"`
	// Kept is the kept entity as it was before the merge, Moved the
	// dropped entity's relations as they were (with all their evidence),
	// and Replaced the kept entity's relations that moved ones were
	// combined into, as they were: what undoing the merge needs. Records
	// of merges made before polgraph kept them lack them (Kept is nil), and
	// those merges cannot be undone. Stored: do not rename.
	Kept     *Entity    `json:"kept,omitempty"`
	Moved    []Relation `json:"moved,omitempty"`
	Replaced []Relation `json:"replaced,omitempty"`
}

// Stats counts what a store holds.
type Stats struct {
	Entities  map[Kind]int    `json:"entities"`
	Relations map[RelType]int `json:"relations"`
	Documents int             `json:"documents"`
	Evidence  int             `json:"evidence"`
	Changes   uint64          `json:"changes"` // the latest change sequence number
}

// Op names a change.
type Op string

// Change operations. Exposed in the change feed: do not rename.
const (
	Created Op = "created"
	Updated Op = "updated"
	Merged  Op = "merged"
	Deleted Op = "deleted"
)

// Change is one entry of the change feed.
type Change struct {
	Seq    uint64    `json:"seq"`
	Op     Op        `json:"op"`
	Object string    `json:"object"` // "entity", "relation" or "document"
	ID     string    `json:"id"`
	Into   string    `json:"into,omitempty"` // for merges: the kept entity
	At     time.Time `json:"at"`
}

// ChangePage is a page of the change feed; Next is the cursor for the next
// call (the last Seq returned, or since when there was nothing new).
type ChangePage struct {
	Items []Change `json:"items"`
	Next  uint64   `json:"next"`
}

// Bounds every backend applies, so no query can ask for unbounded work.
const (
	MaxPathDepth    = 8
	MaxPaths        = 20
	MaxNetworkDepth = 4
	MaxNetworkNodes = 2000
	MaxPageSize     = 500
	MaxBatchItems   = 100000
)
