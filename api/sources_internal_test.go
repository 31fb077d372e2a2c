package api

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/graph/storetest"
)

// countingStore counts Document calls.
type countingStore struct {
	graph.Store
	calls atomic.Int64
}

func (s *countingStore) Document(ctx context.Context, id string) (graph.Document, error) {
	s.calls.Add(1)
	return s.Store.Document(ctx, id)
}

// TestPrefetchSources: prefetch reads each document once, as get would
// describe it, keeps missing documents as nil, and stops at
// maxSourceReads; get then reads nothing more.
func TestPrefetchSources(t *testing.T) {
	mem := memstore.OpenMemory()
	if _, err := mem.Apply(context.Background(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	missing := graph.DocumentID("https://news.example/never-stored")
	ids := []string{storetest.DocAgreement, storetest.DocStatement, missing, storetest.DocAgreement}

	want := newSourceCache(mem)
	for _, id := range ids {
		if _, err := want.get(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	st := &countingStore{Store: mem}
	got := newSourceCache(st)
	if err := got.prefetch(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	if st.calls.Load() != 3 || got.reads != 3 {
		t.Errorf("prefetch made %d reads (counted %d), want 3", st.calls.Load(), got.reads)
	}
	if !reflect.DeepEqual(got.docs, want.docs) || got.docs[missing] != nil || got.docs[storetest.DocAgreement] == nil {
		t.Errorf("prefetched %+v, want %+v", got.docs, want.docs)
	}
	for _, id := range ids {
		if _, err := got.get(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if st.calls.Load() != 3 {
		t.Errorf("get read again after prefetch: %d reads", st.calls.Load())
	}

	capped := newSourceCache(st)
	capped.reads = maxSourceReads - 2
	if err := capped.prefetch(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	if capped.reads != maxSourceReads || len(capped.docs) != 2 || capped.docs[storetest.DocStatement] == nil {
		t.Errorf("prefetch near the cap: %d reads, %d documents; want %d reads, the first two documents",
			capped.reads, len(capped.docs), maxSourceReads)
	}
}
