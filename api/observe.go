package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/polgraph/polgraph/graph"
)

// observedStore is the graph.Store the Server uses: the configured one,
// with the time and outcome of every call measured. It embeds the store,
// so a method added to graph.Store is served (unmeasured) until it is
// added here. Optional interfaces the API discovers by type assertion
// must be passed on here too: Ready is, for /readyz; Unwrap gives the
// store underneath for any other.
type observedStore struct {
	graph.Store
	calls *prometheus.HistogramVec
}

var _ graph.Store = (*observedStore)(nil)

func observeStore(st graph.Store, calls *prometheus.HistogramVec) graph.Store {
	if st == nil {
		return nil
	}
	return &observedStore{Store: st, calls: calls}
}

// Unwrap returns the store underneath.
func (o *observedStore) Unwrap() graph.Store { return o.Store }

func (o *observedStore) done(method string, start time.Time, err error) {
	code := "ok"
	if err != nil {
		code = string(graph.ErrorCode(err))
	}
	o.calls.WithLabelValues(method, code).Observe(time.Since(start).Seconds())
}

// Ready passes readiness on: a store that does not depend on a server is
// ready whenever it is open.
func (o *observedStore) Ready(ctx context.Context) (err error) {
	r, isReadier := o.Store.(readier)
	if !isReadier {
		return nil
	}
	defer func(start time.Time) { o.done("Ready", start, err) }(time.Now())
	return r.Ready(ctx)
}

func (o *observedStore) Apply(ctx context.Context, b *graph.Batch) (res graph.ApplyResult, err error) {
	defer func(start time.Time) { o.done("Apply", start, err) }(time.Now())
	return o.Store.Apply(ctx, b)
}

func (o *observedStore) Entity(ctx context.Context, id string) (e graph.Entity, err error) {
	defer func(start time.Time) { o.done("Entity", start, err) }(time.Now())
	return o.Store.Entity(ctx, id)
}

func (o *observedStore) Search(ctx context.Context, q graph.SearchQuery) (hits []graph.SearchHit, err error) {
	defer func(start time.Time) { o.done("Search", start, err) }(time.Now())
	return o.Store.Search(ctx, q)
}

func (o *observedStore) Relations(ctx context.Context, q graph.RelationQuery) (p graph.RelationPage, err error) {
	defer func(start time.Time) { o.done("Relations", start, err) }(time.Now())
	return o.Store.Relations(ctx, q)
}

func (o *observedStore) Relation(ctx context.Context, id string) (r graph.Relation, err error) {
	defer func(start time.Time) { o.done("Relation", start, err) }(time.Now())
	return o.Store.Relation(ctx, id)
}

func (o *observedStore) Paths(ctx context.Context, q graph.PathQuery) (p []graph.Path, err error) {
	defer func(start time.Time) { o.done("Paths", start, err) }(time.Now())
	return o.Store.Paths(ctx, q)
}

func (o *observedStore) Network(ctx context.Context, q graph.NetworkQuery) (n graph.Network, err error) {
	defer func(start time.Time) { o.done("Network", start, err) }(time.Now())
	return o.Store.Network(ctx, q)
}

func (o *observedStore) Events(ctx context.Context, q graph.EventQuery) (p graph.EventPage, err error) {
	defer func(start time.Time) { o.done("Events", start, err) }(time.Now())
	return o.Store.Events(ctx, q)
}

func (o *observedStore) Document(ctx context.Context, id string) (d graph.Document, err error) {
	defer func(start time.Time) { o.done("Document", start, err) }(time.Now())
	return o.Store.Document(ctx, id)
}

func (o *observedStore) Merge(ctx context.Context, keep, drop string) (r graph.MergeRecord, err error) {
	defer func(start time.Time) { o.done("Merge", start, err) }(time.Now())
	return o.Store.Merge(ctx, keep, drop)
}

// Scan's time includes fn's: the caller's work on each object.
func (o *observedStore) Scan(ctx context.Context, fn func(graph.Object) error) (err error) {
	defer func(start time.Time) { o.done("Scan", start, err) }(time.Now())
	return o.Store.Scan(ctx, fn)
}

func (o *observedStore) Edit(ctx context.Context, e graph.Edit) (r graph.AuditRecord, err error) {
	defer func(start time.Time) { o.done("Edit", start, err) }(time.Now())
	return o.Store.Edit(ctx, e)
}

func (o *observedStore) Audit(ctx context.Context, q graph.AuditQuery) (p graph.AuditPage, err error) {
	defer func(start time.Time) { o.done("Audit", start, err) }(time.Now())
	return o.Store.Audit(ctx, q)
}

func (o *observedStore) Stats(ctx context.Context) (st graph.Stats, err error) {
	defer func(start time.Time) { o.done("Stats", start, err) }(time.Now())
	return o.Store.Stats(ctx)
}

func (o *observedStore) Changes(ctx context.Context, since uint64, limit int) (p graph.ChangePage, err error) {
	defer func(start time.Time) { o.done("Changes", start, err) }(time.Now())
	return o.Store.Changes(ctx, since, limit)
}
