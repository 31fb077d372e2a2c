package ndjson

import (
	"bufio"
	"context"
	"encoding/json"
	"io"

	"github.com/polgraph/polgraph/graph"
)

// Write exports everything st holds to w: the header, then every object
// in the order st.Scan gives them. The same graph gives the same bytes on
// either backend. On an error (the store's or w's) the output is cut
// short, and Counts says how much of it was written.
func Write(ctx context.Context, st graph.Store, w io.Writer) (Counts, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := newEncoder(bw)
	var n Counts
	if err := enc.Encode(header); err != nil {
		return n, err
	}
	err := st.Scan(ctx, func(o graph.Object) error {
		l, count := lineOf(o, &n)
		if count == nil {
			return graph.Errorf(graph.Internal, "ndjson: the store scanned an object with nothing in it")
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
		*count++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// newEncoder writes one object a line as the format wants it: no HTML
// escaping, so that Arabic names and "<>&" in texts stay readable (the
// encoder escapes nothing but what JSON requires, and U+2028/U+2029), and
// the "\n" Encode ends each value with.
func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// lineOf returns the line for o and the counter it adds to; nil when o
// holds nothing, which breaks Scan's contract.
func lineOf(o graph.Object, n *Counts) (line, *int) {
	switch {
	case o.Document != nil:
		return line{Kind: kindDocument, Document: o.Document}, &n.Documents
	case o.Relation != nil:
		r := *o.Relation
		r.Other = nil // a query's view of the far end, not part of the relation
		return line{Kind: kindRelation, Relation: &r}, &n.Relations
	case o.Entity == nil:
		return line{}, nil
	case o.Entity.Kind == graph.KindEvent:
		return line{Kind: kindEvent, Event: o.Entity}, &n.Events
	default:
		return line{Kind: kindEntity, Entity: o.Entity}, &n.Entities
	}
}
