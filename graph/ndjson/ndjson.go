// Package ndjson is polgraph's canonical NDJSON: the whole graph as one
// file of JSON lines, for backups, moving a graph between the embedded
// store and Neo4j, and hand-written test data. The format is specified in
// docs/NDJSON.md; in short, version 1 is:
//
//	{"kind":"header","format":"polgraph","version":1}
//	{"kind":"document","document":{…graph.Document…}}
//	{"kind":"entity","entity":{…graph.Entity: Person, Organization, Group, Place…}}
//	{"kind":"event","event":{…graph.Entity of kind Event…}}
//	{"kind":"relation","relation":{…graph.Relation with its evidence…}}
//
// one object per line, UTF-8, "\n" line ends, objects in Store.Scan order
// (documents, entities by kind then id, relations by type then id), so that
// an export is deterministic and an import never meets a relation before
// its ends. The objects are exactly the JSON of the graph types, whose
// fields are only ever added; any change that is not an addition bumps
// Version.
//
// Write exports a store; Read imports a file through graph/loader, which
// applies it in chunks and skips the objects the store rejects; Decoder
// reads lines for callers that want the objects themselves. Exporting,
// importing into an empty store of either backend and exporting again
// gives the same bytes.
//
// What is not here: the command line (cmd/polgraph), the rules an import
// applies (graph's upserts and validation, through the store), and other
// formats (event data: ingest/eventdata; GraphML, GEXF, CSV: graph/export).
package ndjson

import (
	"fmt"

	"github.com/polgraph/polgraph/graph"
)

// Format and Version are what the header line says. Written into files:
// do not change them; a change to the format that is not an added field
// makes a new Version.
const (
	Format  = "polgraph"
	Version = 1
)

// MaxLine is the longest line a Decoder reads, in bytes without the line
// end: far above any real object (a document of a few hundred kilobytes,
// a relation with thousands of pieces of evidence), low enough that one
// corrupt line cannot exhaust memory. A longer line is reported and
// skipped; no more than MaxLine bytes of it are ever held.
const MaxLine = 64 << 20

// The kinds of line. Written into files: do not rename.
const (
	kindHeader   = "header"
	kindDocument = "document"
	kindEntity   = "entity"
	kindEvent    = "event"
	kindRelation = "relation"
)

// line is one line of the file, written and read. Exactly one of the
// payload fields is set, the one the kind names; Format and Version only
// on the header. The field order is the order on the line: kind first, so
// that a reader (or grep) sees what a line is before its object.
type line struct {
	Kind     string          `json:"kind"`
	Format   string          `json:"format,omitempty"`
	Version  int             `json:"version,omitempty"`
	Document *graph.Document `json:"document,omitempty"`
	Entity   *graph.Entity   `json:"entity,omitempty"`
	Event    *graph.Entity   `json:"event,omitempty"`
	Relation *graph.Relation `json:"relation,omitempty"`
}

var header = line{Kind: kindHeader, Format: Format, Version: Version}

// Counts says how many objects of each line kind were written.
type Counts struct {
	Documents int `json:"documents"`
	Entities  int `json:"entities"` // every kind but Event
	Events    int `json:"events"`
	Relations int `json:"relations"`
}

// Objects is how many objects were written in all (the header not counted).
func (c Counts) Objects() int { return c.Documents + c.Entities + c.Events + c.Relations }

// LineError is a line that cannot be read: not JSON, not an object of the
// format. The Decoder goes on with the next line.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// FormatError is a header this build cannot read: another format, or
// another version. It is fatal: nothing after it can be read safely, so the
// Decoder stops there.
type FormatError struct {
	Line    int
	Format  string // as the header says; "" when the header cannot be decoded
	Version int    // as the header says
	Err     error  // why the header could not be decoded, if it could not
}

func (e *FormatError) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("line %d: a header this build cannot read (%v); it reads %s NDJSON version %d",
			e.Line, e.Err, Format, Version)
	case e.Format != Format:
		return fmt.Sprintf("line %d: the file's header names format %q, version %d; this build reads %s NDJSON version %d",
			e.Line, e.Format, e.Version, Format, Version)
	default:
		return fmt.Sprintf("line %d: the file is %s NDJSON version %d; this build reads version %d only",
			e.Line, Format, e.Version, Version)
	}
}

func (e *FormatError) Unwrap() error { return e.Err }
