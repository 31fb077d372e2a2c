package ndjson

import (
	"context"
	"errors"
	"io"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
)

// Read imports a file into st through graph/loader (opts configure it):
// every object is one record, applied in chunks with the store's upsert
// rules, so importing into a store that already holds the objects changes
// nothing. A line that cannot be read and an object the store rejects (a
// relation to an entity that exists nowhere, a date that is no date) are
// skipped and listed in the Summary with their line and the reason; the
// rest is imported.
//
// The error is for what stops the import: the store failing (unavailable,
// ctx done), the reader failing, or a header of another format or version
// (a *FormatError). Chunks applied before it stay applied; what was read
// before a fatal line of the file is applied too, so that the result does
// not depend on the chunk size.
func Read(ctx context.Context, st graph.Store, r io.Reader, opts ...loader.Option) (loader.Summary, error) {
	l := loader.New(st, opts...)
	dec := NewDecoder(r)
	for {
		if err := graph.ContextError(ctx); err != nil {
			return l.Summary(), err
		}
		it, err := dec.Next()
		if err == io.EOF {
			break
		}
		var bad *LineError
		if errors.As(err, &bad) {
			l.Skip(bad.Line, bad.Err.Error())
			continue
		}
		if err != nil {
			if ferr := l.Flush(ctx); ferr != nil {
				return l.Summary(), ferr
			}
			return l.Summary(), err
		}
		rec := loader.Record{Line: it.Line}
		switch {
		case it.Document != nil:
			// Only the document: the store makes its node.
			rec.Batch.Documents = []graph.Document{*it.Document}
		case it.Entity != nil:
			rec.Batch.Entities = []graph.Entity{*it.Entity}
		default:
			rec.Batch.Relations = []graph.Relation{*it.Relation}
		}
		if err := l.Add(ctx, rec); err != nil {
			return l.Summary(), err
		}
	}
	err := l.Flush(ctx)
	return l.Summary(), err
}
