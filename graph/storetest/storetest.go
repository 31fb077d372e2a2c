// Package storetest is the conformance suite of graph.Store: every backend
// runs Run in its own test with a function that opens a fresh, empty store,
// and must pass all of it. The suite pins down what the Store interface only
// states in words; a difference between backends is a bug unless Config
// declares it with a reason. It belongs here, and not in a backend, because
// both backends answer to it; backend-specific tests (reopening a file,
// crashes, server outages) stay with the backend.
//
// Most subtests apply the fixture graph (Fixture) and query it. It is a
// small Libya-flavoured graph written for these tests; its documents report
// nothing that happened. Arrows point from a relation's From to its To:
//
//	                             FAMILY_OF{son}
//	Khaled Haftar ────────────────────────────────────────▶ Khalifa Haftar
//	 │  │  │                                                     │
//	 │  │  │ HOLDS_POSITION{chief of staff of the land forces}   │ HOLDS_POSITION{commander}
//	 │  │  └───────────────────▶ General Command ◀───────────────┘
//	 │  │                               ▲
//	 │  │                               │ MEMBER_OF
//	 │  │                    Moral Guidance Department ◀── HOLDS_POSITION{director} ── Khaled al-Mahjoub
//	 │  │                               │
//	 │  │                               │ PARTICIPATED_IN{speaker}
//	 │  │                               ▼
//	 │  │                    Guidance statement (2025-10-21)
//	 │  │                               │
//	 │  │ PARTICIPATED_IN{party}        │ ABOUT
//	 │  │                               ▼
//	 │  └───────────────────▶ Sirte meeting (2025-10-19) ── OCCURRED_IN ──▶ Sirte ── LOCATED_IN ──┐
//	 │                                  ▲                                                          ▼
//	 │                                  │ PARTICIPATED_IN{party}                                 Libya
//	 │                                  │                                                        ▲   ▲
//	 │                     Misrata leaders (Group) ──── BASED_IN ────▶ Misrata ── LOCATED_IN ────┘   │
//	 │                          │              │                                                     │
//	 │  PARTICIPATED_IN{party}  │ PARTICIPATED_IN{party}   PARTICIPATED_IN{speaker}                  │ LOCATED_IN
//	 │                          ▼              └───────────────▶ Misrata welcome (undated)           │
//	 └─────────────▶ Sirte agreement (2025-10-20)                                                    │
//	                            │                          Tripoli clash ── OCCURRED_IN ──▶ Tripoli ─┘
//	                            │ ESTABLISHED              (2024-05-12)
//	                            ▼
//	                Joint Counter-Terrorism Force
//
//	A second component, joined to the first by no asserted relation:
//
//	Osama Hammad ── HOLDS_POSITION{prime minister} ──▶ Government of National Stability ◀── MEMBER_OF ── Mustafa Salem
//	      │                                                        │
//	      │ PARTICIPATED_IN{convener}                              │ PARTICIPATED_IN{host}
//	      └─────────────────▶ Cabinet meeting (2025-03) ◀──────────┘
//
// Documents (each also a Document entity), and what they hold:
//
//	DocAgreement  en 2025-10-20  evidence for the meeting, the agreement, the General Command and the family;
//	                             MENTIONS Khaled Haftar{3}, Misrata leaders, Sirte; REPORTS the meeting and the agreement
//	DocStatement  ar 2025-10-21  second evidence for Khaled Haftar in the agreement; the statement, the
//	                             Moral Guidance Department, Misrata leaders BASED_IN Misrata, the welcome;
//	                             MENTIONS Khaled Haftar, Khaled al-Mahjoub, Moral Guidance Department{2}; REPORTS the statement
//	DocCabinet    en 2025-04-02  the second component and the Tripoli clash; MENTIONS Osama Hammad; REPORTS the cabinet meeting
//	DocGazetteer  undated        the three LOCATED_IN relations, which are therefore undated
//
// Relations carry a Date where the fact is an event's (PARTICIPATED_IN,
// OCCURRED_IN, ESTABLISHED); the others are dated by their evidence. Khaled
// Haftar's part in the agreement has two pieces of evidence (0.8 and 0.6,
// confidence 0.92). MENTIONS and REPORTS carry none and are not traversed by
// paths and networks unless asked for, so Khaled al-Mahjoub is three
// asserted hops from Khaled Haftar but two through DocStatement.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// Config declares the differences a backend is allowed from what the suite
// expects. There are none: a field is added here only together with the
// reason the difference cannot be removed, and the backend that needs it.
type Config struct{}

// Run runs the whole suite. open returns a fresh, empty store for one
// subtest each time it is called, and registers its cleanup (Close, removing
// files) with t.Cleanup; the suite closes no store itself.
func Run(t *testing.T, open func(t *testing.T) graph.Store) {
	RunConfig(t, Config{}, open)
}

// RunConfig runs the suite with declared differences.
func RunConfig(t *testing.T, cfg Config, open func(t *testing.T) graph.Store) {
	s := &suite{cfg: cfg, open: open}
	for _, tc := range s.tests() {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t) })
	}
}

type suite struct {
	cfg  Config
	open func(t *testing.T) graph.Store
}

type subtest struct {
	name string
	fn   func(t *testing.T)
}

// tests is the table of subtests, grouped by the method they are about.
func (s *suite) tests() []subtest {
	var all []subtest
	for _, group := range [][]subtest{
		s.applyTests(),
		s.readTests(),
		s.relationsTests(),
		s.pathsTests(),
		s.networkTests(),
		s.eventsTests(),
		s.searchTests(),
		s.mergeTests(),
		s.editTests(),
		s.scanTests(),
		s.changesTests(),
		s.contextTests(),
		s.hostileTests(),
	} {
		all = append(all, group...)
	}
	return all
}

// fixtureStore opens a store and applies the fixture to it.
func (s *suite) fixtureStore(t *testing.T) graph.Store {
	t.Helper()
	st := s.open(t)
	mustApply(t, st, Fixture())
	return st
}

func ctx() context.Context { return context.Background() }

func mustApply(t *testing.T, st graph.Store, b *graph.Batch) graph.ApplyResult {
	t.Helper()
	res, err := st.Apply(ctx(), b)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return res
}

func mustEntity(t *testing.T, st graph.Store, id string) graph.Entity {
	t.Helper()
	e, err := st.Entity(ctx(), id)
	if err != nil {
		t.Fatalf("Entity(%s): %v", id, err)
	}
	return e
}

// listed is an entity as answers that list entities give it: without its
// mentions (graph.Store).
func listed(e graph.Entity) graph.Entity {
	e.Mentions = nil
	return e
}

func mustRelation(t *testing.T, st graph.Store, id string) graph.Relation {
	t.Helper()
	r, err := st.Relation(ctx(), id)
	if err != nil {
		t.Fatalf("Relation(%s): %v", id, err)
	}
	return r
}

func mustStats(t *testing.T, st graph.Store) graph.Stats {
	t.Helper()
	s, err := st.Stats(ctx())
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return s
}

// allChanges reads the whole change feed.
func allChanges(t *testing.T, st graph.Store) []graph.Change {
	t.Helper()
	var out []graph.Change
	var since uint64
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("Changes never ends")
		}
		p, err := st.Changes(ctx(), since, 100)
		if err != nil {
			t.Fatalf("Changes(%d): %v", since, err)
		}
		if len(p.Items) == 0 {
			if p.Next != since {
				t.Fatalf("Changes(%d) with nothing new: Next = %d, want %d", since, p.Next, since)
			}
			return out
		}
		out = append(out, p.Items...)
		since = p.Next
	}
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, what string, err error, code graph.Code) {
	t.Helper()
	if !graph.Is(err, code) {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, graph.ErrorCode(err), code)
	}
	var e *graph.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %T is not a *graph.Error", what, err)
	}
}

// sameJSON fails unless got and want encode to the same JSON: the form the
// API shows, where nil and empty lists differ only if the field is not
// omitempty.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Fatalf("%s:\n got  %s\n want %s", what, g, w)
	}
}

// storedEntity is what a store must return for an entity first applied as e.
func storedEntity(e graph.Entity) graph.Entity {
	return graph.UpsertEntity(graph.Entity{ID: e.ID, Kind: e.Kind}, e)
}

// storedDocEntity is the entity a store must hold for a document first applied as d.
func storedDocEntity(d graph.Document) graph.Entity {
	de := graph.DocumentEntity(&d)
	return graph.UpsertEntity(graph.Entity{ID: de.ID, Kind: de.Kind}, de)
}

// storedRelation is what a store must return for a relation first applied as r.
func storedRelation(r graph.Relation) graph.Relation {
	return graph.Derive(r)
}

// fixtureRelation returns the fixture relation with the id.
func fixtureRelation(t *testing.T, id string) graph.Relation {
	t.Helper()
	for _, r := range Fixture().Relations {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("fixture has no relation %s", id)
	return graph.Relation{}
}

// fixtureEntity returns the fixture entity (or document entity) with the id.
func fixtureEntity(t *testing.T, id string) graph.Entity {
	t.Helper()
	b := Fixture()
	for _, e := range b.Entities {
		if e.ID == id {
			return storedEntity(e)
		}
	}
	for _, d := range b.Documents {
		if d.ID == id {
			return storedDocEntity(d)
		}
	}
	t.Fatalf("fixture has no entity %s", id)
	return graph.Entity{}
}

// entityName names an id of the fixture, for messages.
func entityName(id string) string {
	b := Fixture()
	for _, e := range b.Entities {
		if e.ID == id {
			return e.Name
		}
	}
	for _, d := range b.Documents {
		if d.ID == id {
			return "doc:" + d.Title
		}
	}
	return id
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = id(x)
	}
	return out
}

func relIDs(rs []graph.Relation) []string {
	return ids(rs, func(r graph.Relation) string { return r.ID })
}

func entIDs(es []graph.Entity) []string {
	return ids(es, func(e graph.Entity) string { return e.ID })
}

func named(idList []string) string {
	var parts []string
	for _, id := range idList {
		parts = append(parts, entityName(id))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// sameIDs fails unless got and want hold the same ids in the same order.
func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\n got  %d %v\n want %d %v", what, len(got), got, len(want), want)
	}
}

// sameSet fails unless got and want hold the same ids, in any order, and got
// has no duplicates.
func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(w)
	if len(slices.Compact(slices.Clone(g))) != len(g) {
		t.Fatalf("%s: duplicates in %v", what, named(got))
	}
	if !slices.Equal(g, w) {
		t.Fatalf("%s:\n got  %v\n want %v", what, named(g), named(w))
	}
}

// fixtureStats is what Stats must count after applying the fixture.
func fixtureStats() graph.Stats {
	b := Fixture()
	st := graph.Stats{Entities: map[graph.Kind]int{}, Relations: map[graph.RelType]int{}}
	for _, e := range b.Entities {
		st.Entities[e.Kind]++
	}
	st.Entities[graph.KindDocument] = len(b.Documents)
	st.Documents = len(b.Documents)
	for _, r := range b.Relations {
		st.Relations[r.Type]++
		st.Evidence += len(r.Evidence)
	}
	return st
}

// sameCounts compares the counts of two Stats (not the change sequence),
// treating a missing map key as zero.
func sameCounts(t *testing.T, what string, got, want graph.Stats) {
	t.Helper()
	var diffs []string
	for _, k := range graph.Kinds {
		if got.Entities[k] != want.Entities[k] {
			diffs = append(diffs, fmt.Sprintf("entities[%s] = %d, want %d", k, got.Entities[k], want.Entities[k]))
		}
	}
	for _, r := range graph.RelTypes {
		if got.Relations[r] != want.Relations[r] {
			diffs = append(diffs, fmt.Sprintf("relations[%s] = %d, want %d", r, got.Relations[r], want.Relations[r]))
		}
	}
	if got.Documents != want.Documents {
		diffs = append(diffs, fmt.Sprintf("documents = %d, want %d", got.Documents, want.Documents))
	}
	if got.Evidence != want.Evidence {
		diffs = append(diffs, fmt.Sprintf("evidence = %d, want %d", got.Evidence, want.Evidence))
	}
	if len(diffs) > 0 {
		t.Fatalf("%s: %s", what, strings.Join(diffs, "; "))
	}
}

// snapshot is everything a store says about the fixture's ids, for
// before/after comparisons.
type snapshot struct {
	Entities  map[string]graph.Entity
	Relations map[string]graph.Relation
	Documents map[string]graph.Document
	Stats     graph.Stats
	Changes   []graph.Change
}

func takeSnapshot(t *testing.T, st graph.Store, extraIDs ...string) snapshot {
	t.Helper()
	b := Fixture()
	snap := snapshot{Entities: map[string]graph.Entity{}, Relations: map[string]graph.Relation{},
		Documents: map[string]graph.Document{}}
	entityIDs := append(entIDs(b.Entities), extraIDs...)
	for _, d := range b.Documents {
		entityIDs = append(entityIDs, d.ID)
		if doc, err := st.Document(ctx(), d.ID); err == nil {
			snap.Documents[d.ID] = doc
		} else if !graph.Is(err, graph.NotFound) {
			t.Fatalf("Document(%s): %v", d.ID, err)
		}
	}
	for _, id := range entityIDs {
		e, err := st.Entity(ctx(), id)
		if graph.Is(err, graph.NotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("Entity(%s): %v", id, err)
		}
		snap.Entities[id] = e
		page, err := st.Relations(ctx(), graph.RelationQuery{Entity: id, Limit: graph.MaxPageSize})
		if err != nil {
			t.Fatalf("Relations(%s): %v", id, err)
		}
		for _, r := range page.Items {
			r.Other = nil
			snap.Relations[r.ID] = r
		}
	}
	snap.Stats = mustStats(t, st)
	snap.Changes = allChanges(t, st)
	return snap
}
