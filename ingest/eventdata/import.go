package eventdata

import (
	"context"
	"errors"
	"io"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/ingest/acled"
	"github.com/polgraph/polgraph/ingest/gdelt"
	"github.com/polgraph/polgraph/ingest/records"
)

// ImportACLED reads an ACLED CSV export from r and loads it into st. Rows
// that cannot be read or mapped are skipped and listed in the summary by
// line; the error is for what stops the whole import (not an ACLED file,
// the store failing, ctx done), after which what was applied stays.
func (m *Mapper) ImportACLED(ctx context.Context, st graph.Store, r io.Reader, opts ...loader.Option) (loader.Summary, error) {
	rd, err := acled.NewReader(r)
	if err != nil {
		return loader.Summary{Skipped: []loader.Skip{}}, err
	}
	return load(ctx, loader.New(st, opts...), rd.Next, m.ACLED, func(r acled.Row) int { return r.Line })
}

// ImportGDELT reads a GDELT event export (2.0, or 1.0 in either layout)
// from r and loads it into st, as ImportACLED.
func (m *Mapper) ImportGDELT(ctx context.Context, st graph.Store, r io.Reader, opts ...loader.Option) (loader.Summary, error) {
	return load(ctx, loader.New(st, opts...), gdelt.NewReader(r).Next, m.GDELT, func(r gdelt.Row) int { return r.Line })
}

func load[R any](ctx context.Context, l *loader.Loader, next func() (R, error), mapRow func(R) (loader.Record, error), line func(R) int) (loader.Summary, error) {
	for {
		if err := ctx.Err(); err != nil {
			return l.Summary(), graph.ContextError(ctx)
		}
		row, err := next()
		var bad *records.Error
		switch {
		case err == io.EOF:
			err := l.Flush(ctx)
			return l.Summary(), err
		case errors.As(err, &bad):
			reason := bad.Err.Error()
			if bad.Column != "" {
				reason = bad.Column + ": " + reason
			}
			l.Skip(bad.Line, reason)
			continue
		case err != nil:
			if ferr := l.Flush(ctx); ferr != nil {
				return l.Summary(), ferr
			}
			return l.Summary(), err
		}
		rec, err := mapRow(row)
		if err != nil {
			l.Skip(line(row), err.Error())
			continue
		}
		if err := l.Add(ctx, rec); err != nil {
			return l.Summary(), err
		}
	}
}
