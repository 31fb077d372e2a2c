package eventdata

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/ingest/acled"
	"github.com/polgraph/polgraph/ingest/records"
	"github.com/polgraph/polgraph/internal/neo4jtest"
	"github.com/polgraph/polgraph/internal/shared"
)

// sample files (../shared/data): real rows, read in place, never copied.
type sample struct{ kind, path string }

func samples(t testing.TB) []sample {
	return []sample{
		{"acled", shared.Path(t, "data", "acled", "events-sample.csv")},
		{"acled", shared.Path(t, "data", "acled", "modern-api-format-sample.csv")},
		{"gdelt", shared.Path(t, "data", "gdelt", "events-sample.tsv")},
		{"gdelt", shared.Path(t, "data", "gdelt", "v1", "events-sample.tsv")},
	}
}

// loadNews ingests the shared corpus (the seed report and the articles)
// as `polgraph ingest` does.
func loadNews(t testing.TB, m *Mapper, st graph.Store) {
	t.Helper()
	var files []string
	for _, dir := range []string{"seed", "articles"} {
		fs, err := filepath.Glob(filepath.Join(shared.Path(t, "corpus", dir), "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	for _, f := range files {
		arts, err := ingest.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			b, err := m.p.Extract(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := ingest.Store(ctx, st, b); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	}
}

// within reports whether place is country or lies in it (LOCATED_IN, up
// to three steps).
func within(t testing.TB, st graph.Store, place, country string) bool {
	for range 4 {
		if place == country {
			return true
		}
		up := relationsOf(t, st, place, graph.LocatedIn)
		next := ""
		for _, r := range up {
			if r.From == place {
				next = r.To
			}
		}
		if next == "" {
			return false
		}
		place = next
	}
	return false
}

// TestSamplesJoinTheNews imports the real ACLED and GDELT samples into a
// store that holds the news corpus: Libya's rows land on the actors and
// places the news resolved.
func TestSamplesJoinTheNews(t *testing.T) {
	m := newMapper(t)
	st := memstore.OpenMemory()
	defer st.Close()
	loadNews(t, m, st)
	for _, s := range samples(t) {
		sum := importFile(t, m, st, s.kind, s.path)
		if len(sum.Skipped) != 0 || sum.Imported != sum.Read || sum.Read == 0 {
			t.Errorf("%s: %+v; want every row imported", s.path, sum)
		}
	}
	libya := gazID(t, m, "place/libya")

	// Every Libya row of the ACLED sample is an event in Libya with its
	// actors, citing its record.
	f, err := os.Open(samples(t)[0].path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := acled.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, bad, err := records.ReadAll(rd.Next)
	if err != nil || len(bad) != 0 {
		t.Fatal(err, bad)
	}
	libyan, lnaRows := 0, 0
	for _, row := range rows {
		if row.Country != "Libya" {
			continue
		}
		libyan++
		ev := acledEvent(row.EventID)
		places := relationsOf(t, st, ev, graph.OccurredIn)
		if len(places) != 1 || !within(t, st, places[0].To, libya) {
			t.Errorf("%s (line %d) happened in %+v; want one place in Libya", row.EventID, row.Line, places)
		}
		parts := relationsOf(t, st, ev, graph.ParticipatedIn)
		if len(parts) == 0 {
			t.Errorf("%s has no participants", row.EventID)
		}
		for _, p := range parts {
			if p.Evidence[0].Document != graph.DocumentID("acled:"+row.EventID) {
				t.Errorf("%s: participation cites %s, not its record", row.EventID, p.Evidence[0].Document)
			}
		}
		if slices.Contains([]string{row.Actor1, row.Actor2}, "Military Forces of Libya (2014-)") {
			lnaRows++
			if !hasRelation(t, st, gazID(t, m, "org/general-command"), graph.ParticipatedIn, ev, "") {
				t.Errorf("%s: ACLED's Military Forces of Libya (2014-) is not the General Command (the LNA)", row.EventID)
			}
		}
	}
	if libyan != 54 || lnaRows == 0 {
		t.Errorf("the sample has %d Libya rows (%d with the LNA); FORMATS.md says 54", libyan, lnaRows)
	}

	// The places and actors both sources name are one entity, cited by
	// both the news and the event data.
	for _, c := range []struct {
		entry   string
		sources []string
	}{
		{"place/sirte", []string{"article", "acled", "gdelt"}},
		{"place/tripoli", []string{"article", "acled", "gdelt"}},
		{"place/misrata", []string{"article", "acled"}},
		{"place/benghazi", []string{"article", "acled"}},
		{"org/general-command", []string{"article", "acled"}},
		{"place/libya", []string{"article", "acled", "gdelt"}},
	} {
		id := gazID(t, m, c.entry)
		cited := map[string]bool{}
		for _, typ := range graph.RelTypes {
			for _, r := range relationsOf(t, st, id, typ) {
				for _, e := range r.Evidence {
					d, err := st.Document(ctx, e.Document)
					if err != nil {
						t.Fatal(err)
					}
					src := d.Source
					if e.Rule == RuleGDELT {
						src = "gdelt" // GDELT cites the articles themselves
					}
					cited[src] = true
				}
			}
		}
		for _, src := range c.sources {
			if !cited[src] {
				t.Errorf("%s is cited by %v; want %s too", c.entry, cited, src)
			}
		}
	}
}

// TestSamplesSameOnBothStores imports the samples into the embedded store
// and into Neo4j, in small chunks, twice: both hold the same graph, object
// for object, and the second import changes nothing on either.
func TestSamplesSameOnBothStores(t *testing.T) {
	cfg := neo4jtest.Config(t)
	m := newMapper(t)
	mem := memstore.OpenMemory()
	defer mem.Close()
	neo := neo4jtest.Open(t, cfg)
	for _, st := range []graph.Store{mem, neo} {
		for _, s := range samples(t) {
			importFile(t, m, st, s.kind, s.path, loader.WithSize(2000))
		}
		before, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range samples(t) {
			if sum := importFile(t, m, st, s.kind, s.path, loader.WithSize(2000)); sum.Applied.Created+sum.Applied.Updated != 0 {
				t.Errorf("%T: importing %s again: %+v", st, s.path, sum.Applied)
			}
		}
		if after, _ := st.Stats(ctx); after.Changes != before.Changes {
			t.Errorf("%T: the second import recorded %d changes", st, after.Changes-before.Changes)
		}
	}
	dump := func(st graph.Store) []string {
		var out []string
		err := st.Scan(ctx, func(o graph.Object) error {
			b, err := json.Marshal(o)
			out = append(out, string(b))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := dump(mem), dump(neo)
	if len(a) != len(b) {
		t.Fatalf("embedded store holds %d objects, Neo4j %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("object %d differs:\nembedded %s\nneo4j    %s", i, a[i], b[i])
		}
	}
}
