package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// hostileStrings are what someone probing for query injection would send
// to a store that writes query text: quotes and backticks that end a
// Cypher literal or identifier, clauses after them, comment markers,
// parameter and map syntax, label and type syntax, control characters.
// A store must hold each as data: kept byte for byte, found by search,
// never run. (Control characters are not data in a name: Validate
// refuses them, as testControlCharacters checks.)
var hostileStrings = []string{
	`O'Brien`,
	`Khalifa "the Marshal" Haftar`,
	"Back`tick` Haftar",
	`x'}) MATCH (n) DETACH DELETE n //`,
	`x"}) MATCH (n) DETACH DELETE n RETURN 1 //`,
	"x`) DETACH DELETE n //",
	`Param $id {id: $id} \' \" \\`,
	`Comment */ MATCH (n) SET n.name = 'pwned' /*`,
	`Label :Person:Admin) WITH 1 AS x CALL db.clearQueryCaches() //`,
	"Arabic حفتر ' OR '1'='1",
}

// hostileTypes and hostileKinds are relation types and kinds outside the
// vocabulary, shaped to break out of a pattern if they were written into
// the statement unchecked (a Cypher store must write types and labels
// into the statement: Cypher takes no parameter there).
var (
	hostileTypes = []graph.RelType{"MEMBER_OF]-() DETACH DELETE n //", "MEMBER_OF|KNOWS", "member_of", "`MEMBER_OF`", ""}
	hostileKinds = []graph.Kind{"Person) DETACH DELETE (n", "Person|Admin", "Person:Entity", "person", "`Person`"}
	hostileIDs   = []string{`' OR 1=1 //`, `"}) DETACH DELETE n //`, "$id", "*", "../" + KhaledHaftar, KhaledHaftar + "'"}
)

func (s *suite) hostileTests() []subtest {
	return []subtest{
		{"HostileNamesAreData", s.testHostileNamesAreData},
		{"HostileQueryValuesAreRefused", s.testHostileQueryValuesAreRefused},
		{"ControlCharacters", s.testControlCharacters},
	}
}

// testHostileNamesAreData stores entities named with hostile strings,
// through Apply and through Edit, and reads them back unchanged; the rest
// of the graph is untouched.
func (s *suite) testHostileNamesAreData(t *testing.T) {
	st := s.fixtureStore(t)
	before := takeSnapshot(t, st)
	stats := mustStats(t, st)

	var applied []graph.Entity
	for i, h := range hostileStrings {
		applied = append(applied, graph.Entity{ID: graph.EntityID(graph.KindOrganization, fmt.Sprintf("hostile %d", i)),
			Kind: graph.KindOrganization, Name: h, NameAr: h, Aliases: []string{"Alias " + h}, Summary: h})
	}
	if res := mustApply(t, st, &graph.Batch{Entities: applied}); res.Created != len(applied) {
		t.Fatalf("Apply of %d hostile names: %+v", len(applied), res)
	}
	for i, h := range hostileStrings {
		want := applied[i]
		got := mustEntity(t, st, want.ID)
		if got.Name != h || got.NameAr != h || got.Summary != h || !slices.Equal(got.Aliases, want.Aliases) {
			t.Errorf("entity named %q read back as name %q, name_ar %q, summary %q, aliases %q", h, got.Name, got.NameAr, got.Summary, got.Aliases)
		}
		rec := mustEdit(t, st, graph.Edit{Op: graph.EditCreate, Actor: h, Reason: h,
			Entity: graph.Entity{Kind: graph.KindPerson, Key: fmt.Sprintf("test:hostile-%d", i), Name: h, Title: h}})
		edited := mustEntity(t, st, rec.Entity)
		if edited.Name != h || edited.Title != h || rec.Actor != h || rec.Reason != h {
			t.Errorf("edit with %q: entity %q titled %q, audit actor %q reason %q", h, edited.Name, edited.Title, rec.Actor, rec.Reason)
		}
	}

	// Search finds them by their words, in both scripts.
	for _, q := range []string{"O'Brien", "Marshal", "tick", "pwned", "حفتر"} {
		hits, err := st.Search(ctx(), graph.SearchQuery{Text: q, Kinds: []graph.Kind{graph.KindOrganization}})
		if err != nil {
			t.Errorf("Search(%q): %v", q, err)
			continue
		}
		if len(hits) == 0 {
			t.Errorf("Search(%q) found none of the hostile-named organisations", q)
		}
	}

	after := mustStats(t, st)
	if after.Entities[graph.KindOrganization] != stats.Entities[graph.KindOrganization]+len(hostileStrings) ||
		after.Entities[graph.KindPerson] != stats.Entities[graph.KindPerson]+len(hostileStrings) {
		t.Errorf("entities went from %v to %v, want %d more organisations and persons", stats.Entities, after.Entities, len(hostileStrings))
	}
	sameJSON(t, "relations after hostile names", after.Relations, stats.Relations)
	now := takeSnapshot(t, st)
	sameJSON(t, "the fixture's entities after hostile names", now.Entities, before.Entities)
	sameJSON(t, "the fixture's relations after hostile names", now.Relations, before.Relations)
	sameJSON(t, "the fixture's documents after hostile names", now.Documents, before.Documents)
}

// testHostileQueryValuesAreRefused sends types, kinds and ids shaped to
// break out of a statement to every read that takes them: each is refused
// as invalid or not found, and nothing changes.
func (s *suite) testHostileQueryValuesAreRefused(t *testing.T) {
	st := s.fixtureStore(t)
	before := takeSnapshot(t, st)
	stats := mustStats(t, st)
	refused := func(what string, err error) {
		t.Helper()
		if !graph.Is(err, graph.Invalid) && !graph.Is(err, graph.NotFound) {
			t.Errorf("%s: error %v (code %q), want it refused as invalid or not found", what, err, graph.ErrorCode(err))
		}
	}
	for _, typ := range hostileTypes {
		if typ == "" {
			continue // no type is every type, not an injection
		}
		types := []graph.RelType{graph.MemberOf, typ}
		_, err := st.Relations(ctx(), graph.RelationQuery{Entity: KhaledHaftar, Types: types})
		refused(fmt.Sprintf("Relations types %q", typ), err)
		_, err = st.Network(ctx(), graph.NetworkQuery{Entity: KhaledHaftar, Types: types})
		refused(fmt.Sprintf("Network types %q", typ), err)
		_, err = st.Paths(ctx(), graph.PathQuery{From: KhaledHaftar, To: Misrata, Types: types})
		refused(fmt.Sprintf("Paths types %q", typ), err)
		_, err = st.Apply(ctx(), &graph.Batch{Relations: []graph.Relation{{Type: typ, From: KhaledHaftar, To: GeneralCommand}}})
		refused(fmt.Sprintf("Apply of a relation typed %q", typ), err)
	}
	for _, kind := range hostileKinds {
		kinds := []graph.Kind{graph.KindPerson, kind}
		_, err := st.Network(ctx(), graph.NetworkQuery{Entity: KhaledHaftar, Kinds: kinds})
		refused(fmt.Sprintf("Network kinds %q", kind), err)
		_, err = st.Search(ctx(), graph.SearchQuery{Text: "Haftar", Kinds: kinds})
		refused(fmt.Sprintf("Search kinds %q", kind), err)
		_, err = st.Apply(ctx(), &graph.Batch{Entities: []graph.Entity{{ID: graph.EntityID(graph.KindPerson, "someone"), Kind: kind, Name: "Someone"}}})
		refused(fmt.Sprintf("Apply of an entity of kind %q", kind), err)
		_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditCreate, Entity: graph.Entity{Kind: kind, Name: "Someone"}})
		refused(fmt.Sprintf("Edit creating an entity of kind %q", kind), err)
	}
	for _, id := range hostileIDs {
		_, err := st.Entity(ctx(), id)
		refused(fmt.Sprintf("Entity(%q)", id), err)
		_, err = st.Document(ctx(), id)
		refused(fmt.Sprintf("Document(%q)", id), err)
		_, err = st.Relation(ctx(), id)
		refused(fmt.Sprintf("Relation(%q)", id), err)
		_, err = st.Relations(ctx(), graph.RelationQuery{Entity: id})
		refused(fmt.Sprintf("Relations of %q", id), err)
		_, err = st.Network(ctx(), graph.NetworkQuery{Entity: id})
		refused(fmt.Sprintf("Network of %q", id), err)
		_, err = st.Paths(ctx(), graph.PathQuery{From: KhaledHaftar, To: id})
		refused(fmt.Sprintf("Paths to %q", id), err)
		_, err = st.Events(ctx(), graph.EventQuery{Actor: id})
		refused(fmt.Sprintf("Events of %q", id), err)
		_, err = st.Merge(ctx(), KhaledHaftar, id)
		refused(fmt.Sprintf("Merge of %q", id), err)
		_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditDelete, ID: id})
		refused(fmt.Sprintf("Edit deleting %q", id), err)
	}
	after := mustStats(t, st)
	sameJSON(t, "stats after hostile queries", after, stats)
	sameJSON(t, "the fixture after hostile queries", takeSnapshot(t, st), before)
}

// testControlCharacters: a name, alias or title with a control character
// (which no name has, and XML exports cannot hold) is refused, by Apply
// and by Edit, and nothing is stored; a summary keeps its line breaks.
func (s *suite) testControlCharacters(t *testing.T) {
	st := s.fixtureStore(t)
	stats := mustStats(t, st)
	id := graph.EntityID(graph.KindPerson, "control")
	for _, e := range []graph.Entity{
		{Name: "Nul\x00Name"}, {Name: "Line\nbreak"}, {Name: "X", Aliases: []string{"Tab\talias"}},
		{Name: "X", Title: "Bell\a"}, {Name: "X", NameAr: "حفتر\x1b"}, {Name: "X", Summary: "nul\x00"},
		{Name: "Bad \xff UTF-8"},
	} {
		e.ID, e.Kind = id, graph.KindPerson
		_, err := st.Apply(ctx(), &graph.Batch{Entities: []graph.Entity{e}})
		wantCode(t, fmt.Sprintf("Apply of %+q", e.Name+e.NameAr+e.Title+e.Summary+fmt.Sprint(e.Aliases)), err, graph.Invalid)
		e.ID = ""
		_, err = st.Edit(ctx(), graph.Edit{Op: graph.EditCreate, Entity: e})
		wantCode(t, fmt.Sprintf("Edit creating %+q", e.Name), err, graph.Invalid)
	}
	sameJSON(t, "stats after refused control characters", mustStats(t, st), stats)

	summary := "First line.\nSecond line,\tafter a tab.\r\n"
	mustApply(t, st, &graph.Batch{Entities: []graph.Entity{{ID: id, Kind: graph.KindPerson, Name: "Multi Line", Summary: summary}}})
	if got := mustEntity(t, st, id); got.Summary != summary {
		t.Errorf("summary read back as %q, want %q", got.Summary, summary)
	}
}
