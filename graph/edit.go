package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// EditOp names an analyst's edit. Exposed in the audit log: do not rename.
type EditOp string

// Edit operations.
const (
	EditCreate  EditOp = "create"
	EditUpdate  EditOp = "update"
	EditDelete  EditOp = "delete"
	EditMerge   EditOp = "merge"
	EditUnmerge EditOp = "unmerge"
)

// Edit is a change an analyst makes to one entity by hand, as opposed to
// what ingest derives from documents. Every edit that changes something is
// recorded in the audit log with who made it and why, in the same
// transaction as the change itself.
type Edit struct {
	Op EditOp
	// ID is the entity edited (update, delete), merged away (merge: the
	// drop) or restored (unmerge). Empty for create.
	ID string
	// Into is, for merge, the entity kept.
	Into string
	// Entity is, for create and update, the entity as it should be. Its
	// editable fields (see EditableFields) replace the stored ones; id,
	// kind, key, mentions, first/last seen, merged_from and revision stay
	// the store's. For create, Kind and Name are required and the id
	// derives from kind and key (the normalised name when Key is empty).
	Entity Entity
	// IfMatch, when set, is the EntityETag of the version the edit was
	// made from (of the entity ID names: update, delete, merge's drop):
	// the edit fails with Precondition if the entity has changed since.
	// Create and unmerge take none (Invalid): there is no version to
	// compare.
	IfMatch string
	Actor   string // who: an API key's name, "cli", …
	Reason  string // why, free text; may be empty
}

// AuditRecord is one edit in the audit log.
type AuditRecord struct {
	Seq    uint64    `json:"seq"` // position in the audit log, from 1
	At     time.Time `json:"at"`
	Op     EditOp    `json:"op"`
	Entity string    `json:"entity"`         // the entity edited (merge: the one merged away)
	Into   string    `json:"into,omitempty"` // merge, unmerge: the kept entity
	Actor  string    `json:"actor"`
	Reason string    `json:"reason,omitempty"`
	Before *Entity   `json:"before,omitempty"` // nil for create and unmerge; merge: the entity dropped
	After  *Entity   `json:"after,omitempty"`  // nil for delete and merge; unmerge: the entity restored
	// Relations counts the relations the edit created, changed or removed.
	Relations int `json:"relations"`
}

// AuditQuery filters the audit log. Zero values filter nothing.
type AuditQuery struct {
	Entity string // records whose Entity or Into is this id
	Since  uint64 // records with Seq above this
	Limit  int    // 0: 50; at most MaxPageSize
}

// AuditPage is a page of the audit log, oldest first; Next is the Since of
// the next page (the last Seq returned, or Since when there was nothing).
type AuditPage struct {
	Items []AuditRecord `json:"items"`
	Next  uint64        `json:"next"`
}

// EntityETag is a strong HTTP entity tag of an entity's stored version:
// it changes whenever anything the store holds of the entity changes.
func EntityETag(e Entity) string {
	b, _ := json.Marshal(e)
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}
