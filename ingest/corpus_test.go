package ingest

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/internal/shared"
)

// corpusPath locates a file of the shared corpus (../shared/corpus from the
// repository root). The texts belong to their publishers and are never
// copied into the repository. Absent, the test skips — unless CI is set,
// where it must run.
func corpusPath(t *testing.T, rel string) string {
	t.Helper()
	return shared.Path(t, "corpus", rel)
}

// TestSeed checks the extraction of the seed report against what it says:
// Lt. Gen. Khaled Khalifa Haftar, chief of staff of the General Command, and
// security and military leaders of Misrata agree to form a joint force
// against terrorism and illegal migration and to stop media escalation; Maj.
// Gen. Khaled al-Mahjoub, director of the Moral Guidance Department, speaks
// about the meeting.
func TestSeed(t *testing.T) {
	path := corpusPath(t, filepath.Join("seed", "seed.json"))
	arts, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := testPipeline(t)
	b, err := p.Extract(context.Background(), arts[0])
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, b)
	v := newView(b)

	const (
		khaled    = "Khaled Haftar"
		mahjoub   = "Khaled al-Mahjoub"
		gc        = "General Command"
		mgd       = "Moral Guidance Department"
		group     = "security and military leaders of Misrata"
		agreement = "Agreement between Khaled Haftar and security and military leaders of Misrata"
		force     = "Joint force (agreement of Khaled Haftar and security and military leaders of Misrata)"
		statement = "Statement by Khaled al-Mahjoub"
	)
	kh := v.entity(t, graph.KindPerson, khaled)
	if kh.Title != "Lt. Gen." || kh.TitleAr != "الفريق أول ركن" || kh.Key != "person/khaled-haftar" {
		t.Errorf("Khaled Haftar: title %q (%q), key %q", kh.Title, kh.TitleAr, kh.Key)
	}
	if m := mentionTexts(kh); len(m) < 2 || m[0] != "خالد خليفة حفتر" || m[1] != "حفتر" {
		t.Errorf("Khaled Haftar's mentions = %q: the full name, then the bare surname", m)
	}
	mj := v.entity(t, graph.KindPerson, mahjoub)
	if mj.Title != "Maj. Gen." || mj.TitleAr != "اللواء" {
		t.Errorf("al-Mahjoub: title %q (%q)", mj.Title, mj.TitleAr)
	}
	for _, n := range []string{"Khalifa Haftar", "Saddam Haftar"} {
		if v.has(graph.KindPerson, n) {
			t.Errorf("%s must not be created from this report", n)
		}
	}
	v.entity(t, graph.KindOrganization, gc)
	v.entity(t, graph.KindOrganization, mgd)
	jf := v.entity(t, graph.KindOrganization, force)
	if jf.NameAr != "القوة المشتركة" || len(jf.Mentions) < 2 {
		t.Errorf("joint force: %q, %d mentions", jf.NameAr, len(jf.Mentions))
	}
	v.entity(t, graph.KindGroup, group)
	v.entity(t, graph.KindPlace, "Misrata")
	v.entity(t, graph.KindPlace, "Libya")
	ag := v.entity(t, graph.KindEvent, agreement)
	if got, want := ag.Topics, []string{"counter_terrorism", "illegal_migration", "media_deescalation"}; !reflect.DeepEqual(got, want) {
		t.Errorf("agreement topics = %q, want %q", got, want)
	}
	if ag.Date != "" {
		t.Errorf("the seed has no date, the agreement is dated %q", ag.Date)
	}
	var meetings []graph.Entity
	for _, e := range b.Entities {
		if e.Kind == graph.KindEvent && e.EventType == "meeting" {
			meetings = append(meetings, e)
		}
	}
	if len(meetings) != 1 {
		t.Fatalf("%d meetings, want 1", len(meetings))
	}
	meeting := meetings[0].Name

	for _, want := range []string{
		"HOLDS_POSITION " + khaled + " → " + gc + " [chief of staff]",
		"HOLDS_POSITION " + mahjoub + " → " + mgd + " [director]",
		"BASED_IN " + group + " → Misrata",
		"PARTICIPATED_IN " + khaled + " → " + agreement + " [party]",
		"PARTICIPATED_IN " + group + " → " + agreement + " [party]",
		"ESTABLISHED " + agreement + " → " + force,
		"PARTICIPATED_IN " + mahjoub + " → " + statement + " [speaker]",
		"ABOUT " + statement + " → " + meeting,
		"MEMBER_OF " + mgd + " → " + gc,
	} {
		v.relation(t, want)
	}
	if v.hasRelation("PARTICIPATED_IN " + gc + " → " + agreement + " [party]") {
		t.Error("the General Command is only in apposition to Haftar, not a party")
	}
	loc := v.relation(t, "LOCATED_IN Misrata → Libya")
	gdoc := graph.DocumentID("polgraph:gazetteer")
	if len(loc.Evidence) != 1 || loc.Evidence[0].Document != gdoc || loc.Evidence[0].Rule != "gazetteer" || loc.Evidence[0].Text != "Misrata is located in Libya." {
		t.Errorf("LOCATED_IN evidence = %+v", loc.Evidence)
	}
	found := false
	for _, d := range b.Documents {
		if d.ID == gdoc && d.Source == "gazetteer" && d.Title == "polgraph gazetteer" {
			found = true
		}
	}
	if !found {
		t.Error("the gazetteer document is not in the batch")
	}
	for _, r := range b.Relations {
		if r.Type == graph.OccurredIn {
			t.Errorf("the seed states no place for any event: %s", v.rel(r))
		}
	}

	// Deterministic, and the .txt copy of the report is the same document.
	again, err := p.Extract(context.Background(), arts[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mustJSON(t, b), mustJSON(t, again)) {
		t.Error("two extractions of the seed differ")
	}
	txt, err := ReadFile(corpusPath(t, filepath.Join("seed", "seed.txt")))
	if err != nil {
		t.Fatal(err)
	}
	fromTxt, err := p.Extract(context.Background(), txt[0])
	if err != nil {
		t.Fatal(err)
	}
	if fromTxt.Documents[0].ID != b.Documents[0].ID || len(fromTxt.Relations) != len(b.Relations) {
		t.Error("seed.txt and seed.json give different batches")
	}
}

// corpusExpectations are hand-written annotations of the development
// articles (by id): relations the pipeline must find.
var corpusExpectations = map[string][]string{
	"004": {"HOLDS_POSITION Abdel-Ghani al-Kikli → Stability Support Apparatus [commander]"},
	"011": {"HOLDS_POSITION Stephanie Koury → United Nations Support Mission in Libya [head]"},
	"015": {
		"PARTICIPATED_IN House of Representatives → Agreement between High Council of State and House of Representatives [party]",
		"PARTICIPATED_IN High Council of State → Agreement between High Council of State and House of Representatives [party]",
	},
	"016": {
		"HOLDS_POSITION Aguila Saleh → House of Representatives [speaker]",
		"HOLDS_POSITION Mohamed al-Menfi → Presidential Council [head]",
	},
	"023": {"PARTICIPATED_IN Aguila Saleh → Statement by Aguila Saleh [speaker]"},
	"026": {
		"PARTICIPATED_IN Government of National Unity → Agreement between Government of National Unity and Radaa Force [party]",
		"PARTICIPATED_IN Radaa Force → Agreement between Government of National Unity and Radaa Force [party]",
		"PARTICIPATED_IN Presidential Council → Agreement between Government of National Unity and Radaa Force [mediator]",
		"ESTABLISHED Agreement between Government of National Unity and Radaa Force → Joint force (agreement of Government of National Unity and Radaa Force)",
	},
	"027": {
		"HOLDS_POSITION Khaled al-Mahjoub → Moral Guidance Department [head]",
		"PARTICIPATED_IN 5+5 Joint Military Commission → Meeting with 5+5 Joint Military Commission [party]",
		"OCCURRED_IN Meeting with 5+5 Joint Military Commission → Sirte",
		"ABOUT Statement by Khaled al-Mahjoub → Meeting with 5+5 Joint Military Commission",
	},
}

// corpusPeople are the only people the pipeline may name in an article:
// catches names invented from ordinary words.
var corpusPeople = map[string][]string{
	"020": {"Abdel-Ghani al-Kikli"},
	"014": {"Marai al-Barassi", "Naji Issa"},
}

// TestCorpus runs the development articles: every batch is well formed and
// deterministic, and the annotated facts are found.
func TestCorpus(t *testing.T) {
	dir := corpusPath(t, "articles")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles in %s: %v", dir, err)
	}
	p := testPipeline(t)
	seen := map[string]bool{}
	for _, f := range files {
		arts, err := ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			seen[a.ID] = true
			t.Run(a.ID, func(t *testing.T) {
				b, err := p.Extract(context.Background(), a)
				if err != nil {
					t.Fatal(err)
				}
				checkBatch(t, b)
				again, _ := p.Extract(context.Background(), a)
				if !bytes.Equal(mustJSON(t, b), mustJSON(t, again)) {
					t.Error("not deterministic")
				}
				v := newView(b)
				for _, want := range corpusExpectations[a.ID] {
					v.relation(t, want)
				}
				if want, ok := corpusPeople[a.ID]; ok {
					var got []string
					for _, e := range b.Entities {
						if e.Kind == graph.KindPerson {
							got = append(got, e.Name)
						}
					}
					sort.Strings(got)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("people = %q, want %q", got, want)
					}
				}
			})
		}
	}
	for id := range corpusExpectations {
		if !seen[id] {
			t.Errorf("annotated article %s not found", id)
		}
	}
}
