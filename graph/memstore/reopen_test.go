package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
)

var bg = context.Background()

func mustOpen(t *testing.T, dir string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(dir, opts...)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustApply(t *testing.T, s *Store, b *graph.Batch) graph.ApplyResult {
	t.Helper()
	res, err := s.Apply(bg, b)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return res
}

func changesOf(t *testing.T, s *Store) []graph.Change {
	t.Helper()
	page, err := s.Changes(bg, 0, graph.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// TestReopen writes, merges and updates, closes, opens again, and expects
// the very same memory: every map, list and index, the change feed and the
// merges. Then it re-applies everything and expects no change, which holds
// only if what memory compares is what the file gives back.
func TestReopen(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2025, 10, 22, 9, 0, 0, 0, time.UTC)
	s := mustOpen(t, dir, WithClock(func() time.Time { clock = clock.Add(time.Second); return clock }))
	mustApply(t, s, storetest.Fixture())
	mustApply(t, s, storetest.DuplicateBatch())
	rec, err := s.Merge(bg, storetest.KhaledHaftar, storetest.Duplicate)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, &graph.Batch{Entities: []graph.Entity{
		{ID: storetest.Duplicate, Kind: graph.KindPerson, Name: "Khaled Belqasim Haftar"},
		{ID: storetest.Sirte, Kind: graph.KindPlace, Name: "Sirte", Aliases: []string{"Surt"}, Topics: []string{},
			MergedFrom: []string{}}, // empty, not nil: JSON would not keep the difference
	}})
	before := s.st
	feed := changesOf(t, s)
	stats, _ := s.Stats(bg)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Entity(bg, storetest.Sirte); !graph.Is(err, graph.Unavailable) {
		t.Errorf("Entity after Close: %v, want unavailable", err)
	}

	s2 := mustOpen(t, dir)
	if !reflect.DeepEqual(s2.st, before) {
		for name, pair := range map[string][2]any{
			"entities": {s2.st.entities, before.entities}, "documents": {s2.st.documents, before.documents},
			"relations": {s2.st.relations, before.relations}, "adj": {s2.st.adj, before.adj},
			"index": {s2.st.index, before.index}, "keys": {s2.st.keys, before.keys},
			"redirect": {s2.st.redirect, before.redirect}, "merges": {s2.st.merges, before.merges},
			"kinds": {s2.st.kinds, before.kinds}, "types": {s2.st.types, before.types},
			"evidence": {s2.st.evidence, before.evidence}, "seq": {s2.st.seq, before.seq},
			"audit": {s2.st.audit, before.audit}, "auditSeq": {s2.st.auditSeq, before.auditSeq},
		} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Errorf("after reopening, %s differ", name)
			}
		}
		t.FailNow()
	}
	if got := changesOf(t, s2); !reflect.DeepEqual(got, feed) {
		t.Errorf("change feed differs after reopening: %d vs %d entries", len(got), len(feed))
	}
	if got, _ := s2.Stats(bg); !reflect.DeepEqual(got, stats) {
		t.Errorf("Stats after reopening = %+v, want %+v", got, stats)
	}
	if got := s2.st.merges[storetest.Duplicate]; got == nil || !reflect.DeepEqual(*got, rec) {
		t.Errorf("merge record after reopening = %+v, want %+v", got, rec)
	}
	if e, err := s2.Entity(bg, storetest.Duplicate); err != nil || e.ID != storetest.KhaledHaftar {
		t.Errorf("Entity(dropped id) after reopening = %v, %v", e.ID, err)
	}

	for _, b := range []*graph.Batch{storetest.Fixture(), storetest.DuplicateBatch()} {
		if res := mustApply(t, s2, b); res.Created+res.Updated+res.Evidence != 0 {
			t.Errorf("re-applying after reopening changed something: %+v", res)
		}
	}
	if n := len(changesOf(t, s2)); n != len(feed) {
		t.Errorf("re-applying after reopening recorded %d changes", n-len(feed))
	}
	// And the reopened store goes on writing where the first left off.
	mustApply(t, s2, &graph.Batch{Entities: []graph.Entity{{ID: storetest.Sirte, Kind: graph.KindPlace, Name: "Sirte",
		Aliases: []string{"Syrte"}}}})
	if got := changesOf(t, s2); len(got) != len(feed)+1 || got[len(got)-1].Seq != feed[len(feed)-1].Seq+1 {
		t.Errorf("sequence after reopening does not continue: %+v", got[len(got)-1])
	}
}

// TestReopenEdits: the audit log and the merge records that undoing needs
// survive reopening, and an unmerge after reopening deletes its record for
// good.
func TestReopenEdits(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	mustApply(t, s, storetest.Fixture())
	mustApply(t, s, storetest.DuplicateBatch())
	sirte, _ := s.Entity(bg, storetest.Sirte)
	sirte.Aliases = []string{"Surt"}
	for _, e := range []graph.Edit{
		{Op: graph.EditUpdate, ID: storetest.Sirte, Entity: sirte, Actor: "a", Reason: "Italian name"},
		{Op: graph.EditMerge, ID: storetest.Duplicate, Into: storetest.KhaledHaftar, Actor: "b"},
	} {
		if _, err := s.Edit(bg, e); err != nil {
			t.Fatal(err)
		}
	}
	before := s.st
	audit, _ := s.Audit(bg, graph.AuditQuery{})
	s.Close()

	s2 := mustOpen(t, dir)
	if !reflect.DeepEqual(s2.st, before) {
		t.Fatalf("state differs after reopening: audit %v, merges %v", reflect.DeepEqual(s2.st.audit, before.audit),
			reflect.DeepEqual(s2.st.merges, before.merges))
	}
	if got, _ := s2.Audit(bg, graph.AuditQuery{}); !reflect.DeepEqual(got, audit) || len(got.Items) != 2 {
		t.Errorf("audit log after reopening = %+v, want %+v", got, audit)
	}
	rec, err := s2.Edit(bg, graph.Edit{Op: graph.EditUnmerge, ID: storetest.Duplicate})
	if err != nil || rec.Seq != 3 {
		t.Fatalf("unmerge after reopening: %+v, %v; want audit record 3", rec, err)
	}
	s2.Close()

	s3 := mustOpen(t, dir)
	if e, err := s3.Entity(bg, storetest.Duplicate); err != nil || e.ID != storetest.Duplicate {
		t.Errorf("Entity(restored) after reopening = %v, %v", e.ID, err)
	}
	if len(s3.st.merges) != 0 || len(s3.st.redirect) != 0 {
		t.Errorf("the undone merge is back after reopening: %v", s3.st.merges)
	}
	if _, err := s3.Edit(bg, graph.Edit{Op: graph.EditUnmerge, ID: storetest.Duplicate}); !graph.Is(err, graph.Conflict) {
		t.Errorf("second unmerge after reopening: %v, want conflict", err)
	}
	if p, _ := s3.Audit(bg, graph.AuditQuery{Since: 2}); len(p.Items) != 1 || p.Items[0].Op != graph.EditUnmerge {
		t.Errorf("audit log after reopening = %+v, want the unmerge last", p.Items)
	}
}

// TestUnmergeOldRecord: a merge recorded before records held what undoing
// needs (as files written by earlier versions hold them) is a Conflict to
// undo, and changes nothing.
func TestUnmergeOldRecord(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	mustApply(t, s, storetest.Fixture())
	mustApply(t, s, storetest.DuplicateBatch())
	rec, err := s.Merge(bg, storetest.KhaledHaftar, storetest.Duplicate)
	if err != nil {
		t.Fatal(err)
	}
	old := struct {
		Keep, Drop string
		Dropped    graph.Entity
		Relations  []string
		At         time.Time
	}{rec.Keep, rec.Drop, rec.Dropped, rec.Relations, rec.At}
	b, _ := json.Marshal(old)
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMerges).Put([]byte(rec.Drop), b) }); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2 := mustOpen(t, dir)
	stats, _ := s2.Stats(bg)
	_, err = s2.Edit(bg, graph.Edit{Op: graph.EditUnmerge, ID: storetest.Duplicate})
	if !graph.Is(err, graph.Conflict) || !strings.Contains(err.Error(), "before polgraph recorded") {
		t.Fatalf("unmerge of an old merge record: %v, want conflict", err)
	}
	after, _ := s2.Stats(bg)
	if e, _ := s2.Entity(bg, storetest.Duplicate); e.ID != storetest.KhaledHaftar || len(s2.st.merges) != 1 ||
		len(s2.st.audit) != 0 || !reflect.DeepEqual(after, stats) {
		t.Errorf("a refused unmerge changed the store")
	}
}

// TestOpenLocked: a second Open of the same directory waits for the lock,
// then gives up with Unavailable.
func TestOpenLocked(t *testing.T) {
	dir := t.TempDir()
	mustOpen(t, dir)
	_, err := Open(dir, WithLockTimeout(100*time.Millisecond))
	if !graph.Is(err, graph.Unavailable) {
		t.Fatalf("second Open: %v, want unavailable", err)
	}
}

// TestWriteFailureLeavesMemory makes the file refuse the write: Apply fails
// and memory is as it was, since memory changes only after a commit.
func TestWriteFailureLeavesMemory(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustApply(t, s, storetest.Fixture())
	before, _ := s.Stats(bg)
	entity := s.st.entities[storetest.KhaledHaftar]
	s.db.Close() // the file goes away under the store
	b := storetest.DuplicateBatch()
	if _, err := s.Apply(bg, b); !graph.Is(err, graph.Unavailable) {
		t.Fatalf("Apply with the file gone: %v, want unavailable", err)
	}
	if _, err := s.Merge(bg, storetest.KhaledHaftar, storetest.KhalifaHaftar); !graph.Is(err, graph.Unavailable) {
		t.Fatalf("Merge with the file gone: %v, want unavailable", err)
	}
	if _, err := s.Edit(bg, graph.Edit{Op: graph.EditDelete, ID: storetest.KhaledHaftar}); !graph.Is(err, graph.Unavailable) {
		t.Fatalf("Edit with the file gone: %v, want unavailable", err)
	}
	if len(s.st.audit) != 0 || s.st.auditSeq != 0 {
		t.Errorf("a failed edit is in the audit log: %+v", s.st.audit)
	}
	after, _ := s.Stats(bg)
	if !reflect.DeepEqual(before, after) || s.st.entities[storetest.KhaledHaftar] != entity {
		t.Errorf("memory changed by a failed write: %+v → %+v", before, after)
	}
	if _, err := s.Entity(bg, storetest.Duplicate); !graph.Is(err, graph.NotFound) {
		t.Errorf("entity of a failed batch is visible: %v", err)
	}
}

// TestNoWriteWhenUnchanged: applying what is stored does not touch the file.
func TestNoWriteWhenUnchanged(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustApply(t, s, storetest.Fixture())
	stats := s.db.Stats()
	writes := stats.TxStats.GetWrite()
	mustApply(t, s, storetest.Fixture())
	stats = s.db.Stats()
	if got := stats.TxStats.GetWrite(); got != writes {
		t.Errorf("re-applying wrote %d pages", got-writes)
	}
}

// TestReadsReturnCopies: changing what a read returned does not change the store.
func TestReadsReturnCopies(t *testing.T) {
	s := mustOpen(t, "")
	mustApply(t, s, storetest.Fixture())
	e, _ := s.Entity(bg, storetest.KhaledHaftar)
	e.Aliases[0] = "changed"
	sirte, _ := s.Entity(bg, storetest.Sirte)
	*sirte.Lat = 1
	r, _ := s.Relation(bg, graph.RelationID(graph.ParticipatedIn, storetest.KhaledHaftar, storetest.SirteAgreement, "party"))
	r.Evidence[0].Text = "changed"
	page, _ := s.Relations(bg, graph.RelationQuery{Entity: storetest.KhaledHaftar})
	page.Items[0].Other.Aliases = append(page.Items[0].Other.Aliases[:0], "changed")
	e2, _ := s.Entity(bg, storetest.KhaledHaftar)
	r2, _ := s.Relation(bg, r.ID)
	sirte2, _ := s.Entity(bg, storetest.Sirte)
	if e2.Aliases[0] == "changed" || r2.Evidence[0].Text == "changed" || *sirte2.Lat == 1 {
		t.Errorf("a caller changed the store through a returned value")
	}
	for _, e := range s.st.entities {
		for _, a := range e.Aliases {
			if a == "changed" {
				t.Errorf("%s's aliases changed through a returned Other", e.Name)
			}
		}
	}
}

// TestConcurrentReadsDuringWrites reads while a writer applies and merges;
// run with -race it checks the locking. Every read must see a whole batch:
// the allied relation's evidence never differs from the persons counted.
func TestConcurrentReadsDuringWrites(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustApply(t, s, storetest.Fixture())
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := s.Search(bg, graph.SearchQuery{Text: "Person"}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Network(bg, graph.NetworkQuery{Entity: crashAnchor.ID, Depth: 2}); err != nil && !graph.Is(err, graph.NotFound) {
					errs <- err
					return
				}
				if _, err := s.Paths(bg, graph.PathQuery{From: storetest.KhaledHaftar, To: storetest.Misrata}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Events(bg, graph.EventQuery{}); err != nil {
					errs <- err
					return
				}
				s.mu.RLock()
				persons := 0
				for _, e := range s.st.entities {
					if strings.HasPrefix(e.Name, "Person ") {
						persons++
					}
				}
				allied := 0
				if r := s.st.relations[crashAllied]; r != nil {
					allied = r.EvidenceCount
				}
				s.mu.RUnlock()
				if persons != allied {
					errs <- fmt.Errorf("a reader saw %d persons but %d allied evidence", persons, allied)
					return
				}
			}
		}()
	}
	for i := range 30 {
		mustApply(t, s, crashBatch(i))
	}
	if _, err := s.Merge(bg, storetest.KhaledHaftar, storetest.KhalifaHaftar); err != nil {
		t.Fatal(err)
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpenOtherFormat refuses a file written in another format version.
func TestOpenOtherFormat(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte("format"), []byte("0")) })
	s.Close()
	if _, err := Open(dir); !graph.Is(err, graph.Internal) {
		t.Fatalf("Open of a format-0 file: %v, want internal", err)
	}
}
