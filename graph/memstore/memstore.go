// Package memstore is the embedded graph.Store, the default backend: it
// needs nothing installed. The whole graph lives in memory (maps by id,
// adjacency lists per entity, a search index from name keys to entities) and
// durably in one bbolt file, dir/polgraph.db, written in one fsynced
// transaction per Apply or Merge before memory changes, so an acknowledged
// write survives kill -9. Open reads the file back and rebuilds the indexes.
//
// It holds storage and traversal only. The rules (validation, how upserts
// and merges combine values, scoring) come from package graph, and its
// behaviour is pinned down by graph/storetest, which it runs.
package memstore

import (
	"context"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/polgraph/polgraph/graph"
)

// FileName is the name of the bbolt file inside the data directory.
const FileName = "polgraph.db"

// Store is the embedded store. Writers (Apply, Merge, Edit) are serialised by a
// write mutex and touch memory only after their bbolt transaction commits;
// readers take a read lock and never wait on the disk.
type Store struct {
	db          *bolt.DB // nil for a store that lives in memory only
	now         func() time.Time
	lockTimeout time.Duration

	writeMu sync.Mutex   // one writer at a time; held from validation to swap
	mu      sync.RWMutex // guards st and closed: readers RLock, the writer Locks only to swap
	closed  bool
	st      *state
}

var _ graph.Store = (*Store)(nil)

// Option configures Open.
type Option func(*Store)

// WithClock sets the clock that stamps changes and merge records; tests use
// it for reproducible times.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithLockTimeout sets how long Open waits for another process to release
// the data file (default 5s); it then fails with graph.Unavailable.
func WithLockTimeout(d time.Duration) Option { return func(s *Store) { s.lockTimeout = d } }

// Open opens (creating if need be) the store in dir, loading the graph into
// memory. With dir "" the store lives in memory only and forgets everything
// on Close: handy for tests and throwaway work.
func Open(dir string, opts ...Option) (*Store, error) {
	s := &Store{now: time.Now, lockTimeout: 5 * time.Second, st: newState()}
	for _, o := range opts {
		o(s)
	}
	if dir == "" {
		return s, nil
	}
	db, err := openDB(dir, s.lockTimeout)
	if err != nil {
		return nil, err
	}
	s.db = db
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenMemory returns a store that lives in memory only, as Open("").
func OpenMemory(opts ...Option) *Store {
	s, _ := Open("", opts...)
	return s
}

// Close releases the data file. Calls after the first return nil, and every
// other method then fails with graph.Unavailable.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.db != nil {
		if err := s.db.Close(); err != nil {
			return &graph.Error{Code: graph.Internal, Message: "closing the store failed", Err: err}
		}
	}
	return nil
}

var errClosed = graph.Errorf(graph.Unavailable, "the store is closed")

// read runs f under the read lock, after checking the context and that the
// store is open.
func (s *Store) read(ctx context.Context, f func(st *state) error) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return f(s.st)
}

// ctxErr turns a done context into a graph error that still wraps
// context.Canceled or context.DeadlineExceeded.
func ctxErr(ctx context.Context) error { return graph.ContextError(ctx) }

func checkID(id, param string) error {
	if !graph.ValidID(id) {
		return &graph.Error{Code: graph.Invalid, Message: param + " must be an id (a UUID)", Param: param}
	}
	return nil
}

func notFound(what, id string) error {
	return graph.Errorf(graph.NotFound, "no %s has id %s", what, id)
}

// state is the in-memory graph. The writer builds a plan against it and,
// once the plan is on disk, applies the plan under the write lock.
type state struct {
	entities  map[string]*graph.Entity // documents' entities too
	documents map[string]*graph.Document
	relations map[string]*graph.Relation
	adj       map[string][]edge             // entity id → its relations, sorted by relation id
	index     map[string]idSet              // search key → entity ids
	keys      map[string][]string           // entity id → its search keys
	redirect  map[string]string             // merged-away id → the entity it went into
	merges    map[string]*graph.MergeRecord // by dropped id; an unmerge deletes the record
	audit     []graph.AuditRecord           // the audit log, by Seq: analysts' edits are few
	auditSeq  uint64                        // the last audit record's Seq
	kinds     map[graph.Kind]int
	types     map[graph.RelType]int
	events    []string // eventKey of every event, sorted: the timeline
	evidence  int
	seq       uint64
	changes   []graph.Change // the change feed of a memory-only store
	loading   bool           // Open is filling st: append to lists, sort once at the end
}

func newState() *state {
	return &state{
		entities:  map[string]*graph.Entity{},
		documents: map[string]*graph.Document{},
		relations: map[string]*graph.Relation{},
		adj:       map[string][]edge{},
		index:     map[string]idSet{},
		keys:      map[string][]string{},
		redirect:  map[string]string{},
		merges:    map[string]*graph.MergeRecord{},
		kinds:     map[graph.Kind]int{},
		types:     map[graph.RelType]int{},
	}
}

// resolve follows merges from id to the entity it now is.
func (st *state) resolve(id string) string {
	for range 64 { // merges form chains, never cycles; the bound is a guard
		next, ok := st.redirect[id]
		if !ok {
			break
		}
		id = next
	}
	return id
}

// entity returns the live entity an id names, following merges.
func (st *state) entity(id string) (*graph.Entity, bool) {
	e, ok := st.entities[st.resolve(id)]
	return e, ok
}

// knownKind is the known func of graph.Batch.Validate.
func (st *state) knownKind(id string) (graph.Kind, bool) {
	if e, ok := st.entity(id); ok {
		return e.Kind, true
	}
	return "", false
}

func (st *state) putEntity(e *graph.Entity) {
	old, existed := st.entities[e.ID]
	if !existed {
		st.kinds[e.Kind]++
	}
	st.entities[e.ID] = e
	if e.Kind == graph.KindEvent && (!existed || old.Date != e.Date) {
		if existed {
			st.events = deleteSorted(st.events, eventKey(old))
		}
		st.events = st.insert(st.events, eventKey(e))
	}
	if existed && slices.Equal(old.Names(), e.Names()) {
		return
	}
	st.unindex(e.ID)
	keys := graph.EntityIndexKeys(e)
	st.keys[e.ID] = keys
	for _, k := range keys {
		if set := st.index[k]; set.add(e.ID) {
			st.index[k] = set
		}
	}
}

func (st *state) deleteEntity(id string) {
	e, ok := st.entities[id]
	if !ok {
		return
	}
	st.unindex(id)
	if e.Kind == graph.KindEvent {
		st.events = deleteSorted(st.events, eventKey(e))
	}
	delete(st.entities, id)
	delete(st.adj, id)
	if st.kinds[e.Kind]--; st.kinds[e.Kind] <= 0 {
		delete(st.kinds, e.Kind)
	}
}

func (st *state) unindex(id string) {
	for _, k := range st.keys[id] {
		if set, ok := st.index[k]; ok {
			if set.remove(id); set.len() == 0 {
				delete(st.index, k)
			} else {
				st.index[k] = set
			}
		}
	}
	delete(st.keys, id)
}

// idSet is the set of entities a search key names. Most keys name one
// entity or a few (a rare surname, a number): a sorted slice holds those in
// a few bytes where a map took a couple of hundred, which was a sixth of
// the memory of a large graph. A common key (a given name) gets a map, so
// that adding and removing stay cheap. Which form a set has depends only
// on its size, so two states holding the same sets are equal.
type idSet struct {
	few  []string            // sorted, while the set has at most idSetFew ids
	many map[string]struct{} // once it has more
}

const idSetFew = 8

func (s *idSet) len() int {
	if s.many != nil {
		return len(s.many)
	}
	return len(s.few)
}

// add adds id, and reports whether s itself changed: a set in a map must
// then be stored again. A large set changes only its map.
func (s *idSet) add(id string) bool {
	if s.many != nil {
		s.many[id] = struct{}{}
		return false
	}
	i, found := slices.BinarySearch(s.few, id)
	if found {
		return false
	}
	if len(s.few) < idSetFew {
		s.few = slices.Insert(s.few, i, id)
		return true
	}
	s.many = make(map[string]struct{}, 2*idSetFew)
	for _, v := range s.few {
		s.many[v] = struct{}{}
	}
	s.many[id] = struct{}{}
	s.few = nil
	return true
}

func (s *idSet) remove(id string) {
	if s.many == nil {
		if i, found := slices.BinarySearch(s.few, id); found {
			s.few = slices.Delete(s.few, i, i+1)
		}
		return
	}
	delete(s.many, id)
	if len(s.many) <= idSetFew {
		s.few = make([]string, 0, idSetFew)
		for v := range s.many {
			s.few = append(s.few, v)
		}
		slices.Sort(s.few)
		s.many = nil
	}
}

// all yields the ids of the set.
func (s idSet) all() iter.Seq[string] {
	return func(yield func(string) bool) {
		if s.many != nil {
			for id := range s.many {
				if !yield(id) {
					return
				}
			}
			return
		}
		for _, id := range s.few {
			if !yield(id) {
				return
			}
		}
	}
}

// edge is one relation in an adjacency list, with the entity it leads to:
// walks over a hub's thousands of relations read both from the list
// itself, with no lookup in the relations map per step (that lookup and
// finding the far end were over half the time of a network at 300k
// relations).
type edge struct {
	rel   *graph.Relation
	other string
}

func edgeOrder(a, b edge) int { return strings.Compare(a.rel.ID, b.rel.ID) }

func edgeIs(e edge, id string) int { return strings.Compare(e.rel.ID, id) }

// findEdge gives where the relation id is, or would be, in l.
func findEdge(l []edge, id string) (int, bool) { return slices.BinarySearchFunc(l, id, edgeIs) }

// putRelation stores r. New relations join their ends' adjacency lists:
// sorted in place when sorted is true, appended otherwise (Open sorts once
// at the end). A new version of a stored relation takes the old one's
// place in both lists.
func (st *state) putRelation(r *graph.Relation, sorted bool) {
	old, existed := st.relations[r.ID]
	st.relations[r.ID] = r
	if existed {
		st.evidence += len(r.Evidence) - len(old.Evidence)
		for _, end := range []string{r.From, r.To} {
			if i, ok := findEdge(st.adj[end], r.ID); ok {
				st.adj[end][i].rel = r
			}
		}
		return
	}
	st.types[r.Type]++
	st.evidence += len(r.Evidence)
	for _, ends := range [2][2]string{{r.From, r.To}, {r.To, r.From}} {
		end, e := ends[0], edge{rel: r, other: ends[1]}
		if sorted && !st.loading {
			i, _ := findEdge(st.adj[end], r.ID)
			st.adj[end] = slices.Insert(st.adj[end], i, e)
		} else {
			st.adj[end] = append(st.adj[end], e)
		}
	}
}

// insert adds s to the sorted list l, or appends it while loading.
func (st *state) insert(l []string, s string) []string {
	if st.loading {
		return append(l, s)
	}
	i, _ := slices.BinarySearch(l, s)
	return slices.Insert(l, i, s)
}

func deleteSorted(l []string, s string) []string {
	if i, found := slices.BinarySearch(l, s); found {
		return slices.Delete(l, i, i+1)
	}
	return l
}

func (st *state) deleteRelation(id string) {
	r, ok := st.relations[id]
	if !ok {
		return
	}
	delete(st.relations, id)
	if st.types[r.Type]--; st.types[r.Type] <= 0 {
		delete(st.types, r.Type)
	}
	st.evidence -= len(r.Evidence)
	for _, end := range []string{r.From, r.To} {
		l := st.adj[end]
		if i, found := findEdge(l, id); found {
			l = slices.Delete(l, i, i+1)
		}
		if len(l) == 0 {
			delete(st.adj, end)
		} else {
			st.adj[end] = l
		}
	}
}

func (st *state) putMerge(rec *graph.MergeRecord) {
	st.merges[rec.Drop] = rec
	st.redirect[rec.Drop] = rec.Keep
}

// Copies handed to callers, so that nobody outside can change the store's
// memory through a shared slice.

func cloneEntity(e *graph.Entity) graph.Entity {
	out := cloneListed(e)
	out.Mentions = slices.Clone(e.Mentions)
	return out
}

// cloneListed copies an entity for a list answer, which carries no
// mentions (graph.Store).
func cloneListed(e *graph.Entity) graph.Entity {
	out := *e
	out.Mentions = nil
	out.Aliases = slices.Clone(e.Aliases)
	out.Topics = slices.Clone(e.Topics)
	out.MergedFrom = slices.Clone(e.MergedFrom)
	if e.Lat != nil {
		lat := *e.Lat
		out.Lat = &lat
	}
	if e.Lon != nil {
		lon := *e.Lon
		out.Lon = &lon
	}
	return out
}

func cloneRelation(r *graph.Relation) graph.Relation {
	out := *r
	out.Evidence = slices.Clone(r.Evidence)
	out.Other = nil
	return out
}
