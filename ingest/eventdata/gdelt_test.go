package eventdata

import (
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
)

// gdeltLine writes a GDELT 2.0 row (61 columns) from the columns given by
// number (see ../shared/data/FORMATS.md).
func gdeltLine(cols map[int]string) string {
	f := make([]string, 61)
	for i, v := range cols {
		f[i] = v
	}
	return strings.Join(f, "\t")
}

// haftarInSirte is a row of our own: Haftar (coded LBYMIL, named HAFTAR)
// consults in Sirte, reported by url.
func haftarInSirte(id, url string) string {
	return gdeltLine(map[int]string{
		0: id, 1: "20300314", 2: "203003", 3: "2030", 4: "2030.2000",
		5: "LBYMIL", 6: "HAFTAR", 7: "LBY", 12: "MIL",
		15: "LBYREB", 16: "MISRATA MILITIA", 17: "LBY", 22: "REB",
		25: "1", 26: "042", 27: "042", 28: "04", 29: "1", 30: "1.9", 31: "3", 32: "1", 33: "3", 34: "2.5",
		51: "4", 52: "Sirte, Surt, Libya", 53: "LY", 54: "LY76", 56: "31.2089", 57: "16.5887", 58: "-3178329",
		59: "20300314120000", 60: url,
	})
}

func TestGDELTFixture(t *testing.T) {
	m := newMapper(t)
	st := memstore.OpenMemory()
	defer st.Close()
	rows := []string{
		haftarInSirte("1001", "https://news.example.org/haftar-sirte"),
		// The same event from another article, with a tracking parameter.
		haftarInSirte("1002", "https://other.example.net/story?id=7&utm_source=feed"),
		"1003\t20300314\tonly three columns",
		// A country acting, placed by country only (FIPS TS: Tunisia).
		gdeltLine(map[int]string{0: "1004", 1: "20300315", 5: "LBY", 6: "LIBYA", 7: "LBY", 15: "TUN", 16: "TUNISIA", 17: "TUN",
			26: "057", 27: "057", 28: "05", 29: "2", 30: "8.0", 51: "1", 52: "Tunisia", 53: "TS", 56: "34", 57: "9", 58: "TS",
			59: "20300315000000", 60: "https://news.example.org/accord"}),
	}
	sum, err := m.ImportGDELT(ctx, st, strings.NewReader(strings.Join(rows, "\n")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 4 || sum.Imported != 3 || len(sum.Skipped) != 1 || sum.Skipped[0].Line != 3 {
		t.Fatalf("summary = %+v; want line 3 skipped", sum)
	}
	haftar, sirte := gazID(t, m, "person/khalifa-haftar"), gazID(t, m, "place/sirte")
	consults := relationsOf(t, st, haftar, graph.ParticipatedIn)
	if len(consults) != 1 {
		t.Fatalf("Haftar (LBYMIL named HAFTAR) takes part in %d events; want the one both rows report", len(consults))
	}
	ev, err := st.Entity(ctx, consults[0].To)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Cameo != "042" || ev.QuadClass != 1 || ev.Goldstein == nil || *ev.Goldstein != 1.9 || ev.EventType != "meeting" ||
		ev.Date != "2030-03-14" || ev.Subtype != "Consult" {
		t.Errorf("event = %+v", ev)
	}
	// One event, two pieces of evidence: one per article, each article the
	// document the news pipeline would give that URL.
	docs := map[string]bool{}
	for _, e := range consults[0].Evidence {
		docs[e.Document] = true
	}
	if len(docs) != 2 || !docs[ingest.URLDocumentID("https://news.example.org/haftar-sirte")] ||
		!docs[ingest.URLDocumentID("https://other.example.net/story?id=7")] {
		t.Errorf("evidence documents = %v; want the two articles", docs)
	}
	if !hasRelation(t, st, ev.ID, graph.OccurredIn, sirte, "") {
		t.Error("the event is not in the gazetteer's Sirte (FIPS LY, named Sirte)")
	}
	militia := graph.EntityID(graph.KindGroup, "gdelt:LBYREB")
	if e, err := st.Entity(ctx, militia); err != nil || e.Name != "Libya rebels" ||
		!hasRelation(t, st, militia, graph.BasedIn, gazID(t, m, "place/libya"), "") {
		t.Errorf("LBYREB = %+v, %v; want Libya's rebels, based in Libya", e, err)
	}
	// States act: LBY and TUN are the countries, placed in Tunisia.
	libya, tunisia := gazID(t, m, "place/libya"), gazID(t, m, "place/tunisia")
	accords := relationsOf(t, st, tunisia, graph.ParticipatedIn)
	if len(accords) != 1 || !hasRelation(t, st, libya, graph.ParticipatedIn, accords[0].To, "") ||
		!hasRelation(t, st, accords[0].To, graph.OccurredIn, tunisia, "") {
		t.Fatalf("Tunisia's events = %+v; want one, with Libya, in Tunisia", accords)
	}
	if acc, _ := st.Entity(ctx, accords[0].To); acc.EventType != "agreement" {
		t.Errorf("CAMEO 057 event type = %q, want agreement", acc.EventType)
	}
}
