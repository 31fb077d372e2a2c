// Package loader applies a long stream of records to a store in chunks:
// what importers of event data and of polgraph's own NDJSON share. Each
// record contributes a small batch (a row's event, its actors and places);
// the loader combines the batches of many records into one Apply of about
// Size objects, so a Neo4j import costs one transaction per chunk instead
// of one per row. A chunk the store rejects as invalid is split in halves
// until the records at fault are found: they are reported by line and
// skipped, and every other record of the chunk is applied.
package loader

import (
	"context"
	"fmt"
	"slices"

	"github.com/polgraph/polgraph/graph"
)

// DefaultSize is how many objects a chunk holds by default: large enough to
// amortise a Neo4j transaction, small enough to stay well inside its
// memory guard.
const DefaultSize = 5000

// Record is what one input record (a line, a CSV row) contributes.
type Record struct {
	Line  int // where the record starts in its file, for reports
	Batch graph.Batch
}

func (r *Record) size() int {
	return len(r.Batch.Documents) + len(r.Batch.Entities) + len(r.Batch.Relations)
}

// Skip is a record that was not imported, and why.
type Skip struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Summary counts what a load did so far.
type Summary struct {
	Read     int               `json:"read"`     // records read, good or bad
	Imported int               `json:"imported"` // records applied
	Skipped  []Skip            `json:"skipped"`  // records left out, by line
	Applied  graph.ApplyResult `json:"applied"`  // summed over the chunks
}

// Loader accumulates records and applies them in chunks. It is not safe
// for concurrent use.
type Loader struct {
	st       graph.Store
	size     int
	pending  []Record
	objects  int
	sum      Summary
	progress func(Summary)
}

// Option configures a Loader.
type Option func(*Loader)

// WithSize sets how many objects a chunk holds (DefaultSize when n < 1).
func WithSize(n int) Option {
	return func(l *Loader) {
		if n > 0 {
			l.size = n
		}
	}
}

// WithProgress calls f with the summary after each chunk is applied.
func WithProgress(f func(Summary)) Option { return func(l *Loader) { l.progress = f } }

// New returns a loader into st.
func New(st graph.Store, opts ...Option) *Loader {
	l := &Loader{st: st, size: DefaultSize}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Add queues a record, applying the queue when it reaches the chunk size.
// An error means the store failed (unavailable, context done): records
// applied before it stay applied, and the load should stop.
func (l *Loader) Add(ctx context.Context, r Record) error {
	l.sum.Read++
	l.pending = append(l.pending, r)
	l.objects += r.size()
	if l.objects >= l.size {
		return l.Flush(ctx)
	}
	return nil
}

// Skip records a record that could not be read.
func (l *Loader) Skip(line int, reason string) {
	l.sum.Read++
	l.sum.Skipped = append(l.sum.Skipped, Skip{Line: line, Reason: reason})
}

// Flush applies what is queued.
func (l *Loader) Flush(ctx context.Context) error {
	if len(l.pending) == 0 {
		return nil
	}
	recs := l.pending
	l.pending, l.objects = nil, 0
	err := l.apply(ctx, recs)
	slices.SortStableFunc(l.sum.Skipped, func(a, b Skip) int { return a.Line - b.Line })
	if l.progress != nil {
		l.progress(l.Summary())
	}
	return err
}

// Summary returns the counts so far; call it after the last Flush for the
// totals.
func (l *Loader) Summary() Summary {
	s := l.sum
	s.Skipped = slices.Clone(l.sum.Skipped)
	if s.Skipped == nil {
		s.Skipped = []Skip{}
	}
	return s
}

// apply applies recs as one batch; if the store rejects it as invalid or
// too large, each half is applied on its own, down to single records,
// which are then skipped with the store's reason.
func (l *Loader) apply(ctx context.Context, recs []Record) error {
	res, err := l.st.Apply(ctx, Combine(recs))
	if err == nil {
		l.sum.Imported += len(recs)
		l.sum.Applied.Created += res.Created
		l.sum.Applied.Updated += res.Updated
		l.sum.Applied.Unchanged += res.Unchanged
		l.sum.Applied.Evidence += res.Evidence
		return nil
	}
	if code := graph.ErrorCode(err); code != graph.Invalid && code != graph.TooLarge {
		return err
	}
	if len(recs) == 1 {
		l.sum.Skipped = append(l.sum.Skipped, Skip{Line: recs[0].Line, Reason: reason(err)})
		return nil
	}
	half := len(recs) / 2
	if err := l.apply(ctx, recs[:half]); err != nil {
		return err
	}
	return l.apply(ctx, recs[half:])
}

// reason is what a report says about a rejected record: the store's
// message, which names the field at fault.
func reason(err error) string {
	if e, ok := err.(*graph.Error); ok {
		return e.Message
	}
	return fmt.Sprint(err)
}

// Combine joins the batches of records into one, combining repeated
// objects (the same actor named by a thousand rows) with the graph's
// upsert rules, so a chunk sends each object once. Order is kept: the
// first occurrence decides an object's place.
func Combine(recs []Record) *graph.Batch {
	out := &graph.Batch{}
	docs, ents, rels := map[string]int{}, map[string]int{}, map[string]int{}
	for i := range recs {
		b := &recs[i].Batch
		out.Documents = combine(out.Documents, docs, b.Documents, func(d graph.Document) string { return d.ID }, graph.UpsertDocument)
		out.Entities = combine(out.Entities, ents, b.Entities, func(e graph.Entity) string { return e.ID }, graph.UpsertEntity)
		out.Relations = combine(out.Relations, rels, b.Relations, func(r graph.Relation) string { return r.ID }, graph.UpsertRelation)
	}
	return out
}

// combine appends items to out, upserting those whose id is already there
// (at index[id]).
func combine[T any](out []T, index map[string]int, items []T, id func(T) string, upsert func(old, in T) T) []T {
	for _, v := range items {
		if j, ok := index[id(v)]; ok {
			out[j] = upsert(out[j], v)
			continue
		}
		index[id(v)] = len(out)
		out = append(out, v)
	}
	return out
}
