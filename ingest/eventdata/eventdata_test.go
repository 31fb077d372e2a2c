package eventdata

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
)

var ctx = context.Background()

func newMapper(t testing.TB) *Mapper {
	t.Helper()
	p, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return NewMapper(p)
}

// gazID is the entity id of a gazetteer entry: the id the news resolves
// the same actor or place to.
func gazID(t testing.TB, m *Mapper, id string) string {
	t.Helper()
	e, ok := m.g.Entry(id)
	if !ok {
		t.Fatalf("no gazetteer entry %s", id)
	}
	return e.EntityID()
}

func importFile(t testing.TB, m *Mapper, st graph.Store, kind, path string, opts ...loader.Option) loader.Summary {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sum loader.Summary
	if kind == "acled" {
		sum, err = m.ImportACLED(ctx, st, f, opts...)
	} else {
		sum, err = m.ImportGDELT(ctx, st, f, opts...)
	}
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return sum
}

// relationsOf lists an entity's relations of one type, all pages.
func relationsOf(t testing.TB, st graph.Store, id string, typ graph.RelType) []graph.Relation {
	t.Helper()
	var out []graph.Relation
	q := graph.RelationQuery{Entity: id, Types: []graph.RelType{typ}, Limit: graph.MaxPageSize}
	for {
		page, err := st.Relations(ctx, q)
		if err != nil {
			t.Fatalf("Relations(%s, %s): %v", id, typ, err)
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out
		}
		q.Cursor = page.Next
	}
}

// hasRelation reports whether from has a relation of typ to to (in that
// direction), with the role if one is given.
func hasRelation(t testing.TB, st graph.Store, from string, typ graph.RelType, to, role string) bool {
	t.Helper()
	for _, r := range relationsOf(t, st, from, typ) {
		if r.From == from && r.To == to && (role == "" || r.Role == role) {
			return true
		}
	}
	return false
}

func acledEvent(id string) string { return graph.EntityID(graph.KindEvent, "acled:"+id) }

func TestACLEDFixture(t *testing.T) {
	m := newMapper(t)
	st := memstore.OpenMemory()
	defer st.Close()
	sum := importFile(t, m, st, "acled", filepath.Join("testdata", "acled-current.csv"))
	// Line 4 is the second record: the first spans lines 2 and 3.
	if sum.Read != 4 || sum.Imported != 3 || len(sum.Skipped) != 1 || sum.Skipped[0].Line != 4 ||
		!strings.Contains(sum.Skipped[0].Reason, "event_date") {
		t.Fatalf("summary = %+v; want 4 read, 3 imported, line 4 skipped for its event_date", sum)
	}
	clash, err := st.Entity(ctx, acledEvent("TST90001"))
	if err != nil {
		t.Fatal(err)
	}
	if clash.EventType != "clash" || clash.Subtype != "Battles: Armed clash" || clash.Date != "2030-03-14" ||
		clash.DatePrecision != "day" || clash.Fatalities == nil || *clash.Fatalities != 2 || clash.Revision != 1900000000 ||
		!strings.Contains(clash.Summary, "\neast of Sirte") {
		t.Errorf("clash = %+v", clash)
	}
	lna, gna := gazID(t, m, "org/general-command"), gazID(t, m, "org/gna")
	sirte, misrata := gazID(t, m, "place/sirte"), gazID(t, m, "place/misrata")
	militia := graph.EntityID(graph.KindGroup, "acled:misratah communal militia (libya)")
	guard := graph.EntityID(graph.KindOrganization, "acled:military forces of libya (2016-) presidential guard")
	for _, c := range []struct {
		what           string
		from           string
		typ            graph.RelType
		to, role       string
		wantConfidence bool
	}{
		{"the LNA (ACLED's name with its suffix) took part", lna, graph.ParticipatedIn, clash.ID, "party", true},
		{"the militia took part", militia, graph.ParticipatedIn, clash.ID, "party", true},
		{"the guard unit was associated", guard, graph.ParticipatedIn, clash.ID, "associated", true},
		{"the clash was in the gazetteer's Sirte", clash.ID, graph.OccurredIn, sirte, "", true},
		{"the militia is based in Misrata (spelled Misratah)", militia, graph.BasedIn, misrata, "", false},
		{"the guard is a unit of the GNA's forces", guard, graph.MemberOf, gna, "", false},
		{"the LNA opposed the militia", lna, graph.OpposedTo, militia, "", false},
		{"the militia was backed by the guard", militia, graph.AlliedWith, guard, "", false},
	} {
		if !hasRelation(t, st, c.from, c.typ, c.to, c.role) {
			t.Errorf("%s: no %s %s → %s", c.what, c.typ, c.role, c.to)
		}
	}
	// The record is the document every relation cites.
	doc, err := st.Document(ctx, graph.DocumentID("acled:TST90001"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Outlet != "Example Wire; Example Daily" || doc.Source != "acled" || !strings.HasPrefix(doc.Text, "On 14 March 2030") {
		t.Errorf("record document = %+v", doc)
	}
	for _, r := range relationsOf(t, st, clash.ID, graph.ParticipatedIn) {
		if len(r.Evidence) != 1 || r.Evidence[0].Document != doc.ID || r.Evidence[0].Rule != RuleACLED || r.Date != "2030-03-14" {
			t.Errorf("participation %s: evidence %+v, date %q; want the record, dated by the event", r.ID, r.Evidence, r.Date)
		}
	}
	// A place the gazetteer does not know sits in its ACLED region, without
	// the coordinates of a row of precision 2 (near the place, not at
	// it); civilians are targets, and oppose no one.
	shelling, err := st.Entity(ctx, acledEvent("TST90004"))
	if err != nil {
		t.Fatal(err)
	}
	places := relationsOf(t, st, shelling.ID, graph.OccurredIn)
	if len(places) != 1 || places[0].Other.Name != "Qasr Example" || places[0].Other.Lat != nil {
		t.Fatalf("shelling places = %+v", places)
	}
	region := relationsOf(t, st, places[0].To, graph.LocatedIn)
	if len(region) != 1 || region[0].Other.Name != "Surt" || !hasRelation(t, st, region[0].To, graph.LocatedIn, gazID(t, m, "place/libya"), "") {
		t.Errorf("Qasr Example is in %+v; want the region Surt, in Libya", region)
	}
	civilians := graph.EntityID(graph.KindGroup, "acled:civilians (libya)")
	if !hasRelation(t, st, civilians, graph.ParticipatedIn, shelling.ID, "target") {
		t.Error("the civilians shelled are not its target")
	}
	if rs := relationsOf(t, st, civilians, graph.OpposedTo); len(rs) != 0 {
		t.Errorf("civilians oppose %d actors; want none", len(rs))
	}
	// Week precision comes through.
	if protest, err := st.Entity(ctx, acledEvent("TST90003")); err != nil || protest.DatePrecision != "week" || protest.EventType != "protest" {
		t.Errorf("protest = %+v, %v; want a protest of week precision", protest, err)
	}
}

func TestACLEDImportIsIdempotentAndRevisable(t *testing.T) {
	m := newMapper(t)
	st := memstore.OpenMemory()
	defer st.Close()
	current := filepath.Join("testdata", "acled-current.csv")
	importFile(t, m, st, "acled", current)
	before, _ := st.Stats(ctx)
	again := importFile(t, m, st, "acled", current)
	after, _ := st.Stats(ctx)
	if again.Applied.Created != 0 || again.Applied.Updated != 0 || after.Changes != before.Changes {
		t.Errorf("second import: %+v, %d new changes; want nothing created, updated or recorded", again.Applied, after.Changes-before.Changes)
	}
	// The revised file has the newer version of TST90001, then an older one.
	importFile(t, m, st, "acled", filepath.Join("testdata", "acled-revised.csv"))
	clash, err := st.Entity(ctx, acledEvent("TST90001"))
	if err != nil {
		t.Fatal(err)
	}
	if clash.Fatalities == nil || *clash.Fatalities != 5 || clash.Revision != 1900000500 || !strings.HasPrefix(clash.Summary, "Revised:") {
		t.Errorf("after the revision: fatalities %v, revision %d, summary %q; want 5, 1900000500, the revised notes",
			clash.Fatalities, clash.Revision, clash.Summary)
	}
	doc, _ := st.Document(ctx, graph.DocumentID("acled:TST90001"))
	if !strings.HasPrefix(doc.Text, "Revised:") {
		t.Errorf("record document text = %q; want the revised notes, not the older version's", doc.Text)
	}
	revised, _ := st.Stats(ctx)
	if revised.Entities[graph.KindEvent] != before.Entities[graph.KindEvent] {
		t.Errorf("events: %d before, %d after the revision; a revision updates in place", before.Entities[graph.KindEvent], revised.Entities[graph.KindEvent])
	}
	// Importing the older file again rolls nothing back.
	importFile(t, m, st, "acled", current)
	if again, _ := st.Entity(ctx, clash.ID); *again.Fatalities != 5 {
		t.Errorf("re-importing the older file set fatalities to %d", *again.Fatalities)
	}
}

func TestACLEDMonadicRowsAddUpToOneEvent(t *testing.T) {
	m := newMapper(t)
	st := memstore.OpenMemory()
	defer st.Close()
	sum := importFile(t, m, st, "acled", filepath.Join("testdata", "acled-monadic.csv"))
	if sum.Imported != 2 || len(sum.Skipped) != 0 {
		t.Fatalf("summary = %+v", sum)
	}
	ev := acledEvent("TST90010")
	parts := relationsOf(t, st, ev, graph.ParticipatedIn)
	names := []string{}
	for _, p := range parts {
		names = append(names, p.Other.Name)
	}
	if len(parts) != 2 || !strings.Contains(strings.Join(names, "|"), "Shura Council of Benghazi Revolutionaries") {
		t.Errorf("participants = %q; want the BRSC and the special forces", names)
	}
	brsc, err := st.Entity(ctx, graph.EntityID(graph.KindGroup, "acled:brsc: shura council of benghazi revolutionaries"))
	if err != nil || !strings.Contains(strings.Join(brsc.Aliases, "|"), "BRSC") {
		t.Errorf("BRSC = %+v, %v; want its acronym as an alias", brsc, err)
	}
	if e, _ := st.Entity(ctx, ev); e.Date != "2030-03-15" {
		t.Errorf("date %q; want 2030-03-15 read from \"15 March 2030\"", e.Date)
	}
}
