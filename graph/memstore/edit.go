package memstore

import (
	"context"
	"sort"

	"github.com/polgraph/polgraph/graph"
)

// Edit implements graph.Store: the edit is planned by graph.PlanEdit and
// committed as Apply commits a batch, with its audit record in the same
// bbolt transaction.
func (s *Store) Edit(ctx context.Context, e graph.Edit) (graph.AuditRecord, error) {
	if err := ctxErr(ctx); err != nil {
		return graph.AuditRecord{}, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.isClosed() {
		return graph.AuditRecord{}, errClosed
	}
	at := s.now().UTC()
	ep, err := graph.PlanEdit(ctx, source{s.st}, e, at, true)
	if err != nil {
		return graph.AuditRecord{}, err
	}
	steps, changes, rec, ok := ep.Diff(at)
	if ok {
		if err := ctxErr(ctx); err != nil {
			return graph.AuditRecord{}, err
		}
		bk := bookkeeping{merge: ep.Merge, unmerge: ep.Unmerge, audit: &rec}
		if ep.Deleted != "" {
			bk.forget = s.st.mergedInto(ep.Deleted)
		}
		err = s.commit(ep.Plan, steps, changes, bk)
		if err != nil {
			return graph.AuditRecord{}, err
		}
	}
	// A copy: the record's entities share lists with the store's memory.
	out, _, err := graph.Canonical(rec)
	return out, err
}

// Audit implements graph.Store.
func (s *Store) Audit(ctx context.Context, q graph.AuditQuery) (graph.AuditPage, error) {
	if err := q.Check(); err != nil {
		return graph.AuditPage{}, err
	}
	page := graph.AuditPage{Items: []graph.AuditRecord{}, Next: q.Since}
	err := s.read(ctx, func(st *state) error {
		i := sort.Search(len(st.audit), func(i int) bool { return st.audit[i].Seq > q.Since })
		for ; i < len(st.audit) && len(page.Items) < q.Limit; i++ {
			if q.Matches(&st.audit[i]) {
				page.Items = append(page.Items, st.audit[i])
			}
		}
		return nil
	})
	if err != nil {
		return graph.AuditPage{}, err
	}
	if n := len(page.Items); n > 0 {
		page.Next = page.Items[n-1].Seq
	}
	// Copies, as for Edit.
	out, _, err := graph.Canonical(page)
	return out, err
}

// mergedInto returns the ids whose redirects lead, in one step or more, to
// the entity with the id.
func (st *state) mergedInto(id string) []string {
	var out []string
	for from := range st.redirect {
		if st.resolve(from) == id {
			out = append(out, from)
		}
	}
	sort.Strings(out)
	return out
}
